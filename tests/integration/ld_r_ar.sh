#!/bin/bash
# ld_r_ar.sh - records survive the tools that combine objects: ld -r
# keeps every record, ar archives list each member's, strip keeps them;
# a final link (program or shared library) drops the note entirely.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W"
cd "$W"
export PROVCC_ROOT=$W
cat >a.c <<'SRC'
#include "a.h"
int a_value(void) { return A_VALUE; }
SRC
cat >b.c <<'SRC'
#include <string.h>
#include "b.h"
int b_value(void) { return (int)strlen(B_TEXT); }
SRC
cat >c.c <<'SRC'
static int counter;
int c_next(void) { return ++counter; }
SRC
cat >main.c <<'SRC'
#include <stdio.h>
int a_value(void);
int b_value(void);
int c_next(void);
int main(void)
{
	printf("%d %d %d\n", a_value(), b_value(), c_next());
	return 0;
}
SRC
echo '#define A_VALUE 40' >a.h
echo '#define B_TEXT "bb"' >b.h
for s in a b c main; do
	"$PROVCC" gcc -O2 -fPIC -c $s.c -o $s.o || die "provcc gcc -c $s.c"
	has_note $s.o || die "$s.o has no note"
done

# sources_of FILE SOURCE...: the records of FILE (in order, members
# included) are for exactly these sources.
sources_of() {
	pyrun - "$@" <<'PY'
import sys, provjson as pj
path, want = sys.argv[1], sys.argv[2:]
try:
    got = [r["source"]["path"] for m, r in pj.records(path)]
except pj.CheckError as e:
    sys.exit(str(e))
if got != want:
    sys.exit("%s: records for %r, expected %r" % (path, got, want))
PY
}

# note_flags FILE: the note section keeps SHT_NOTE and SHF_EXCLUDE.
note_is_excluded() {
	out_has '\.note\.provcc\.compile +NOTE .* E ' readelf -S -W "$1"
}

step "ld -r"
ld -r a.o b.o -o ab.o
sources_of ab.o a.c b.c || die "ld -r a.o b.o: records lost"
note_is_excluded ab.o || die "ab.o: note no longer SHT_NOTE + SHF_EXCLUDE"
n=$(readelf -S -W ab.o | grep -c '\.note\.provcc\.compile' || true)
[[ $n -eq 1 ]] || die "ab.o has $n note sections, expected 1 (merged)"
ok "ld -r a.o b.o: one note section, show lists 2 records (a.c, b.c)"
ld -r ab.o c.o -o abc.o
sources_of abc.o a.c b.c c.c || die "ld -r ab.o c.o: records lost"
ok "ld -r ab.o c.o: 3 records"
gcc -r a.o c.o -o ac.o
sources_of ac.o a.c c.c || die "gcc -r: records lost"
ok "gcc -r a.o c.o: 2 records"
"$PROVCC" gcc -r a.o c.o -o ac2.o
sources_of ac2.o a.c c.c || die "provcc gcc -r: records lost"
ok "provcc gcc -r a.o c.o (a link, passed through): 2 records"

step "ar"
ar rcs libabc.a a.o b.o c.o
(pyrun -m provjson check-archive libabc.a a.o b.o c.o) ||
	die "provcc show libabc.a"
sources_of libabc.a a.c b.c c.c || die "libabc.a: records"
ar rcs libmix.a ab.o c.o
sources_of libmix.a a.c b.c c.c || die "libmix.a: records"
"$PROVCC" show libmix.a >"$T/mix.txt"
grep -q '^libmix.a(ab.o): 2 compile records$' "$T/mix.txt" &&
	grep -q '^libmix.a(c.o): 1 compile record$' "$T/mix.txt" ||
	{ cat "$T/mix.txt" >&2; die "provcc show libmix.a: wrong summary"; }
ok "ar rcs: show lists each member with its records"
gcc -c c.c -o plain.o
ar rcs libpart.a a.o plain.o
"$PROVCC" show libpart.a >"$T/part.txt" ||
	die "provcc show libpart.a: one member with provenance is enough"
grep -q '^libpart.a(plain.o): no provenance$' "$T/part.txt" ||
	die "provcc show libpart.a does not say plain.o has no provenance"
ok "an archive with one plain member: exit 0, the member marked"

step "strip and objcopy"
for how in --strip-unneeded --strip-debug --strip-all; do
	strip $how a.o -o a.stripped.o
	sources_of a.stripped.o a.c || die "strip $how dropped the record"
	note_is_excluded a.stripped.o || die "strip $how: note flags changed"
	ok "strip $how keeps the note"
done
strip --strip-unneeded libabc.a -o libabc.stripped.a
sources_of libabc.stripped.a a.c b.c c.c || die "strip of the archive"
ok "strip --strip-unneeded libabc.a keeps every member's note"
objcopy a.o a.copy.o
sources_of a.copy.o a.c || die "objcopy dropped the record"
ok "objcopy keeps the note"

step "final links drop the note"
# no_note FILE WHAT
no_note() {
	if has_note "$1"; then
		die "$2: $1 has a .note.provcc.compile section"
	fi
	expect_no_provenance "$1"
}
for ld in bfd gold lld; do
	if ! gcc -fuse-ld=$ld -fPIC -x c -c /dev/null -o "$T/probe.o" ||
		! gcc -fuse-ld=$ld "$T/probe.o" -nostartfiles -e 0 \
			-o "$T/probe" 2>/dev/null; then
		step "ld.$ld not usable, skipped"
		continue
	fi
	gcc -fuse-ld=$ld main.o a.o b.o c.o -o prog_$ld
	[[ $(./prog_$ld) == "40 2 1" ]] || die "prog_$ld gives the wrong output"
	no_note prog_$ld "ld.$ld program"
	gcc -fuse-ld=$ld main.o libabc.a -o prog_lib_$ld
	no_note prog_lib_$ld "ld.$ld program from the archive"
	gcc -fuse-ld=$ld -shared a.o b.o c.o -o libabc_$ld.so
	no_note libabc_$ld.so "ld.$ld shared library"
	gcc -fuse-ld=$ld main.o abc.o -o prog_r_$ld
	no_note prog_r_$ld "ld.$ld program from the ld -r object"
	ok "ld.$ld: programs and shared library without the note"
done
"$PROVCC" gcc main.o a.o b.o c.o -o prog_prov
[[ $(./prog_prov) == "40 2 1" ]] || die "prog_prov gives the wrong output"
expect_link_note prog_prov 4
ok "provcc gcc main.o a.o b.o c.o: program with its link note, 4 records"
