#!/bin/bash
# The masquerade directory of the build tree (lib/provcc/masq): every
# link is relative and leads to provcc; with it first in PATH, plain
# `make` of the multi fixture records every object, and the program
# carries a signed note and runs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

M=$B/lib/provcc/masq
for n in gcc cc g++ c++ clang clang++ ld ld.bfd ld.gold ld.lld \
	arm-none-eabi-gcc arm-none-eabi-g++ aarch64-linux-gnu-gcc \
	aarch64-linux-gnu-g++; do
	[[ -L $M/$n ]] || die "$M/$n is not a symbolic link"
	[[ $(readlink "$M/$n") == ../../../bin/provcc ]] ||
		die "$M/$n -> $(readlink "$M/$n")"
	[[ $M/$n -ef $PROVCC ]] || die "$M/$n does not lead to provcc"
done
ok "14 relative links to ../../../bin/provcc"

make_key
dir=$T/multi
copy_fixture multi "$dir"
step "PATH=masq:\$PATH make"
logged make env PATH="$M:$PATH" PROVCC_ROOT="$dir" PROVCC_KEY="$T/key.pem" make -C "$dir" -j2 check
PROVCC_ROOT=$dir pyrun -m provjson check-fixture "$dir" --argv0 cc --argv0-cxx g++ \
	--method depfile || die "the records are wrong"
pyrun -m provjson check-archive "$dir/libmulti.a" --manifest "$dir" ||
	die "libmulti.a: the members' records are wrong"
expect_signed "$dir/multi" 6
grep -q 'multi: check passed' "$T/make.log" || die "multi does not run"
ok "every object recorded, multi signed and runs"
