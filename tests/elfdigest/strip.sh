#!/bin/bash
# strip.sh - the digest on real binaries of every kind the installed
# compilers build, each linked with a provcc note of a test type:
#   gcc and clang PIE and non-PIE executables, shared libraries, static
#   and static-pie executables, lld and gold links; arm-none-eabi
#   firmware (ELF32 LSB), big-endian (ELF32 MSB) and with its own PHDRS
#   (no PT_NOTE); aarch64-linux-gnu PIE, static and big-endian (ELF64 MSB).
# For each:
# - C (elfdigest_tool), Python (elfdigest.py) and the shell recipe agree
#   on the digest with the note's descriptor zeroed, and on the note;
# - strip, strip --strip-debug, strip --strip-unneeded, eu-strip,
#   eu-strip -f, a debug split (objcopy --only-keep-debug, strip
#   --strip-debug, objcopy --add-gnu-debuglink), llvm-strip and
#   llvm-objcopy --strip-sections keep the note's place and the digest;
# - flipping a byte of .text, .data, a program header or e_entry changes
#   the digest; one in the descriptor, .comment or a section header not;
# - truncated and damaged copies are refused with a reason, not a crash.
# Then: non-zero padding between sections is reported as a strip hazard
# (GNU strip zeroes it, docs/elf-digest.md 6.2).  A kind whose compiler
# is missing is skipped with a message; a strip form whose tool is
# missing too.
set -uo pipefail

: "${TOOL:?}" "${SRCDIR:?}"
if [ ! -x /usr/bin/python3 ]; then
	echo "SKIP: no /usr/bin/python3"
	exit 77
fi
PY="/usr/bin/python3 $SRCDIR/elfdigest.py"
RECIPE="bash $SRCDIR/recipe.sh"
TYPE=0x7e57

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failures=0 built=0 checked=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat > prog.c <<'C'
#include <stdio.h>
int counter = 42;
static const char msg[] = "hello provenance";
int libfn(int x) { return x * 3 + counter; }
int main(int argc, char **argv) { (void)argv; printf("%s %d\n", msg, libfn(argc)); return 0; }
C
cat > lib.c <<'C'
int counter = 42;
const char lib_msg[] = "library data";
int libfn(int x) { return x * 3 + counter + lib_msg[x & 7]; }
C
cat > fw.c <<'C'
#include <stdint.h>
volatile uint32_t ticks = 5;
uint32_t buf[16];
int main(void) { for (int i = 0; i < 16; i++) buf[i] = ticks + i; for (;;) ticks += buf[3]; }
C
cat > a64be.c <<'C'
long counter = 42;
void _start(void) { for (;;) counter++; }
C
# The note: owner "provcc", type 0x7e57, a 72-byte descriptor; allocated,
# so the linker puts it in a loaded segment.
cat > note.S <<'S'
	.section .note.provcc.test,"a",%note
	.balign 4
	.long 7
	.long 2f - 1f
	.long 0x7e57
	.asciz "provcc"
	.byte 0
1:	.ascii "HEAD"
	.fill 64, 1, 0x5a
	.ascii "TAIL"
2:
	.section .note.GNU-stack,"",%progbits
S
# Firmware with its own program headers: no PT_NOTE, so the note is
# found through its section.
cat > fw.ld <<'LD'
ENTRY(main)
PHDRS { text PT_LOAD; data PT_LOAD; }
SECTIONS {
	. = 0x08000000;
	.note.provcc.test : { KEEP(*(.note.provcc.test)) } :text
	.text : { *(.text*) *(.rodata*) } :text
	. = 0x20000000;
	.data : { *(.data*) } :data
	.bss : { *(.bss*) *(COMMON) } :data
}
LD

have() { command -v "$1" >/dev/null 2>&1; }

