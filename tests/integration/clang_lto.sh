#!/bin/bash
# clang_lto.sh - clang -flto writes LLVM bitcode, not ELF, and provcc
# cannot put a note in it.  As for any provenance that cannot be
# recorded: by default the compile fails with one clear line and no
# object; with PROVCC_ON_ERROR=warn it warns, keeps the compiler's object
# unchanged, and the LTO link works.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[[ -n $CLANG ]] || { step "clang not installed, skipped"; exit 0; }
W=$T/work
mkdir -p "$W"
cd "$W"
cat >lib.c <<'SRC'
int lib_value(void) { return 41; }
SRC
cat >main.c <<'SRC'
#include <stdio.h>
int lib_value(void);
int main(void) { printf("%d\n", lib_value() + 1); return 0; }
SRC
linker=-fuse-ld=lld
clang $linker -x c -c /dev/null -o "$T/probe.o" 2>/dev/null &&
	clang $linker "$T/probe.o" -nostartfiles -e 0 -o "$T/probe" \
		2>/dev/null || linker=

for lto in -flto -flto=thin; do
	step "clang $lto"
	clang $lto -O2 -c lib.c -o lib.plain.o
	[[ $(head -c 4 lib.plain.o | od -An -tx1 | tr -d ' ') == 4243c0de ]] ||
		die "clang $lto did not write LLVM bitcode; test assumption"
	capture ltofail "$PROVCC" clang $lto -O2 -c lib.c -o lib.o
	[[ $ltofail_rc -eq 70 ]] ||
		die "provcc clang $lto -c: exit $ltofail_rc, expected 70"
	[[ $(wc -l <"$T/ltofail.err") -eq 1 ]] &&
		grep -q '^provcc: error: .*(lib.o): LLVM bitcode' "$T/ltofail.err" ||
		{ cat "$T/ltofail.err" >&2; die "provcc clang $lto: unclear error"; }
	[[ ! -e lib.o ]] || die "provcc clang $lto left lib.o after failing"
	ok "provcc clang $lto -c: exit 70, $(cat "$T/ltofail.err")"
	export PROVCC_ON_ERROR=warn
	capture lto "$PROVCC" clang $lto -O2 -c lib.c -o lib.o
	if [[ $lto_rc -ne 0 ]]; then
		cat "$T/lto.err" >&2
		die "provcc clang $lto -c lib.c: exit $lto_rc, expected 0"
	fi
	if grep -v '^provcc: warning: ' "$T/lto.err" >&2; then
		die "provcc clang $lto: unexpected messages"
	fi
	[[ -f lib.o ]] || die "provcc clang $lto deleted lib.o"
	cmp lib.plain.o lib.o ||
		die "provcc clang $lto changed the bitcode object"
	ok "PROVCC_ON_ERROR=warn provcc clang $lto -c: exit 0, object kept unchanged"
	"$PROVCC" clang $lto -O2 -c main.c -o main.o ||
		die "provcc clang $lto -c main.c failed"
	"$PROVCC" clang $lto $linker main.o lib.o -o prog ||
		die "clang $lto link failed"
	[[ $(./prog) == 42 ]] || die "the LTO program gives the wrong answer"
	ok "clang $lto: the LTO program links and runs"
	unset PROVCC_ON_ERROR
done
