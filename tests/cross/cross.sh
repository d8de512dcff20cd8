#!/bin/bash
# Cross compilers through provcc: a bare-metal arm-none-eabi-gcc compile
# and an aarch64-linux-gnu-gcc compile carry records that name the
# cross toolchain and target, and equal the plain objects but for the
# note.  Forms: named compiler and a masquerade link.
set -euo pipefail

: "${PROVCC:?}"
for cc in arm-none-eabi-gcc aarch64-linux-gnu-gcc; do
	if ! command -v "$cc" >/dev/null; then
		echo "SKIP: $cc not installed"
		exit 77
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PROVCC_CACHE_DIR="$tmp/cache" PROVCC_ROOT="$tmp/src"
mkdir -p "$tmp/src" "$tmp/masq"
cd "$tmp/src"

cat > fw.c <<'C'
#include <stdint.h>
#include <string.h>
#include "board.h"

volatile uint32_t ticks;

int main(void)
{
	char buf[BOARD_BUF];

	memset(buf, 1, sizeof(buf));
	for (;;)
		ticks += (uint32_t)buf[3];
}
C
echo '#define BOARD_BUF 16' > board.h

fail() { echo "FAIL: $*"; exit 1; }

# field FILE EXPR: evaluate a Python expression on the first record.
field() {
	"$PROVCC" show --json "$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)[0]["objects"][0]["compile"][0]
print(eval(sys.argv[1]))' "$2"
}

check_record() {	# OBJ TARGET-TRIPLE PROGRAM-SUBSTRING
	local obj=$1 triple=$2 prog=$3
	[ "$(field "$obj" 'r["toolchain"]["target"]')" = "$triple" ] ||
	    fail "$obj: target is not $triple"
	field "$obj" '" ".join(p["path"] for p in r["toolchain"]["programs"])' |
	    grep -q -- "$prog" || fail "$obj: no $prog among the programs"
	field "$obj" '" ".join(i["path"] for i in r["inputs"])' |
	    grep -q 'board.h' || fail "$obj: board.h not among the inputs"
	field "$obj" '" ".join(i["path"] for i in r["inputs"])' |
	    grep -q 'string.h' || fail "$obj: string.h not among the inputs"
	[ "$(field "$obj" 'r["source"]["path"]')" = fw.c ] ||
	    fail "$obj: wrong source"
}

echo "arm-none-eabi-gcc, named"
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -g -c fw.c -o plain-arm.o
"$PROVCC" arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -g -c fw.c -o arm.o
check_record arm.o arm-none-eabi cc1
[ -z "${ELFCMP:-}" ] || "$ELFCMP" plain-arm.o arm.o || fail "arm objects differ"

echo "arm-none-eabi-gcc, masquerade link in PATH"
ln -s "$PROVCC" "$tmp/masq/arm-none-eabi-gcc"
PATH="$tmp/masq:$PATH" arm-none-eabi-gcc -mthumb -O2 -c fw.c -o arm2.o
check_record arm2.o arm-none-eabi cc1
[ "$(field arm2.o 'r["argv"][0]')" = arm-none-eabi-gcc ] ||
    fail "masquerade: argv[0] not recorded as given"

echo "aarch64-linux-gnu-gcc"
aarch64-linux-gnu-gcc -O2 -g -c fw.c -o plain-a64.o
"$PROVCC" aarch64-linux-gnu-gcc -O2 -g -c fw.c -o a64.o
check_record a64.o aarch64-linux-gnu aarch64-linux-gnu-as
[ -z "${ELFCMP:-}" ] || "$ELFCMP" plain-a64.o a64.o || fail "aarch64 objects differ"

echo "clang --target=aarch64-linux-gnu"
"$PROVCC" clang --target=aarch64-linux-gnu -O2 -c fw.c -o c64.o
[ "$(field c64.o 'r["toolchain"]["target"]')" = aarch64-unknown-linux-gnu ] ||
    fail "clang cross: target not recorded"
readelf -h c64.o | grep -q AArch64 || fail "clang cross: not an AArch64 object"

# linked LINKER-DRIVER OUT OBJ...: link through provcc with a key; the
# output carries a note in a loaded segment that verifies, also after
# the cross strip, and lists OBJ's compile record.
linked() {
	local drv=$1 out=$2 strip=${1%gcc}strip
	shift 2
	PROVCC_KEY="$tmp/key.pem" "$PROVCC" "$drv" "$@" -o "$out" ||
	    fail "$drv: link failed"
	"$PROVCC" verify --key "$tmp/key.pem.pub" "$out" ||
	    fail "$out does not verify"
	"$strip" "$out"
	"$PROVCC" verify --key "$tmp/key.pem.pub" "$out" ||
	    fail "$out does not verify after $strip"
	"$PROVCC" show --json "$out" | python3 -c '
import json, sys
p = json.load(sys.stdin)[0]["link"]["statement"]["predicate"]
srcs = [c["source"]["path"] for c in p["compiles"]]
assert "fw.c" in srcs, srcs' || fail "$out: fw.c compile record missing"
}

echo "linked and signed: arm-none-eabi firmware, aarch64 program"
"$PROVCC" keygen "$tmp/key.pem" >/dev/null
linked arm-none-eabi-gcc fw.elf -mcpu=cortex-m4 -mthumb --specs=nosys.specs \
    arm.o
readelf -lW fw.elf | grep -q NOTE || fail "firmware: no PT_NOTE"
linked aarch64-linux-gnu-gcc prog-a64 a64.o
linked aarch64-linux-gnu-gcc prog-a64-static -static a64.o

echo "PASS"