# build KIND: write KIND; print the architecture (host, arm, a64).
build() {
	local cc arch=host
	case $1 in
	arm-*) cc=arm-none-eabi-gcc arch=arm ;;
	a64-*) cc=aarch64-linux-gnu-gcc arch=a64 ;;
	clang-*) cc=clang ;;
	*) cc=gcc ;;
	esac
	if ! have $cc; then
		echo "SKIP $1: $cc not installed" >&2
		return 1
	fi
	local m4="-mcpu=cortex-m4 -mthumb"
	case $1 in
	gcc-static) set -- "$1" $cc -O2 -g -static prog.c note.S ;;
	gcc-static-pie) set -- "$1" $cc -O2 -g -static-pie prog.c note.S ;;
	*-pie) set -- "$1" $cc -O2 -g -fPIE -pie prog.c note.S ;;
	*-nopie) set -- "$1" $cc -O2 -g -fno-PIE -no-pie prog.c note.S ;;
	*-shared) set -- "$1" $cc -O2 -g -shared -fPIC lib.c note.S ;;
	clang-lld) set -- "$1" $cc -O2 -g -fuse-ld=lld prog.c note.S ;;
	gcc-gold) set -- "$1" $cc -O2 -g -fuse-ld=gold prog.c note.S ;;
	arm-fw) set -- "$1" $cc $m4 --specs=nosys.specs -O2 -g fw.c note.S ;;
	arm-fw-be) set -- "$1" $cc $m4 -mbig-endian -nostdlib -ffreestanding \
	    -O2 -g -Wl,-e,main fw.c note.S ;;
	arm-fw-phdrs) set -- "$1" $cc $m4 -nostdlib -ffreestanding -O2 -g \
	    -T fw.ld fw.c note.S ;;
	a64-static) set -- "$1" $cc -O2 -g -static prog.c note.S ;;
	a64-be) set -- "$1" $cc -mbig-endian -nostdlib -ffreestanding -static \
	    -O2 -g a64be.c note.S ;;
	esac
	local kind=$1
	shift
	if ! "$@" -o "$kind" 2> "$kind.log"; then
		echo "SKIP $kind: $cc cannot build it:" >&2
		sed 's/^/    /' "$kind.log" >&2
		return 1
	fi
	echo $arch
}

# binutils for ARCH: strip and objcopy.
binutils() {
	case $1 in
	host) echo "strip objcopy" ;;
	arm) echo "arm-none-eabi-strip arm-none-eabi-objcopy" ;;
	a64) echo "aarch64-linux-gnu-strip aarch64-linux-gnu-objcopy" ;;
	esac
}

# stripped FORM IN OUT STRIP OBJCOPY: OUT made from IN by FORM.
# Exit 2: the tool is missing; 3: it refused the file.
stripped() {
	local form=$1 in=$2 out=$3 S=$4 O=$5 t
	case $form in
	eu-*) t=eu-strip ;;
	llvm-strip) t=llvm-strip ;;
	llvm-sections) t=llvm-objcopy ;;
	split) t=$O ;;
	*) t=$S ;;
	esac
	have $t || return 2
	case $form in
	strip) $S -o "$out" "$in" ;;
	strip-debug) $S --strip-debug -o "$out" "$in" ;;
	strip-unneeded) $S --strip-unneeded -o "$out" "$in" ;;
	eu-strip) eu-strip -o "$out" "$in" ;;
	eu-strip-f) eu-strip -f "$out.debug" -o "$out" "$in" ;;
	split) have $S || return 2
		$O --only-keep-debug "$in" "$out.debug" && cp "$in" "$out" &&
		    $S --strip-debug "$out" &&
		    $O --add-gnu-debuglink="$out.debug" "$out" ;;
	llvm-strip) llvm-strip -o "$out" "$in" 2>/dev/null || return 3 ;;
	llvm-sections) llvm-objcopy --strip-sections "$in" "$out" \
	    2>/dev/null || return 3 ;;
	esac
}
FORMS="strip strip-debug strip-unneeded eu-strip eu-strip-f split
    llvm-strip llvm-sections"

# flip FILE OFFSET: invert the byte there.
flip() {
	local b
	b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 0xff)))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# section FILE NAME: "OFFSET SIZE" in decimal, or nothing.
