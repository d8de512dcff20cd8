#!/bin/bash
# root_symlink.sh - a build tree reached through a symbolic link, with
# PROVCC_ROOT=$PWD (as a build script or CMAKE_SOURCE_DIR gives it):
# project files must still be recorded relative to the root.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

mkdir -p "$T/real/inc"
ln -s real "$T/link"
echo '#define Q 1' >"$T/real/inc/q.h"
printf '#include "q.h"\nint q(void) { return Q; }\n' >"$T/real/q.c"
cd "$T/link"		# $PWD is the logical path through the link
PROVCC_ROOT=$PWD "$PROVCC" gcc -Iinc -c q.c -o q.o
PROVCC_ROOT=$PWD "$PROVCC" gcc -I"$PWD/inc" -c "$PWD/q.c" -o q2.o
pyrun - <<'PY' || die "paths under a root reached through a link"
import sys, provjson as pj
bad = []
for o in ("q.o", "q2.o"):
    r = pj.only_record(o)
    got = (r["source"]["path"], r["output"], r["cwd"],
           [i["path"] for i in r["inputs"] if i["path"].endswith("q.h")])
    if got != ("q.c", o, ".", ["inc/q.h"]):
        bad.append("%s: source, output, cwd, header = %r" % (o, got))
if bad:
    sys.exit("\n".join(bad))
PY
ok "q.c, q.o, . and inc/q.h recorded relative to the root"
