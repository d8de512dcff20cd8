#!/bin/bash
# link.cross - sign and verify an aarch64 Linux binary and an
# arm-none-eabi firmware image (newlib, nosys.specs).  A compiler that
# is missing is skipped; with neither, exit 77.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

keys
ran=0
cross() {
	local name=$1 pfx=$2
	shift 2
	if ! command -v "${pfx}gcc" >/dev/null ||
	    ! command -v "${pfx}objcopy" >/dev/null; then
		echo "$TEST_NAME: no ${pfx}gcc, $name skipped"
		return 0
	fi
	build_linked "$name" "$pfx" "$@"
	desc_range "$T/$name" >/dev/null || die "$name: note not found"
	verify_status 6 "$T/$name"
	"$PROVCC" sign --key "$T/ed" "$T/$name"
	verify_status 0 "$T/$name"
	cp "$T/$name" "$T/$name.ec"
	"$PROVCC" sign --key "$T/ec" "$T/$name.ec"
	verify_status 0 "$T/$name.ec" "$T/ec.pub"
	"${pfx}strip" -o "$T/$name.stripped" "$T/$name"
	verify_status 0 "$T/$name.stripped"
	patch "$T/$name.stripped" "$(($(section_off "$T/$name" .text) + 2))"
	verify_status 7 "$T/$name.stripped"
	"$PROVCC" show "$T/$name" >/dev/null
	ran=$((ran + 1))
}
cross aarch64 aarch64-linux-gnu- -O2 -g
cross armfw arm-none-eabi- -O2 -g --specs=nosys.specs
[[ $ran -gt 0 ]] || skip "no cross compilers"
