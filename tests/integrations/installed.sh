#!/bin/bash
# `cmake --install` into a temporary prefix: the toolchain file, the
# package files, the masquerade directory and the Meson native file are
# where the docs say, find the installed provcc, and work: the installed
# toolchain file and masquerade directory build the multi fixture with
# records and a signed note.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

install_prefix
P=$PREFIX
for f in bin/provcc share/provcc/cmake/provcc-toolchain.cmake \
	lib/cmake/provcc/provcc-config.cmake \
	lib/cmake/provcc/provcc-config-version.cmake \
	share/provcc/meson/provcc-native.ini; do
	[[ -f $P/$f ]] || die "not installed: $f"
done
for n in gcc cc g++ c++ clang clang++ ld ld.bfd ld.gold ld.lld \
	arm-none-eabi-gcc arm-none-eabi-g++ aarch64-linux-gnu-gcc \
	aarch64-linux-gnu-g++; do
	[[ $(readlink "$P/lib/provcc/masq/$n") == ../../../bin/provcc ]] ||
		die "lib/provcc/masq/$n is not a link to ../../../bin/provcc"
	[[ $P/lib/provcc/masq/$n -ef $P/bin/provcc ]] ||
		die "lib/provcc/masq/$n does not lead to the installed provcc"
done
grep -qxF "c = ['$P/bin/provcc', 'cc']" "$P/share/provcc/meson/provcc-native.ini" &&
	grep -qxF "cpp = ['$P/bin/provcc', 'c++']" \
		"$P/share/provcc/meson/provcc-native.ini" ||
	die "the installed native file does not name $P/bin/provcc"
if grep -q "$B" "$P/share/provcc/meson/provcc-native.ini" \
	"$P/lib/cmake/provcc/"*.cmake "$P/share/provcc/cmake/"*.cmake; then
	die "an installed file names the build tree"
fi
ok "installed: toolchain file, package files, 14 masquerade links, native file for $P"

make_key
export PROVCC_KEY=$T/key.pem
dir=$T/multi
copy_fixture multi "$dir"
step "the installed toolchain file"
logged configure env PROVCC_ROOT="$dir" cmake -S "$dir" -B "$dir/build" \
	-DCMAKE_TOOLCHAIN_FILE="$P/share/provcc/cmake/provcc-toolchain.cmake"
logged build env PROVCC_ROOT="$dir" cmake --build "$dir/build" -j2 -- VERBOSE=1
grep -q "^$P/bin/provcc /usr/bin/cc .*-c $dir/src/main.c" "$T/build.log" ||
	die "main.c was not compiled through the installed provcc"
PROVCC_ROOT=$dir pyrun -m provjson check-cmake "$dir" build \
	--method user-depfile || die "the records are wrong"
expect_signed "$dir/build/multi" 6
ok "compiled by the installed provcc; records, a verified note"

step "the installed masquerade directory"
copy_fixture multi "$dir"
logged make env PATH="$P/lib/provcc/masq:$PATH" PROVCC_ROOT="$dir" \
	make -C "$dir" -j2 check
PROVCC_ROOT=$dir pyrun -m provjson check-fixture "$dir" --argv0 cc \
	--argv0-cxx g++ || die "the records are wrong"
expect_signed "$dir/multi" 6
ok "records, a verified note, the program runs"
