#!/bin/bash
# environment.sh - provcc's environment variables and the compiler's:
# PROVCC_DISABLE, PROVCC_DEPTH, PROVCC_CACHE_DIR (and its default), the
# allowlist of recorded variables (nothing else is recorded), the build
# root in recorded values, and a user LD_PRELOAD kept for the compiler.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W/inc"
cd "$W"
export PROVCC_ROOT=$W
printf '#include <stdio.h>\n#include "e.h"\nint main(void) { puts(E); return 0; }\n' >e.c
echo '#define E "e"' >inc/e.h
gcc -Iinc -c e.c -o plain.o

step "PROVCC_DISABLE=1 and PROVCC_DEPTH"
PROVCC_DISABLE=1 "$PROVCC" gcc -Iinc -c e.c -o dis.o
cmp plain.o dis.o || die "PROVCC_DISABLE=1: the object is not the plain one"
ok "PROVCC_DISABLE=1: the plain object, no note"
PROVCC_DEPTH=1 "$PROVCC" gcc -Iinc -c e.c -o depth.o
cmp plain.o depth.o || die "PROVCC_DEPTH=1: the object is not the plain one"
ok "PROVCC_DEPTH=1 (below another provcc): passed through"
capture d8 env PROVCC_DEPTH=8 "$PROVCC" gcc -Iinc -c e.c -o d8.o
expect_status "PROVCC_DEPTH=8" 125 "$d8_rc"
[[ ! -e d8.o ]] || die "PROVCC_DEPTH=8 compiled"
ok "PROVCC_DEPTH=8: exit 125"

step "hash cache location"
export HOME=$T/home XDG_CACHE_HOME=
mkdir -p "$HOME"
PROVCC_CACHE_DIR=off "$PROVCC" gcc -Iinc -c e.c -o off.o
has_note off.o || die "PROVCC_CACHE_DIR=off: no note"
[[ -z $(find "$HOME" "$PROVCC_CACHE_DIR" -mindepth 1 | head -1) ]] ||
	die "PROVCC_CACHE_DIR=off wrote: $(find "$HOME" "$PROVCC_CACHE_DIR" -mindepth 1)"
ok "PROVCC_CACHE_DIR=off: nothing written to any cache"
(unset PROVCC_CACHE_DIR && "$PROVCC" gcc -Iinc -c e.c -o home.o)
[[ -n $(find "$HOME/.cache/provcc" -type f 2>/dev/null | head -1) ]] ||
	die "no cache in \$HOME/.cache/provcc by default"
ok "default: cache in \$HOME/.cache/provcc"
(unset PROVCC_CACHE_DIR && XDG_CACHE_HOME=$T/xdg "$PROVCC" gcc -Iinc -c e.c \
	-o xdg.o)
[[ -n $(find "$T/xdg/provcc" -type f 2>/dev/null | head -1) ]] ||
	die "no cache in \$XDG_CACHE_HOME/provcc"
ok "XDG_CACHE_HOME set: cache in \$XDG_CACHE_HOME/provcc"
export PROVCC_CACHE_DIR=$T/cache2
"$PROVCC" gcc -Iinc -c e.c -o c.o
mv c.o c1.o
"$PROVCC" gcc -Iinc -c e.c -o c.o
cmp c1.o c.o || die "a cold and a warm cache give different objects"
ok "cold and warm cache: the same object"

step "recorded environment: the allowlist only, build root replaced"
env SOURCE_DATE_EPOCH=1700000000 CPATH="$W/inc:/opt/x:$W" \
	PROVCC_TEST_SECRET=hunter2 AWS_SECRET_ACCESS_KEY=hunter3 \
	LANG=C.UTF-8 LC_ALL= "$PROVCC" gcc -c e.c -o envd.o
pyrun - <<'PY' || die "recorded environment"
import sys, provjson as pj
r = pj.only_record("envd.o")
env = r["env"]
want = {"SOURCE_DATE_EPOCH": "1700000000",
        "CPATH": "${PROVCC_ROOT}/inc:/opt/x:${PROVCC_ROOT}",
        "LANG": "C.UTF-8", "LC_ALL": ""}
for k, v in want.items():
    if env.get(k) != v:
        sys.exit("env[%s] = %r, expected %r (env %r)" % (k, env.get(k), v, env))
allow = {"SOURCE_DATE_EPOCH", "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH",
         "OBJC_INCLUDE_PATH", "LIBRARY_PATH", "GCC_EXEC_PREFIX",
         "COMPILER_PATH", "GCC_COMPARE_DEBUG", "DEPENDENCIES_OUTPUT",
         "SUNPRO_DEPENDENCIES", "CCC_OVERRIDE_OPTIONS",
         "QA_OVERRIDE_GCC3_OPTIONS", "LANG", "LC_ALL", "LC_CTYPE",
         "LC_MESSAGES"}
extra = set(env) - allow
if extra:
    sys.exit("recorded variables outside the allowlist: %r" % sorted(extra))
if "inc/e.h" not in pj.input_paths(r):
    sys.exit("the header found through CPATH is not recorded")
PY
if out_has 'hunter[23]' "$PROVCC" show --json envd.o; then
	die "a secret from the environment is in the record"
fi
ok "allowlisted variables recorded (root replaced in CPATH), no others"

step "a user LD_PRELOAD still reaches the compiler"
cat >"$T/marker.c" <<'SRC'
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
__attribute__((constructor)) static void mark(void)
{
	const char *f = getenv("MARKER_FILE");
	int fd;

	if (f && (fd = open(f, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
		(void)write(fd, "x", 1);
		close(fd);
	}
}
SRC
gcc -shared -fPIC -o "$T/libmarker.so" "$T/marker.c"
rm -f "$T/marks"
MARKER_FILE=$T/marks LD_PRELOAD=$T/libmarker.so \
	"$PROVCC" gcc -Iinc -c e.c -o pre.o
has_note pre.o || die "with LD_PRELOAD: no note"
n=$(wc -c <"$T/marks")
[[ $n -ge 3 ]] || die "the user's LD_PRELOAD ran in $n processes, expected" \
	"the driver, cc1 and as"
ok "the user's preload library ran in $n processes of the compile"
