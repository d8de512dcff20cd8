#!/bin/bash
# onestep.sh - one-step builds (`gcc main.c util.c -o prog`, make's
# built-in rule): provcc compiles each source itself, so the link note
# holds a compile record for each, with the build's own command line;
#   - the instructions of its functions and its read-only data equal
#     those of the same program built in two steps through provcc (gcc, g++ and clang, -O2, -g, -flto, -static,
#     -shared, -x c);
#   - each record lists the same headers and programs as the record of
#     the separate compile of that source;
#   - diagnostics, exit status and the absence of an output are those of
#     the plain one-step command (a warning; an error in one of two
#     sources; clang with link options);
#   - a command provcc does not split (-save-temps) still links as
#     given, its objects listed without records;
#   - make's built-in rule `prog: prog.c` through CC="provcc gcc".
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W"
cd "$W"
export PROVCC_ROOT=$W
cat >main.c <<'SRC'
#include <stdio.h>
#include "util.h"
int main(void) { printf("%d\n", util(4)); return 0; }
SRC
cat >util.h <<'SRC'
int util(int);
SRC
cat >util.c <<'SRC'
#include <string.h>
#include "util.h"
int util(int x) { return x * 2 + (int)strlen("ab"); }
SRC
cp util.c util.inc

# records BIN: per compile record, "source output argv..." and then the
# sorted headers and programs (paths only), one record per line.
records() {
	"$PROVCC" show --json "$1" | "$PY" -c '
import json, sys
st = json.loads(sys.stdin.read())[0]["link"]["statement"]
for r in st["predicate"]["compiles"]:
    print(r["source"]["path"], r["output"], " ".join(r["argv"]), "|",
          " ".join(sorted(f["path"] for f in r["inputs"])), "|",
          " ".join(f["path"] for f in r["toolchain"]["programs"]))'
}
# code FILE: the instructions of the project's functions, addresses
# left out: the two links carry notes of different sizes, which may move
# the code to another address (a static program's, say).
code() {
	objdump -d --no-show-raw-insn "$1" |
	    awk '/^[0-9a-f]+ <(main|util|_Z4utili)>:/ { on = 1; next }
	         /^[0-9a-f]+ <.*>:/ { on = 0 }
	         on' |
	    sed -E 's/0x[0-9a-f]+|[0-9a-f]{4,}//g; s/<[^>]*>//g'
}
# same_code A B: the same instructions and read-only data.
same_code() {
	[[ -n $(code "$1") ]] || die "$1: no code found"
	diff <(code "$1") <(code "$2") >&2 || die "$1 and $2 differ in code"
	cmp -s <(objcopy -O binary -j .rodata "$1" /dev/stdout 2>/dev/null) \
	    <(objcopy -O binary -j .rodata "$2" /dev/stdout 2>/dev/null) ||
	    die "$1 and $2 differ in .rodata"
}

step "one-step against two-step, through provcc"
check_pair() {	# CC FLAGS...
	local cc=$1
	shift
	"$PROVCC" "$cc" "$@" main.c util.c -o one
	"$PROVCC" "$cc" "$@" -c main.c -o main.o
	"$PROVCC" "$cc" "$@" -c util.c -o util.o
	"$PROVCC" "$cc" "$@" main.o util.o -o two
	[[ $(./one) == 10 ]] || die "$cc $*: one-step program is wrong"
	same_code one two
	records one >one.rec
	[[ $(wc -l <one.rec) -eq 2 ]] || die "$cc $*: $(wc -l <one.rec) records"
	grep -q "^main.c one $cc $* main.c util.c -o one |" one.rec ||
	    die "$cc $*: recorded command: $(cat one.rec)"
	# The headers and programs of each record are the separate compile's.
	diff <(cut -d'|' -f2- one.rec) <(records two | cut -d'|' -f2-) ||
	    die "$cc $*: records differ from the separate compiles'"
	"$PROVCC" show --json one | "$PY" -c '
import json, sys
st = json.loads(sys.stdin.read())[0]["link"]["statement"]
tmp = [i for i in st["predicate"]["inputs"] if i.get("temporary")]
assert len(tmp) == 2 and all("path" not in i and i["compiles"] for i in tmp), tmp'
	ok "$cc $*: same code as two steps, 2 records with the build's command"
}
check_pair gcc -O2
check_pair gcc -O2 -g
check_pair gcc -O2 -flto
check_pair gcc -O2 -static
check_pair g++ -O2
if [[ -n $CLANG ]]; then
	check_pair clang -O2 -g
