# lib.sh - shared setup of the link tests, sourced after
# `set -euo pipefail`.  CTest sets PROVCC, MKLINKNOTE, LINKFUZZ, SRCDIR,
# ELFDIGEST and DOCDIR.  Makes a private directory $T (kept with
# KEEP_TMP=1).

set -o errtrace
TEST_NAME=link.$(basename "$0" .sh)
PY=/usr/bin/python3
export LC_ALL=C LANG=C
unset PROVCC_KEY

die() { printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2; exit 1; }
ok() { printf '%s:    ok: %s\n' "$TEST_NAME" "$*"; }
skip() { printf '%s: SKIP: %s\n' "$TEST_NAME" "$*"; exit 77; }

for v in PROVCC MKLINKNOTE SRCDIR ELFDIGEST; do
	[[ -n ${!v:-} ]] || die "$v is not set (run the test through ctest)"
done
[[ -x $PY ]] || skip "no $PY"

T=$(mktemp -d "${TMPDIR:-/tmp}/provcc-$TEST_NAME.XXXXXX")
cleanup() {
	local rc=$?
	if [[ ${KEEP_TMP:-0} == 1 ]]; then
		echo "$TEST_NAME: kept $T" >&2
	else
		rm -rf "$T"
	fi
	[[ $rc -eq 0 ]] && echo "$TEST_NAME: PASSED"
	[[ $rc -eq 77 || $rc -eq 0 ]] || echo "$TEST_NAME: FAILED ($rc)" >&2
}
trap cleanup EXIT
trap 'echo "$TEST_NAME: FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$T"

# build_linked OUT TOOLPREFIX CC-ARGS...: compile a small program with
# ${TOOLPREFIX}gcc and link a note object made by mklinknote into it.
# With BIG=1 the note header is big-endian; NONOTE=1 leaves it out;
# SRC=FILE compiles FILE instead of the hosted hello.c.
build_linked() {
	local out=$1 pfx=$2
	shift 2
	cat >"$T/hello.c" <<'C'
#include <stdio.h>
static const char greeting[] = "hello, signed world";
int counter = 42;
int main(void) { puts(greeting); return counter - 42; }
C
	: >"$T/empty.c"
	"${pfx}gcc" "$@" -c "${SRC:-$T/hello.c}" -o "$T/$out.main.o"
	"${pfx}gcc" "$@" -c "$T/empty.c" -o "$T/$out.empty.o"
	"$MKLINKNOTE" ${BIG:+-b} "$SRCDIR/predicate.json" "$out" "$T/$out.note"
	"${pfx}objcopy" --add-section .note.provcc.link="$T/$out.note" \
	    --set-section-flags .note.provcc.link=alloc,readonly,contents \
	    --set-section-alignment .note.provcc.link=4 \
	    "$T/$out.empty.o" "$T/$out.note.o"
	if [[ ${NONOTE:-0} == 1 ]]; then
		"${pfx}gcc" "$@" "$T/$out.main.o" -o "$T/$out"
	else
		"${pfx}gcc" "$@" "$T/$out.main.o" "$T/$out.note.o" -o "$T/$out"
	fi
}

# verify_status WANT FILE [KEY]: provcc verify exits WANT.
verify_status() {
	local want=$1 file=$2 key=${3:-$T/ed.pub} rc=0
	"$PROVCC" verify --key "$key" "$file" >"$T/v.out" 2>"$T/v.err" || rc=$?
	if [[ $rc -ne $want ]]; then
		cat "$T/v.out" "$T/v.err" >&2
		die "verify $file: exit $rc, expected $want"
	fi
	ok "verify $(basename "$file"): $want: $(cat "$T/v.out")"
}

# desc_range FILE: "OFF LEN" of the link note's descriptor.
desc_range() { "$MKLINKNOTE" find "$1"; }

# patch FILE OFFSET: flip the low bit of the byte at OFFSET.
patch() {
	"$PY" - "$1" "$2" <<'PY'
import sys
f, off = sys.argv[1], int(sys.argv[2], 0)
b = bytearray(open(f, "rb").read())
b[off] ^= 1
open(f, "wb").write(b)
PY
}

# section_off FILE NAME: file offset of section NAME (readelf).
section_off() {
	local hex
	hex=$(readelf -S -W "$1" | sed 's/^ *\[ *[0-9]*\] *//' |
	    awk -v n="$2" '$1 == n { print $4; exit }')
	[[ -n $hex ]] || die "no section $2 in $1"
	echo $((16#$hex))
}

keys() {
	"$PROVCC" keygen "$T/ed" >/dev/null
	"$PROVCC" keygen --type ecdsa-p256 "$T/ec" >/dev/null
}
