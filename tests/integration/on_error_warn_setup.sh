#!/bin/bash
# on_error_warn_setup.sh - PROVCC_ON_ERROR=warn when provcc cannot even
# prepare a compile (no trace library beside it, unusable TMPDIR): it
# must warn, run the compiler as asked and return its status, leaving
# the plain object.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W" "$T/alone/bin"
cd "$W"
printf '#include <stdio.h>\nint main(void) { puts("ok"); return 0; }\n' >good.c
gcc -c good.c -o plain.o
cp "$PROVCC" "$T/alone/bin/provcc"	# without ../lib/provcc

# expect_warned_compile WHAT PROVCC-BINARY [ENV...]
expect_warned_compile() {
	local what=$1 bin=$2
	shift 2
	rm -f good.o
	capture w env PROVCC_ON_ERROR=warn "$@" "$bin" gcc -c good.c -o good.o
	if [[ $w_rc -ne 0 ]]; then
		cat "$T/w.err" >&2
		die "$what with PROVCC_ON_ERROR=warn: exit $w_rc, expected 0"
	fi
	[[ $(wc -l <"$T/w.err") -eq 1 ]] &&
		grep -Eq '^provcc: warning: .* \(.*\): .*$' "$T/w.err" ||
		{ cat "$T/w.err" >&2; die "$what: expected one warning line"; }
	[[ -f good.o ]] || die "$what: no object"
	cmp plain.o good.o || die "$what: the object is not the plain one"
	ok "$what: exit 0, $(cat "$T/w.err")"
}

step "no trace library beside provcc"
expect_warned_compile "no trace library" "$T/alone/bin/provcc"
step "TMPDIR that cannot be written"
mkdir -p "$T/ro"
chmod 0555 "$T/ro"
if touch "$T/ro/probe" 2>/dev/null; then
	rm -f "$T/ro/probe"
	step "running as a user who can write anywhere (root): skipped"
else
	expect_warned_compile "TMPDIR read-only" "$PROVCC" TMPDIR="$T/ro"
fi
