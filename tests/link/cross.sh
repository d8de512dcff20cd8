#!/bin/bash
# link.cross - sign and verify an aarch64 Linux binary and an
# arm-none-eabi firmware image (newlib, nosys.specs), and a big-endian
# freestanding ARM image whose note header is big-endian too.  The
# digest in the slot is checked against elfdigest.py, written from the
# spec alone.  A compiler that is missing is skipped; with none, 77.
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
	read -r off _ <<<"$(desc_range "$T/$name")"
	[[ $(od -An -tx1 -v -j$((off + 48)) -N32 "$T/$name" | tr -d ' \n') == \
	    $("$PY" "$ELFDIGEST/elfdigest.py" digest "$T/$name" \
	    "$((off + 48)):96") ]] || die "$name: slot digest != elfdigest.py"
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
cat >"$T/fw.c" <<'C'
int counter = 42;
const char msg[] = "big-endian firmware";
void _start(void) { for (;;) counter += msg[counter & 7]; }
C
BIG=1 SRC=$T/fw.c cross armbe arm-none-eabi- -mbig-endian -O2 -nostdlib
[[ $ran -gt 0 ]] || skip "no cross compilers"
