#!/bin/bash
# passthrough.sh - what provcc does not record must behave exactly as the
# plain compiler: same exit status, byte-identical stdout and stderr.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W" "$T/ptmp"
cd "$W"
# provcc's private files go below TMPDIR; none may be left behind.
export TMPDIR=$T/ptmp

cat >good.c <<'SRC'
#include <stdio.h>
#include "good.h"
int main(void)
{
	puts(GREETING);
	return 0;
}
SRC
echo '#define GREETING "hello from good.c"' >good.h
cat >bad.c <<'SRC'
#include <stdio.h>
int main(void)
{
	puts("missing semicolon")
	return 0
}
SRC
cat >warn.c <<'SRC'
#include <string.h>
int f(const char *s)
{
	int unused;
	return (int)strlen(s);
}
SRC
cp good.c conftest.c

# same_run TAG COMPILER ARGS...: plain COMPILER ARGS and provcc COMPILER
# ARGS, in this directory; status, stdout and stderr must be identical.
# Extra files are compared by the caller.
same_run() {
	local tag=$1 cc=$2
	shift 2
	capture plain_$tag "$cc" "$@" <"${STDIN:-/dev/null}"
	capture prov_$tag "$PROVCC" "$cc" "$@" <"${STDIN:-/dev/null}"
	local a=plain_${tag}_rc b=prov_${tag}_rc
	[[ ${!a} -eq ${!b} ]] ||
		{ cat "$T/prov_$tag.err" >&2;
		  die "$cc $*: provcc exit ${!b}, plain ${!a}"; }
	same_file "$cc $* (stdout)" "$T/plain_$tag.out" "$T/prov_$tag.out"
	same_file "$cc $* (stderr)" "$T/plain_$tag.err" "$T/prov_$tag.err"
	ok "$cc $*: status ${!a}, identical stdout and stderr"
}

NOCOLOR=-fdiagnostics-color=never

step "a failing compile"
same_run bad gcc $NOCOLOR -c bad.c -o bad.o
expect_status "gcc -c bad.c" 1 "$plain_bad_rc"
grep -q "error: expected ';'" "$T/plain_bad.err" ||
	die "bad.c did not give the expected diagnostic"
[[ ! -e bad.o ]] || die "a failed compile left bad.o"
if [[ -n $CLANG ]]; then
	same_run bad_clang clang $NOCOLOR -c bad.c -o bad.o
	[[ ! -e bad.o ]] || die "a failed compile left bad.o"
fi

step "several sources, one of them failing"
printf 'int ok1(void) { return 1; }\n' >ok1.c
printf 'int ok2(void) { return 2; }\n' >ok2.c
gcc $NOCOLOR -c ok1.c bad.c ok2.c 2>/dev/null || true
[[ -f ok1.o && -f ok2.o ]] || die "test assumption: gcc keeps going"
mv ok1.o ok1.plain.o
mv ok2.o ok2.plain.o
same_run several gcc $NOCOLOR -c ok1.c bad.c ok2.c
expect_status "gcc -c ok1.c bad.c ok2.c" 1 "$prov_several_rc"
for o in ok1 ok2; do
	"$ELFCMP" -n $o.plain.o $o.o >/dev/null ||
		die "$o.o: not the plain object with a note"
done
[[ ! -e bad.o ]] || die "bad.o exists"
ok "the good objects are made and recorded, the status is gcc's"

step "a compile with warnings only"
gcc $NOCOLOR -Wall -c warn.c -o warn.o 2>/dev/null
mv warn.o warn.plain.o
same_run warn gcc $NOCOLOR -Wall -c warn.c -o warn.o
expect_status "gcc -Wall -c warn.c" 0 "$plain_warn_rc"
grep -q "unused variable 'unused'" "$T/plain_warn.err" ||
	die "warn.c did not warn"
"$ELFCMP" -n warn.plain.o warn.o >/dev/null ||
	die "warn.o differs from the plain object"
pyrun -m provjson summary warn.o >/dev/null || die "warn.o has no record"
ok "warn.o has its record and equals the plain object otherwise"

