#!/bin/bash
# vectors.sh - the unit test's four images (ELF32 and ELF64, LSB and MSB)
# through lib/elfdigest.c (elfdigest_tool), the Python implementation and
# the shell recipe of docs/elf-digest.md: digests with and without the
# slot zeroed and with scattered ranges, the note found, the strip hazard.
# Also: the copy of recipe.sh in docs/ (DOCDIR) is the script tested.
set -euo pipefail

: "${TOOL:?}" "${UNIT:?}" "${SRCDIR:?}"
if [ ! -x /usr/bin/python3 ]; then
	echo "SKIP: no /usr/bin/python3"
	exit 77
fi
PY="/usr/bin/python3 $SRCDIR/elfdigest.py"
RECIPE="bash $SRCDIR/recipe.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$UNIT" --write "$tmp" > "$tmp/list"
while read -r f slot; do
	off=${slot%:*} len=${slot#*:}
	for z in "" "$slot" "$((off + 8)):4 $off:9 $((off + 30)):2 0:3"; do
		c=$("$TOOL" digest "$f" $z)
		p=$($PY digest "$f" $z)
		r=$($RECIPE "$f" $z)
		echo "$(basename "$f") [$z] $c"
		[ "$c" = "$p" ] || fail "$f [$z]: C $c, Python $p"
		[ "$c" = "$r" ] || fail "$f [$z]: C $c, recipe $r"
	done
	c=$("$TOOL" note "$f" 0x7e57)
	p=$($PY note "$f" 0x7e57)
	[ "$c" = "$p" ] && [ "$c" = "$((off - 8)) 40" ] ||
	    fail "$f: note at $c (C), $p (Python)"
	c=$("$TOOL" hazard "$f")
	p=$($PY hazard "$f")
	[ "$c" = "$p" ] && [ "$c" = "0 0" ] || fail "$f: hazard $c / $p"
done < "$tmp/list"
# The slot starts 8 bytes into the descriptor (test_elfdigest.c).
[ "$(wc -l < "$tmp/list")" = 4 ] || fail "expected 4 images"

# The copy of recipe.sh in the documentation is the one tested here.
doc=""
for d in "${DOCDIR:-}/elf-digest.md" "${DOCDIR:-}/format.md"; do
	if [ -f "$d" ] && grep -q '^<!-- recipe.sh: ' "$d"; then
		doc=$d
		break
	fi
done
if [ -n "$doc" ]; then
	awk '/^<!-- recipe.sh: / { on = 1; next }
	    on == 1 && /^```bash$/ { on = 2; next }
	    on == 2 && /^```$/ { exit }
	    on == 2 { print }' "$doc" > "$tmp/recipe.doc"
	diff -u "$SRCDIR/recipe.sh" "$tmp/recipe.doc" ||
	    fail "$doc: its copy of recipe.sh differs"
else
	echo "NOTE: no copy of recipe.sh found in ${DOCDIR:-(DOCDIR unset)}"
fi

[ $failures = 0 ] || exit 1
echo "PASS"