section() {
	local off size
	read -r off size < <(readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' |
	    awk -v n="$2" '$1 == n { print $4, $5; exit }')
	[ -z "${off:-}" ] || echo $((16#$off)) $((16#$size))
}

# digest_of FILE SLOT: the C digest, checked against Python's.
digest_of() {
	local c p
	c=$("$TOOL" digest "$1" $2) || return 1
	p=$($PY digest "$1" $2) || return 1
	[ "$c" = "$p" ] || fail "$1: C digest $c, Python $p"
	echo "$c"
}

# mutation FILE SLOT OFFSET WHAT EXPECT(same|differs) D0
mutation() {
	local f=$1 slot=$2 off=$3 what=$4 expect=$5 d0=$6 d
	cp "$f" mut
	flip mut "$off"
	if ! d=$(digest_of mut "$slot" 2>&1); then
		fail "$f: flipping $what refused: $d"
		return
	fi
	if [ "$expect" = same ] && [ "$d" != "$d0" ]; then
		fail "$f: flipping $what (offset $off) changed the digest"
	elif [ "$expect" = differs ] && [ "$d" = "$d0" ]; then
		fail "$f: flipping $what (offset $off) kept the digest"
	fi
}

# field FILE OFF SIZE: the unsigned number there, in decimal.
field() {
	local e=little
	[ "$(od -An -tu1 -j5 -N1 "$1" | tr -d ' ')" = 2 ] && e=big
	od -An -tu"$3" -j"$2" -N"$3" --endian=$e "$1" | tr -d ' '
}

check_mutations() {
	local f=$1 slot=$2 d0=$3 w be phoff shoff t
	w=$(( $(field "$f" 4 1) == 2 ? 8 : 4 ))
	be=$(( $(field "$f" 5 1) == 2 ))
	# lo OFF: the lowest byte of the W-byte field at OFF.
	lo() { echo $(($1 + (be ? w - 1 : 0))); }
	t=$(section "$f" .text)
	set -- $t
	mutation "$f" "$slot" $(($1 + $2 / 2)) .text differs "$d0"
	t=$(section "$f" .data)
	if [ -n "$t" ]; then
		set -- $t
		mutation "$f" "$slot" $(($1 + $2 / 2)) .data differs "$d0"
	else
		fail "$f: no .data section"
	fi
	phoff=$(field "$f" $((w == 8 ? 32 : 28)) $w)
	mutation "$f" "$slot" "$(lo $((phoff + (w == 8 ? 24 : 12))))" \
	    "p_paddr of program header 0" differs "$d0"
	mutation "$f" "$slot" "$(lo 24)" e_entry differs "$d0"
	mutation "$f" "$slot" $((${slot%:*} + 5)) "a descriptor byte" same \
	    "$d0"
	t=$(section "$f" .comment)
	if [ -n "$t" ]; then
		set -- $t
		mutation "$f" "$slot" $(($1 + 1)) .comment same "$d0"
	fi
	shoff=$(field "$f" $((w == 8 ? 40 : 32)) $w)
	mutation "$f" "$slot" $((shoff + 2 * (w == 8 ? 64 : 40) + 1)) \
	    "a section header" same "$d0"
}

# Damaged copies: refused with a reason, never a crash.
check_refusals() {
	local f=$1 slot=$2 size out
	size=$(wc -c < "$f")
	head -c $((${slot%:*} + 10)) "$f" > cut	# inside a segment
	: > empty
	for bad in cut empty prog.c /dev/null .; do
		out=$("$TOOL" digest "$bad" 2>&1)
		[ $? = 2 ] && [ -n "$out" ] ||
		    fail "$f: $bad not refused with a reason: $out"
	done
	if [ "$size" -lt 200000 ]; then
		"$TOOL" fuzz "$f" 2000 7 > fuzz.out 2>&1 ||
		    fail "$f: fuzz: $(cat fuzz.out)"
		echo "  fuzz: $(cat fuzz.out)"
	fi
}

check_kind() {
	local kind=$1 arch=$2 range prange slot d0 d r form S O rc
	range=$("$TOOL" note "$kind" $TYPE) || {
		fail "$kind: no note found: $range"
		return
	}
	prange=$($PY note "$kind" $TYPE)
	[ "$range" = "$prange" ] ||
	    fail "$kind: note at $range (C), $prange (Python)"
	slot="${range% *}:${range#* }"
	d0=$(digest_of "$kind" "$slot") || {
		fail "$kind: no digest"
		return
	}
	r=$($RECIPE "$kind" "$slot")
	[ "$r" = "$d0" ] || fail "$kind: recipe digest $r, C $d0"
	[ "$("$TOOL" hazard "$kind")" = "0 0" ] ||
	    fail "$kind: strip hazard $("$TOOL" hazard "$kind")"
	echo "$kind: note descriptor at $range, digest $d0"
	read -r S O <<<"$(binutils "$arch")"
	for form in $FORMS; do
		rm -f "$kind.$form" "$kind.$form.debug"
		stripped "$form" "$kind" "$kind.$form" "$S" "$O"
		rc=$?
		case $rc in
		0) ;;
		2) echo "  $form: SKIP (tool not installed)"; continue ;;
		3) echo "  $form: n/a (the tool refuses this file)"; continue ;;
		*) fail "$kind: $form failed"; continue ;;
		esac
		if cmp -s "$kind" "$kind.$form"; then
			fail "$kind: $form changed nothing"
		fi
		r=$("$TOOL" note "$kind.$form" $TYPE)
		if [ $kind = arm-fw-phdrs ] && [ $form = llvm-sections ]; then
			# No PT_NOTE and now no sections: nothing to find it
			# by (docs/elf-digest.md 4).  The digest still holds.
			[ "$r" = none ] || fail "$kind: $form: note at $r"
		elif [ "$r" != "$range" ]; then
			fail "$kind: $form: note now at $r"
		fi
		d=$(digest_of "$kind.$form" "$slot")
		if [ "$d" = "$d0" ]; then
			echo "  $form: same digest," \
			    "$(wc -c < "$kind.$form") bytes"
		else
			fail "$kind: $form changed the digest to $d"
		fi
		checked=$((checked + 1))
	done
	r=$($RECIPE "$kind.strip" "$slot" 2>/dev/null)
	[ ! -e "$kind.strip" ] || [ "$r" = "$d0" ] ||
	    fail "$kind: recipe on the stripped file: $r"
	check_mutations "$kind" "$slot" "$d0"
	check_refusals "$kind" "$slot"
}