step "queries and stop-early modes"
same_run version gcc --version
same_run dumpmachine gcc -dumpmachine
same_run dumpversion gcc -dumpversion
same_run progname gcc -print-prog-name=cc1
same_run filename gcc -print-file-name=libc.so
same_run help gcc --help
same_run E gcc -E good.c
grep -q 'hello from good.c' "$T/plain_E.out" || die "-E printed nothing"
same_run E_o gcc -E good.c -o good.i
mv good.i good.prov.i
gcc -E good.c -o good.i
same_file "-E -o good.i" good.i good.prov.i
same_run M gcc -M good.c
same_run MM gcc -MM good.c
same_run MMP gcc -MM -MP -MT 'x y' good.c
same_run syntax gcc -fsyntax-only good.c
same_run syntax_bad gcc $NOCOLOR -fsyntax-only bad.c
expect_status "-fsyntax-only bad.c" 1 "$plain_syntax_bad_rc"
same_run S_stdout gcc -S -o - good.c
grep -q 'hello from good.c' "$T/plain_S_stdout.out" || die "-S -o - is empty"
same_run S_file gcc -O2 -S good.c -o good.prov.s
gcc -O2 -S good.c -o good.s
same_file "-S good.c" good.s good.prov.s
same_run c_stdout gcc -c good.c -o -
[[ -z $CLANG ]] || same_run E_stdin_clang clang -E -x c -
STDIN=good.c same_run E_stdin gcc -E -x c -
STDIN=good.c same_run stdin_obj gcc -x c -c - -o stdin.o
mv stdin.o stdin.prov.o
gcc -x c -c - -o stdin.o <good.c
cmp stdin.o stdin.prov.o || die "-x c -c - made a different object"
expect_no_provenance stdin.prov.o
ok "-x c - from stdin: identical object, no note"
same_run devnull gcc -c good.c -o /dev/null
if [[ -n $CLANG ]]; then
	same_run clang_version clang --version
	same_run clang_syntax clang -fsyntax-only good.c
fi

step "-### (the driver's commands, temporary names masked)"
mask_tmp() {
	sed -E 's#/(tmp|ptmp)/cc[A-Za-z0-9]{6}\.#/TMP/ccXXXXXX.#g' "$1" >"$1.m"
}
# Named as "gcc", the driver sees argv[0] "gcc", as without provcc.
capture plain_hash gcc -### -c good.c -o good.o
capture prov_hash "$PROVCC" gcc -### -c good.c -o good.o
expect_status "provcc gcc -###" "$plain_hash_rc" "$prov_hash_rc"
same_file "gcc -### (stdout)" "$T/plain_hash.out" "$T/prov_hash.out"
mask_tmp "$T/plain_hash.err"
mask_tmp "$T/prov_hash.err"
same_file "gcc -### (stderr)" "$T/plain_hash.err.m" "$T/prov_hash.err.m"
ok "provcc gcc -### = gcc -###"
if [[ -n $CLANG ]]; then
	capture plain_hashc "$CLANG" -### -c good.c -o good.o
	capture prov_hashc "$PROVCC" clang -### -c good.c -o good.o
	expect_status "provcc clang -###" "$plain_hashc_rc" "$prov_hashc_rc"
	same_file "clang -### (stderr)" "$T/plain_hashc.err" "$T/prov_hashc.err"
	ok "provcc clang -### = $CLANG -###"
fi

step "death by a signal passes through"
cat >"$T/segv-cc" <<'SRC'
#!/bin/bash
kill -SEGV $$
SRC
cat >"$T/exit3-cc" <<'SRC'
#!/bin/bash
echo "exit3-cc: failing on purpose" >&2
exit 3
SRC
chmod +x "$T/segv-cc" "$T/exit3-cc"
for args in "-c good.c -o sig.o" "-E good.c" "--version"; do
	rc=0
	{ (exec "$T/segv-cc" $args) || rc=$?; } 2>/dev/null
	expect_status "segv-cc $args (plain)" 139 "$rc"
	rc=0
	{ (exec "$PROVCC" "$T/segv-cc" $args) || rc=$?; } 2>/dev/null
	expect_status "provcc segv-cc $args" 139 "$rc"
	ok "provcc segv-cc $args: killed by SIGSEGV (139) like the compiler"
done
[[ ! -e sig.o ]] || die "sig.o exists after the compiler crashed"
same_run exit3 "$T/exit3-cc" -c good.c -o e3.o
expect_status "exit3-cc" 3 "$plain_exit3_rc"

step "SIGTERM sent to provcc reaches the compiler"
cat >"$T/sleep-cc" <<'SRC'
#!/bin/bash
echo $$ >"$SLEEP_PIDFILE"
exec sleep 30
SRC
chmod +x "$T/sleep-cc"
for args in "-c good.c -o slept.o" "--version"; do
	export SLEEP_PIDFILE=$T/sleep.pid
	rm -f "$SLEEP_PIDFILE"
	# shellcheck disable=SC2086
	"$PROVCC" "$T/sleep-cc" $args &
	ppid=$!
	for _ in $(seq 100); do
		[[ -s $SLEEP_PIDFILE ]] && break
		sleep 0.1
	done
	[[ -s $SLEEP_PIDFILE ]] || die "sleep-cc did not start"
	# (Right after the start a SIGTERM can be lost: sigterm_race.sh.)
	sleep 0.5
	kill -TERM "$ppid"
	rc=0
	wait "$ppid" || rc=$?
	expect_status "provcc sleep-cc $args after SIGTERM" 143 "$rc"
	cpid=$(cat "$SLEEP_PIDFILE")
	for _ in $(seq 50); do
		kill -0 "$cpid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$cpid" 2>/dev/null; then
		kill -KILL "$cpid"
		die "provcc sleep-cc $args: the compiler outlived SIGTERM"
	fi
	ok "provcc sleep-cc $args: SIGTERM forwarded, provcc dies by it (143)"
