#!/bin/bash
# objects_equal.sh - provcc changes nothing in an object but for adding
# its note: elfcmp(plain, prov) for the fixture's sources under several
# flag sets, compilers and targets; and elfcmp itself can fail.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

F=$T/fx
copy_fixture multi "$F"
cd "$F"
export PROVCC_ROOT=$F
C_SRCS=(src/main.c src/strops.c src/counter.c src/util/checksum.c)
CXX_SRCS=(src/words.cpp src/join.cc)

# compare_one SET CC FLAGS SRC: compile SRC to the same object path
# plainly and through provcc, keep both under plain/SET and prov/SET.
compare_one() {
	local set=$1 cc=$2 flags=$3 src=$4 obj
	obj=${src%.*}.o
	mkdir -p "$T/plain/$set" "$T/prov/$set"
	# shellcheck disable=SC2086
	$cc $flags -Iinclude -c "$src" -o "$obj" ||
		die "plain $cc $flags -c $src failed"
	mv "$obj" "$T/plain/$set/$(basename "$obj")"
	# shellcheck disable=SC2086
	"$PROVCC" $cc $flags -Iinclude -c "$src" -o "$obj" ||
		die "provcc $cc $flags -c $src failed"
	mv "$obj" "$T/prov/$set/$(basename "$obj")"
	if ! "$ELFCMP" -n "$T/plain/$set/$(basename "$obj")" \
		"$T/prov/$set/$(basename "$obj")" >/dev/null 2>"$T/elfcmp.err"
	then
		cat "$T/elfcmp.err" >&2
		die "$cc $flags -c $src: objects differ beyond the note"
	fi
	pyrun - "$T/prov/$set/$(basename "$obj")" "$src" <<'PY' ||
import sys, provjson as pj
r = pj.only_record(sys.argv[1])
if r["source"]["path"] != sys.argv[2]:
    sys.exit("record of %s has source %r" % (sys.argv[1], r["source"]["path"]))
PY
		die "$cc $flags -c $src: wrong record"
}

# compare_set SET CC FLAGS SRC...
compare_set() {
	local set=$1 cc=$2 flags=$3 src
	shift 3
	for src in "$@"; do
		compare_one "$set" "$cc" "$flags" "$src"
	done
	ok "$set: $cc $flags: $# objects equal but for the note"
}

step "the fixture's sources"
compare_set gcc-O0g gcc "-O0 -g" "${C_SRCS[@]}"
compare_set gcc-O2 gcc "-O2" "${C_SRCS[@]}"
compare_set gcc-O2gPIC gcc "-O2 -g -fPIC" "${C_SRCS[@]}"
compare_set gcc-gz gcc "-O2 -g -gz" "${C_SRCS[@]}"
compare_set gcc-sections gcc "-O2 -ffunction-sections -fdata-sections" \
	"${C_SRCS[@]}"
compare_set gcc-lto gcc "-flto -frandom-seed=fixed -O2" "${C_SRCS[@]}"
compare_set gcc-fat-lto gcc "-flto -ffat-lto-objects -frandom-seed=f -O2" \
	src/main.c
compare_set gxx-O2g g++ "-O2 -g" "${CXX_SRCS[@]}"
compare_set gxx-O0gPIC g++ "-O0 -g -fPIC" "${CXX_SRCS[@]}"
if [[ -n $CLANG ]]; then
	compare_set clang-O2g clang "-O2 -g" "${C_SRCS[@]}"
	compare_set clang-O0gPIC clang "-O0 -g -gdwarf-4 -fPIC" "${C_SRCS[@]}"
	compare_set clangxx-O2g clang++ "-O2 -g" "${CXX_SRCS[@]}"
fi
# Options that make the compiler record its own command line: provcc
# must not add anything to such a command.
compare_set gcc-frecord gcc "-O2 -frecord-gcc-switches" "${C_SRCS[@]}"
compare_set gcc-grecord gcc "-O2 -g -grecord-gcc-switches" src/main.c
if [[ -n $CLANG ]]; then
	compare_set clang-grecord clang "-O2 -g -grecord-command-line" \
		"${C_SRCS[@]}"
	compare_set clang-frecord clang "-O2 -frecord-command-line" src/main.c
	compare_set clangxx-grecord clang++ "-O2 -g -grecord-command-line" \
		src/join.cc
fi
out_has 'GCC\.command\.line' readelf -S -W "$T/prov/gcc-frecord/main.o" ||
	die "-frecord-gcc-switches made no .GCC.command.line section"
out_has ' GROUP ' readelf -S -W "$T/prov/gxx-O0gPIC/words.o" ||
	die "words.o at -O0 was expected to have section groups"
out_has 'debug_info.* [A-Z]*C' readelf -S -W "$T/prov/gcc-gz/main.o" ||
	die "main.o with -gz was expected to have compressed debug sections"

step "split DWARF (-gsplit-dwarf): the .dwo beside the object"
for cc in gcc clang; do
	[[ $cc == clang && -z $CLANG ]] && continue
	for run in plain plain2 prov; do
		mkdir -p "$T/$run/split-$cc"
		if [[ $run == prov ]]; then
			"$PROVCC" $cc -O2 -g -gsplit-dwarf -Iinclude \
				-c src/counter.c -o src/counter.o
		else
			$cc -O2 -g -gsplit-dwarf -Iinclude \
				-c src/counter.c -o src/counter.o
		fi
		mv src/counter.o src/counter.dwo "$T/$run/split-$cc/"
	done
	if ! cmp -s "$T/plain/split-$cc/counter.o" "$T/plain2/split-$cc/counter.o"
	then
		# gcc 12 picks a different dwo_id in every run.
		echo "    note: $cc -gsplit-dwarf is not reproducible by" \
			"itself; skipped"
		continue
	fi
	"$ELFCMP" -n "$T/plain/split-$cc/counter.o" \
		"$T/prov/split-$cc/counter.o" >/dev/null ||
		die "$cc -gsplit-dwarf: objects differ beyond the note"
	cmp "$T/plain/split-$cc/counter.dwo" "$T/prov/split-$cc/counter.dwo" ||
		die "$cc -gsplit-dwarf: the .dwo files differ"
	ok "$cc -gsplit-dwarf: object equal but for the note, .dwo identical"