# Non-zero padding between two sections of a loaded segment: reported,
# and GNU strip writes it as zero (docs/elf-digest.md 6.2).
check_hazard() {
	local f=$1 gap h d0 d
	gap=$($PY gaps "$f" | awk '{ print $1 }')
	if [ -z "$gap" ]; then
		echo "hazard: $f has no padding between sections; not checked"
		return
	fi
	cp "$f" padded
	flip padded "$gap"
	h=$("$TOOL" hazard padded)
	[ "$h" = "1 $gap" ] || fail "hazard: got '$h', want '1 $gap'"
	[ "$($PY hazard padded)" = "$h" ] || fail "hazard: Python disagrees"
	d0=$("$TOOL" digest padded)
	strip -o padded.strip padded
	d=$("$TOOL" digest padded.strip)
	if [ "$d" != "$d0" ]; then
		echo "hazard: GNU strip zeroed the padding byte at $gap;" \
		    "the digest changed, as documented"
	else
		echo "NOTE: GNU strip kept the padding byte at $gap;" \
		    "docs/elf-digest.md 6.2 is out of date"
	fi
}

for kind in gcc-pie gcc-nopie clang-pie clang-nopie gcc-shared \
    clang-shared gcc-static gcc-static-pie clang-lld gcc-gold \
    arm-fw arm-fw-be arm-fw-phdrs a64-pie a64-static a64-be; do
	ld=""
	case $kind in
	clang-lld) ld=ld.lld ;;
	gcc-gold) ld=ld.gold ;;
	esac
	if [ -n "$ld" ] && ! have $ld; then
		echo "SKIP $kind: $ld not installed"
		continue
	fi
	arch=$(build $kind) || continue
	built=$((built + 1))
	if [ $kind = arm-fw-phdrs ] &&
	    readelf -lW $kind | grep -q ' NOTE '; then
		fail "$kind: has a PT_NOTE after all"
	fi
	check_kind $kind "$arch"
done
[ $built -gt 0 ] || { echo "SKIP: no compiler could build anything"; exit 77; }
if have gcc && [ -e gcc-pie ]; then
	check_hazard gcc-pie
fi

echo "$built kinds built, $checked stripped files checked, $failures failures"
[ $failures = 0 ]
