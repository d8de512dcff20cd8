#!/bin/bash
# notesize.sh - the link note stays compact.  Debian's Lua 5.4 (33
# translation units reading about 185 distinct files, a stripped
# interpreter of about 270 KB) is built through provcc: its note must be
# at most 5% of the stripped executable.  And the note's share must
# shrink as a program grows: synthetic programs of 4 and 64 translation
# units that read the same headers give a smaller note per unit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SKIP=77
say() { printf 'realworld.notesize: %s\n' "$*"; }
die() { say "FAIL: $*"; exit 1; }
[[ -x ${PROVCC:-} ]] || die "PROVCC is not set"
PROVCC=$(cd "$(dirname "$PROVCC")" && pwd)/$(basename "$PROVCC")
decode=$here/../integration/linknote.py

work=$(mktemp -d "${TMPDIR:-/tmp}/provcc-rw-notesize.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PROVCC_CACHE_DIR=$work/cache

# note_bytes FILE: the size of the note descriptor.
note_bytes() {
	/usr/bin/python3 "$decode" "$1" | /usr/bin/python3 -c \
	    'import json, sys; print(json.load(sys.stdin)["descsz"])'
}

rc=0
src=$("$here/fetch-debian-source.sh" lua5.4 "$work/src") || rc=$?
[[ $rc -eq 0 ]] || { [[ $rc -eq $SKIP ]] && { say "SKIP: no source"; exit $SKIP; }; exit 1; }
cd "$src"
git init -q .
cd src
# Debian's luaconf.h includes a header its packaging generates.
echo '#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"' >lua5.4-deb-multiarch.h
cflags="-std=gnu99 -O2 -DLUA_COMPAT_5_3 -DLUA_USE_LINUX"
for f in *.c; do
	[[ $f == luac.c ]] && continue
	echo "$f"
done | xargs -P"$(nproc)" -I{} "$PROVCC" gcc $cflags -c {}
ar rcs liblua.a $(ls ./*.o | grep -v '/lua.o$')
"$PROVCC" gcc -o lua lua.o liblua.a -lm -ldl -Wl,-E
[[ $(./lua -e 'print(6 * 7)') == 42 ]] || die "lua does not run"
tus=$(ls ./*.o | wc -l)
strip -o lua.stripped lua
size=$(stat -c %s lua.stripped)
note=$(note_bytes lua.stripped)
pct=$((note * 1000 / size))
say "lua: $tus translation units, stripped $size bytes, note $note bytes ($((pct / 10)).$((pct % 10))%)"
[[ $tus -ge 30 ]] || die "only $tus translation units"
[[ $((note * 100)) -le $((size * 5)) ]] || die "note over 5% of the stripped binary"

# synth N: a program of N units of about 2.5 KB of code and data each,
# all including the same system headers.
synth() {
	local n=$1 d=$work/synth$1 i
	mkdir -p "$d"
	cd "$d"
	git init -q .
	: >main.c
	for i in $(seq 1 "$n"); do
		cat >u$i.c <<EOT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <errno.h>
#include <time.h>
static const int table[512] = { $(seq -s, $((i * 512)) $((i * 512 + 511))) };
int u$i(int x) { char b[32]; snprintf(b, sizeof b, "%d", table[x & 511] * $i); return (int)strlen(b) + (int)sqrt((double)x) + errno; }
EOT
		echo "int u$i(int);" >>main.c
	done
	{ echo 'int main(void) { int s = 0;'
	  for i in $(seq 1 "$n"); do echo "s += u$i(s);"; done
	  echo 'return s == -1; }'; } >>main.c
	for f in *.c; do echo "$f"; done |
		xargs -P"$(nproc)" -I{} "$PROVCC" gcc -O2 -c {}
	"$PROVCC" gcc -o prog ./*.o -lm
	strip -o prog.stripped prog
	echo "$(note_bytes prog.stripped) $(stat -c %s prog.stripped)"
}
read -r small_note small_size < <(synth 4)
read -r big_note big_size < <(synth 64)
say "5 units: note $small_note of $small_size; 65 units: note $big_note of $big_size"
[[ $((big_note * 5)) -lt $((small_note * 65)) ]] ||
	die "note bytes per unit do not shrink with more units"
[[ $((big_note * small_size)) -lt $((small_note * big_size)) ]] ||
	die "the note's share of the binary does not shrink"
say "PASS"
