#!/bin/bash
# thin_archive.sh - provcc show reads thin archives (ar T, as used by
# the Linux kernel's built-in.a and by ninja/GN builds) like ordinary
# ones: each member with its record.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W/sub"
cd "$W"
echo 'int a(void) { return 1; }' >a.c
echo 'int b(void) { return 2; }' >sub/b.c
export PROVCC_ROOT=$W
"$PROVCC" gcc -c a.c -o a.o
"$PROVCC" gcc -c sub/b.c -o sub/b.o
ar rcsT thin.a a.o sub/b.o
[[ $(head -c 7 thin.a) == '!<thin>' ]] || die "ar T made no thin archive"
capture show "$PROVCC" show thin.a
if [[ $show_rc -ne 0 ]]; then
	cat "$T/show.err" >&2
	die "provcc show thin.a: exit $show_rc, expected 0"
fi
pyrun - <<'PY' || die "provcc show --json thin.a"
import sys, provjson as pj
got = [(m, r["source"]["path"]) for m, r in pj.records("thin.a")]
if [s for m, s in got] != ["a.c", "sub/b.c"]:
    sys.exit("records %r" % got)
PY
ok "provcc show thin.a: both members with their records"