done
[[ ! -e slept.o ]] || die "slept.o exists"

step "CC=provcc: provcc --version is cc --version"
same_run_cc() {
	local tag=$1
	shift
	capture plain_$tag cc "$@"
	capture prov_$tag "$PROVCC" "$@"
	local a=plain_${tag}_rc b=prov_${tag}_rc
	expect_status "provcc $*" "${!a}" "${!b}"
	same_file "provcc $* (stdout)" "$T/plain_$tag.out" "$T/prov_$tag.out"
	same_file "provcc $* (stderr)" "$T/plain_$tag.err" "$T/prov_$tag.err"
	ok "provcc $* = cc $*"
}
same_run_cc ccversion --version
same_run_cc ccdump -dumpmachine
same_run_cc ccE -E good.c

step "the object keeps the mode the compiler gave it"
for mask in 022 077 002; do
	(umask $mask && gcc -c good.c -o mode.plain.o &&
		"$PROVCC" gcc -c good.c -o mode.o)
	[[ $(stat -c %a mode.plain.o) == "$(stat -c %a mode.o)" ]] ||
		die "umask $mask: mode $(stat -c %a mode.o), plain" \
			"$(stat -c %a mode.plain.o)"
	has_note mode.o || die "mode.o has no note"
	ok "umask $mask: mode $(stat -c %a mode.o) as plain"
done

step "a configure probe is passed through"
same_run conftest gcc -c conftest.c -o conftest.o
mv conftest.o conftest.prov.o
gcc -c conftest.c -o conftest.o
cmp conftest.o conftest.prov.o || die "conftest.o differs from plain"
expect_no_provenance conftest.prov.o
ok "conftest.o: byte-identical to the plain one, no note"

step "linking"
gcc -c good.c -o good.plain.o
"$PROVCC" gcc -c good.c -o good.o
has_note good.o || die "good.o has no provenance note"
same_run link gcc good.o -o prog
[[ $(./prog) == "hello from good.c" ]] || die "prog does not run"
out_has '\.note\.provcc\.link' readelf -S -W prog ||
	die "prog linked through provcc has no link note"
printf 'int missing(void);\nint main(void) { return missing(); }\n' >undef.c
"$PROVCC" gcc -c undef.c -o undef.o
for ld in bfd gold lld; do
	command -v ld.$ld >/dev/null || continue
	same_run undef_$ld gcc -fuse-ld=$ld undef.o -o undef
	rcvar=plain_undef_${ld}_rc
	expect_status "gcc -fuse-ld=$ld undef.o" 1 "${!rcvar}"
	[[ ! -e undef ]] || die "a failed link left undef"
done
# The compile note is SHF_EXCLUDE: a plain link of provcc objects is
# the plain link of plain objects.
gcc good.o -o prog.fromprov
gcc good.plain.o -o prog.plain
cmp prog.plain prog.fromprov ||
	die "a program linked from provcc objects differs from the plain one"
ok "provcc gcc good.o -o prog: same program as from the plain object"
same_run compile_link gcc good.c -o prog2
[[ $(./prog2) == "hello from good.c" ]] || die "prog2 does not run"
expect_link_note prog2 1
"$PROVCC" show --json prog2 | pyrun -c '
import json, sys
p = json.load(sys.stdin)[0]["link"]["statement"]["predicate"]
t = [i for i in p["inputs"] if i.get("temporary")]
assert len(t) == 1 and "path" not in t[0] and t[0].get("compiles") == [0], t
assert p["compiles"][0]["argv"][1:] == ["good.c", "-o", "prog2"], p["compiles"]
' || die "prog2: the one-step object is not temporary with its record"
ok "provcc gcc good.c -o prog2 (compile and link): runs; temporary object"

step "no temporary files left"
left=$(find "$T/ptmp" -mindepth 1 | head -5)
[[ -z $left ]] || die "left in TMPDIR: $left"
left=$(find "$W" -name '*provcc*' | head -5)
[[ -z $left ]] || die "left in the build directory: $left"
ok "TMPDIR and the build directory are clean"
