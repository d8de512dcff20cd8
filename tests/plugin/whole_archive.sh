#!/bin/bash
# whole_archive.sh LINKER - members taken by -Wl,--whole-archive are all
# listed, the unneeded one too, since the linker really includes it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

write_sources
for drv in "${DRIVERS[@]}"; do
	cc=$drv
	[[ $drv == g++ ]] && cc=gcc
	step "$drv -fuse-ld=$LINKER --whole-archive"
	build_parts "$cc" -O2
	plink m.json "$drv" prog main.o helper.o \
	    -Wl,--whole-archive libparts.a -Wl,--no-whole-archive
	[[ $plink_rc -eq 0 ]] || { cat "$T/plain.err" >&2; die "link failed"; }
	out_has never_referenced nm prog ||
	    die "--whole-archive did not include unused.o"
	mcheck members m.json libparts.a one.o a_member_with_a_long_name.o \
	    unused.o
	ok "$drv: all 3 members"

	step "$drv -fuse-ld=$LINKER --whole-archive -L -l"
	plink m2.json "$drv" prog main.o helper.o -L. \
	    -Wl,--whole-archive -lparts -Wl,--no-whole-archive
	[[ $plink_rc -eq 0 ]] || die "link failed"
	mcheck members m2.json libparts.a one.o a_member_with_a_long_name.o \
	    unused.o
	ok "$drv: all 3 members through -l"
done
