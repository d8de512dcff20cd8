#!/bin/bash
# bench/link.sh - what provcc adds to a link.  Builds Debian's Lua 5.4
# interpreter (34 objects, liblua.a, libm, libdl) once through provcc,
# then links it N times plainly and N times through provcc (alternating),
# with ld.bfd, gold and lld, and prints the median wall time of each and
# the difference, as Markdown.
#
#   bench/link.sh [-n N] [--provcc PATH]
#
# The source comes through tests/realworld/fetch-debian-source.sh (see
# bench/README.md).  Run it on an idle machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
n=21
provcc=${PROVCC:-$top/build/bin/provcc}
while [[ $# -gt 0 ]]; do
	case $1 in
	-n) n=$2; shift 2 ;;
	--provcc) provcc=$2; shift 2 ;;
	*) echo "usage: $0 [-n N] [--provcc PATH]" >&2; exit 2 ;;
	esac
done
[[ -x $provcc ]] || { echo "bench/link.sh: no provcc at $provcc" >&2; exit 1; }
provcc=$(cd "$(dirname "$provcc")" && pwd)/$(basename "$provcc")

work=$(mktemp -d "${TMPDIR:-/tmp}/provcc-linkbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PROVCC_CACHE_DIR=$work/cache
src=$("$top/tests/realworld/fetch-debian-source.sh" lua5.4 "$work/src")
cd "$src"
git init -q .
cd src
echo '#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"' >lua5.4-deb-multiarch.h
for f in *.c; do [[ $f == luac.c ]] || echo "$f"; done |
	xargs -P"$(nproc)" -I{} "$provcc" gcc -std=gnu99 -O2 \
	-DLUA_COMPAT_5_3 -DLUA_USE_LINUX -c {}
ar rcs liblua.a $(ls ./*.o | grep -v '/lua.o$')

# ms CMD...: wall time of one run in milliseconds.
ms() {
	local s e
	s=$(date +%s%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "## provcc link overhead: Lua 5.4 interpreter ($(ls ./*.o | wc -l) objects), median of $n"
echo
echo "Machine: $(nproc) cores, $(uname -r); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| linker | plain (ms) | provcc (ms) | added (ms) |"
echo "|---|---|---|---|"
for ld in bfd gold lld; do
	command -v ld.$ld >/dev/null || continue
	link="gcc -fuse-ld=$ld -o lua.out lua.o liblua.a -lm -ldl -Wl,-E"
	"$provcc" $link	# warm the hash cache, as in any build after the first link
	: >"$work/plain" ; : >"$work/prov"
	for i in $(seq "$n"); do
		ms $link >>"$work/plain"
		ms "$provcc" $link >>"$work/prov"
	done
	p=$(median <"$work/plain")
	q=$(median <"$work/prov")
	echo "| ld.$ld | $p | $q | $((q - p)) |"
done
echo
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)"