done

step "assembler with the preprocessor (.S)"
mkdir -p asm
cat >asm/value.S <<'SRC'
#include "multi/config.h"
	.text
	.globl	asm_words
	.type	asm_words, @function
asm_words:
	movl	$MULTI_MAX_WORDS, %eax
	ret
	.section .rodata
	.asciz	MULTI_VERSION
	.section .note.GNU-stack,"",@progbits
SRC
compare_set gcc-S gcc "-g" asm/value.S
if [[ -n $CLANG ]]; then
	compare_set clang-S clang "-g" asm/value.S
fi

step "other ELF classes, machines and byte orders"
cat >src/free.c <<'SRC'
/* free.c - freestanding, so that it builds for any target. */
static const int tab[4] = { 1, 2, 3, 4 };
int free_value(int i) { return tab[i & 3] * 3; }
SRC
compare_set gcc-m32 gcc "-m32 -O2 -g" src/free.c
if [[ -n $CLANG ]]; then
	for target in aarch64-linux-gnu s390x-linux-gnu powerpc-linux-gnu \
		riscv64-linux-gnu; do
		compare_set "clang-$target" clang "--target=$target -O2 -g" \
			src/free.c
	done
	out_has 'big endian' \
		readelf -h "$T/prov/clang-s390x-linux-gnu/free.o" ||
		die "s390x object is not big endian"
fi

step "section counts around the extended numbering limit (65280)"
for n in 65271 65300; do
	"$PY" - "$n" >asm/big$n.s <<'PY'
import sys
for i in range(int(sys.argv[1])):
    print('\t.section .text.f%d,"ax",@progbits\n\t.globl f%d\nf%d:\tret'
          % (i, i, i))
print('\t.section .note.GNU-stack,"",@progbits')
PY
	compare_set "big$n" gcc "" asm/big$n.s
done
out_has 'Number of section headers: *65279$' \
	readelf -h "$T/plain/big65271/big65271.o" ||
	die "big65271.o should have 65279 sections before the note"
out_has 'Number of section headers: *0 \(65280\)' \
	readelf -h "$T/prov/big65271/big65271.o" ||
	die "big65271.o should need extended numbering with the note"
ok "the note may push the section count into extended numbering"

step "elfcmp can fail"
P=$T/plain/gcc-O2gPIC
Q=$T/prov/gcc-O2gPIC
# must_differ WHAT PLAIN PROV [ELFCMP-OPTIONS]
must_differ() {
	local rc=0
	"$ELFCMP" ${4:-} "$2" "$3" >/dev/null 2>"$T/neg.err" || rc=$?
	[[ $rc -eq 1 ]] ||
		die "elfcmp $2 $3 ($1): exit $rc, expected 1"
	[[ $(wc -l <"$T/neg.err") -eq 1 ]] &&
		grep -q '^elfcmp: .* vs .*: ' "$T/neg.err" ||
		{ cat "$T/neg.err" >&2; die "elfcmp ($1): no one-line reason"; }
	ok "elfcmp fails on $1: $(cut -d: -f3- "$T/neg.err")"
}
"$ELFCMP" "$P/main.o" "$P/main.o" >/dev/null ||
	die "elfcmp fails on a file and itself"
must_differ "two different objects" "$P/main.o" "$T/plain/gcc-O2gPIC/counter.o"
must_differ "one source at -O0 -g and -O2 -g -fPIC" \
	"$T/plain/gcc-O0g/main.o" "$Q/main.o"
must_differ "the note in PLAIN" "$Q/main.o" "$P/main.o"
must_differ "no note with -n" "$P/main.o" "$P/main.o" -n
must_differ "gcc vs clang" "$P/main.o" "$T/prov/clang-O2g/main.o"
echo 'int v(void) { return VAL; }' >src/v.c
gcc -O2 -DVAL=1 -c src/v.c -o "$T/v1.o"
"$PROVCC" gcc -O2 -DVAL=2 -c src/v.c -o "$T/v2.o"
must_differ "the same sections with other contents" "$T/v1.o" "$T/v2.o"
cp "$Q/counter.o" "$T/text.o"
pyrun -m elfpatch "$T/text.o" xor .text 3
must_differ "one byte flipped in .text" "$P/counter.o" "$T/text.o"
cp "$Q/counter.o" "$T/data.o"
pyrun -m elfpatch "$T/data.o" xor .rodata.str1.1 0 0x20
must_differ "one byte flipped in .rodata.str1.1" "$P/counter.o" "$T/data.o"
cp "$Q/counter.o" "$T/name.o"
off=$(pyrun -m elfpatch "$T/name.o" where .shstrtab | cut -d' ' -f2)
pyrun -m elfpatch "$T/name.o" xor .shstrtab $((off - 2)) 0x01
must_differ "the note renamed" "$P/counter.o" "$T/name.o"
cp "$Q/counter.o" "$T/shstr.o"
pyrun -m elfpatch "$T/shstr.o" xor .shstrtab 1 0x01
must_differ "an early section name changed" "$P/counter.o" "$T/shstr.o"
cp "$Q/counter.o" "$T/sym.o"
pyrun -m elfpatch "$T/sym.o" xor .symtab 40 0x01
must_differ "a symbol changed" "$P/counter.o" "$T/sym.o"
