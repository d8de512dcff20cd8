#!/bin/bash
# archive_members.sh LINKER - a program from two objects and a static
# library of three members of which two are needed: the manifest lists
# the objects, exactly the two used members (names, offsets, sizes and
# SHA-256 as an independent reading of the archive gives them), the crt
# files, the shared libraries and linker scripts the link read, and the
# output; the plugin changes nothing in the output.  Also the same link
# with -static, a -r link and a thin archive.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

write_sources
for drv in "${DRIVERS[@]}"; do
	cc=$drv
	[[ $drv == g++ ]] && cc=gcc	# g++ links C objects like any other
	step "$drv -fuse-ld=$LINKER: objects + 2 of 3 archive members"
	build_parts "$cc" -O2
	plink m.json "$drv" prog main.o helper.o -L. -lparts
	[[ $plink_rc -eq 0 ]] || { cat "$T/plain.err" >&2; die "link failed"; }
	mcheck valid m.json
	mcheck files m.json main.o helper.o
	mcheck members m.json libparts.a one.o a_member_with_a_long_name.o
	mcheck lacks m.json unused.o
	typ=exec
	out_has 'Type: +DYN' readelf -h prog && typ=pie
	mcheck output m.json prog "$typ"
	mcheck soname m.json libc.so.6 true
	# glibc's libc.so is a linker script; the linker reads it and offers
	# it like any input.
	libc_so=$("$cc" -print-file-name=libc.so)
	if [[ -f $libc_so ]] && out_has GROUP head -c 200 "$libc_so"; then
		mcheck kind m.json "$libc_so" script
	fi
	# The crt files the driver adds.
	crti=$("$cc" -print-file-name=crti.o)
	mcheck files m.json "$crti"
	ok "$drv: objects, the 2 used members, crt files, libc.so script"

	step "$drv -fuse-ld=$LINKER -static"
	if [[ -f $("$cc" -print-file-name=libc.a) ]]; then
		plink ms.json "$drv" progs -static main.o helper.o -L. -lparts
		[[ $plink_rc -eq 0 ]] || die "static link failed"
		mcheck members ms.json libparts.a one.o \
		    a_member_with_a_long_name.o
		mcheck output ms.json progs exec
		libc_a=$("$cc" -print-file-name=libc.a)
		# Some libc.a members, never the whole archive.
		mcheck field ms.json "$libc_a" kind '"rel"'
		ok "$drv -static: libc.a members listed"
	fi

	step "$drv -fuse-ld=$LINKER -r"
	plink mr.json "$drv" rel.o -r main.o helper.o libparts.a
	[[ $plink_rc -eq 0 ]] || die "-r link failed"
	mcheck files mr.json main.o helper.o
	mcheck members mr.json libparts.a one.o a_member_with_a_long_name.o
	mcheck lacks mr.json unused.o
	mcheck output mr.json rel.o rel
	ok "$drv -r: same members"

	step "$drv -fuse-ld=$LINKER with a thin archive"
	rm -f libthin.a
	ar rcsT libthin.a one.o a_member_with_a_long_name.o unused.o
	plink mt.json "$drv" progt main.o helper.o libthin.a
	[[ $plink_rc -eq 0 ]] || die "thin archive link failed"
	# Members of a thin archive are offered as the files they are.
	mcheck files mt.json one.o a_member_with_a_long_name.o
	mcheck lacks mt.json unused.o
	ok "$drv: thin archive members as their own files"
done