fi

"$PROVCC" gcc -O2 -shared -fPIC util.c -o libutil.so
gcc -O2 -fPIC -c util.c -o util_pic.o
"$PROVCC" gcc -O2 -shared util_pic.o -o libutil2.so
same_code libutil.so libutil2.so
[[ $(records libutil.so | cut -d' ' -f1-2) == "util.c libutil.so" ]] ||
    die "shared: $(records libutil.so)"
"$PROVCC" gcc -O2 main.c -x c util.inc -o inc
[[ $(records inc | awk '{print $1}' | tr '\n' ' ') == "main.c util.inc " ]] ||
    die "-x c util.inc: $(records inc)"
[[ $(./inc) == 10 ]] || die "-x c util.inc: wrong program"
ok "-shared, and -x c on a source without a C suffix"

step "diagnostics and failures as without provcc"
cat >warn.c <<'SRC'
int main(void) { int unused; return 0; }
SRC
cat >bad.c <<'SRC'
int bad(void) { return nosuch; }
SRC
for cc in gcc ${CLANG:+clang}; do
	for args in "-Wall warn.c -o w" "-Wall warn.c bad.c -o wb" \
	    "-O2 main.c util.c -Wl,-O1 -L. -o lo"; do
		rm -f w wb lo
		rc_plain=0; $cc $args >p.out 2>p.err || rc_plain=$?
		plain_made=$(ls w wb lo 2>/dev/null || true)
		rm -f w wb lo
		rc_prov=0; "$PROVCC" $cc $args >v.out 2>v.err || rc_prov=$?
		prov_made=$(ls w wb lo 2>/dev/null || true)
		[[ $rc_plain -eq $rc_prov ]] ||
		    die "$cc $args: exit $rc_prov, plain $rc_plain"
		cmp -s p.err v.err || { diff p.err v.err >&2 || true;
		    die "$cc $args: stderr differs"; }
		cmp -s p.out v.out || die "$cc $args: stdout differs"
		[[ $plain_made == "$prov_made" ]] ||
		    die "$cc $args: made '$prov_made', plain '$plain_made'"
	done
done
ok "a warning, an error in one of two sources, link options: same messages, status, outputs"

step "commands provcc does not split"
"$PROVCC" gcc -O2 -save-temps main.c util.c -o st
[[ $(./st) == 10 ]] || die "-save-temps: wrong program"
[[ -z $(records st) ]] || die "-save-temps: records made: $(records st)"
"$PROVCC" show --json st | "$PY" -c '
import json, sys
st = json.loads(sys.stdin.read())[0]["link"]["statement"]
kept = {i.get("path"): i for i in st["predicate"]["inputs"]}
for o in ("st-main.o", "st-util.o"):
    assert o in kept and "compiles" not in kept[o], kept.keys()'
ok "-save-temps: linked as given; the driver's kept objects listed, without records"

step "make's built-in rule"
mkdir mk && cp util.c util.h mk/ && cp main.c mk/prog.c && cd mk
printf 'prog: prog.c util.c\n' >Makefile
make -s CC="$PROVCC gcc" CFLAGS=-O2 >make.out
[[ $(./prog) == 10 ]] || die "make: wrong program"
[[ $(records prog | wc -l) -eq 2 ]] || die "make: $(records prog)"
ok "make prog (built-in rule): 2 records"
