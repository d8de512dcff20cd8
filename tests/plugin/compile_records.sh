#!/bin/bash
# compile_records.sh LINKER - objects and archive members compiled
# through provcc carry a compile record; the manifest counts them per
# input, and for a -r output.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[[ -x ${PROVCC:-} ]] || skip "PROVCC is not set"
write_sources
export PROVCC_ROOT=$W
for drv in "${DRIVERS[@]}"; do
	cc=$drv
	[[ $drv == g++ ]] && cc=gcc
	step "$drv -fuse-ld=$LINKER: compile records of inputs"
	build_parts "$PROVCC" "$cc" -O2
	"$cc" -O2 -c unused.c -o plain.o	# no record
	plink m.json "$drv" prog main.o helper.o plain.o -L. -lparts
	[[ $plink_rc -eq 0 ]] || { cat "$T/plain.err" >&2; die "link failed"; }
	mcheck field m.json main.o compileRecords 1
	mcheck field m.json plain.o compileRecords 0
	"$PY" - m.json <<'EOF2' || die "member records"
import json, sys
m = json.load(open(sys.argv[1]))
got = sorted((i["member"], i["compileRecords"]) for i in m["inputs"]
             if i.get("member"))
want = [("a_member_with_a_long_name.o", 1), ("one.o", 1)]
sys.exit(got != want and "members %r" % got)
EOF2
	plink mr.json "$drv" rel.o -r main.o helper.o
	"$PY" - mr.json <<'EOF2' || die "-r output records"
import json, sys
o = json.load(open(sys.argv[1]))["output"]
sys.exit(o.get("compileRecords") != 2 and "output %r" % o)
EOF2
	ok "$drv: 1 record per provcc object and member, 2 in the -r output"
done
