#!/bin/bash
# matrix.sh PROJECT - build a Debian source package with its own build
# system twice, plainly and through provcc, run the project's own tests
# in both builds, and check:
#   - provcc said nothing (no "provcc: " line in the build's log);
#   - every object of the provcc build carries one compile record and
#     equals the plain build's object section for section apart from
#     .note.provcc.compile (elfcmp, or objcopy without ELFCMP);
#   - both builds made the same objects and the same linked ELF files;
#   - every linked ELF output of the provcc build (executables and
#     shared libraries, found by their ELF header; scripts skipped)
#     verifies with the key the build signed with.
#
# PROJECT (Debian source package, build system):
#   zlib-cmake  zlib        CMake (C), ctest
#   libpng      libpng1.6   autotools/libtool (C), make check
#   jsoncpp     libjsoncpp  CMake (C++), ctest
#
# Both builds run in the same directory, $work/tree, one after the other
# (then the tree is moved aside), so that paths in debug info match.
#
# Environment: PROVCC (required), ELFCMP (optional), PROVCC_SRC_CACHE,
# PROVCC_KEEP_TMP=1 (keep the work directory).
# Exit status: 0 pass, 1 fail, 2 usage, 77 skip (no source, or a tool
# missing).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
SKIP=77
NOTE=.note.provcc.compile
project=${1:-}

say() { printf 'realworld.%s: %s\n' "${project:-matrix}" "$*"; }
skip() { say "SKIP: $*"; exit $SKIP; }
die() { say "FAIL: $*"; exit 1; }

# shellcheck source-path=SCRIPTDIR source=projects.sh
. "$here/projects.sh"
case $project in
zlib-cmake | libpng | jsoncpp) rw_project "$project"; pkg=$RW_PKG ;;
*) echo "usage: $0 zlib-cmake|libpng|jsoncpp" >&2; exit 2 ;;
esac

[[ -x ${PROVCC:-} ]] || die "PROVCC is not set or not executable"
PROVCC=$(cd "$(dirname "$PROVCC")" && pwd)/$(basename "$PROVCC")
for tool in gcc make jq objcopy readelf cmp od $RW_TOOLS; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found"
done
RW_JOBS=$(nproc 2>/dev/null || echo 2)

work=$(mktemp -d "${TMPDIR:-/tmp}/provcc-rw-$project.XXXXXX")
cleanup() {
	if [[ ${PROVCC_KEEP_TMP:-0} == 1 ]]; then
		say "work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

rc=0
src=$("$here/fetch-debian-source.sh" "$pkg" "$work/src") || rc=$?
[[ $rc -eq 0 ]] || { [[ $rc -eq $SKIP ]] && skip "$pkg source not obtainable"; exit 1; }
say "source: $src"

# The build and the project's tests, in the current directory
# ($work/tree); the recipes are in projects.sh.  The provcc variant routes
# compiles and links the project's normal way: CC="provcc gcc" for
# autotools, the toolchain file for CMake.  jsoncpp's own ccache launcher
# stays on (behind provcc: "provcc ccache g++"); CCACHE_DISABLE keeps the
# plain build from taking the provcc build's results out of ccache.
# (Chained with &&: set -e does not act inside "if ! build".)
build_variant() {	# VARIANT
	export CCACHE_DISABLE=1
	rw_route "$1" "$PROVCC" &&
	rw_configure "$project" &&
	rw_build "$project" &&
	rw_check "$project"
}

declare -A seconds
build() {	# VARIANT
	local variant=$1 t0
	rm -rf "$work/tree"
	cp -a "$src" "$work/tree"
	say "building ($variant)"
	t0=$(date +%s)
	if ! (cd "$work/tree" && build_variant "$variant") \
	    >"$work/$variant.log" 2>&1; then
		tail -n 40 "$work/$variant.log"
		die "$variant build or the project's tests failed (log above)"
	fi
	seconds[$variant]=$(($(date +%s) - t0))
	grep -E '^# (TOTAL|PASS|FAIL):|tests passed|tests failed' \
	    "$work/$variant.log" | sed 's/^/  /' || true
	mv "$work/tree" "$work/$variant"
}

# A private, cold hash cache; paths recorded relative to the tree.
export PROVCC_CACHE_DIR="$work/provcc-cache"
export PROVCC_ROOT="$work/tree"
unset PROVCC_DISABLE PROVCC_ON_ERROR || true
"$PROVCC" keygen "$work/key.pem" >/dev/null
export PROVCC_KEY="$work/key.pem"
build provcc
unset PROVCC_KEY
build plain
prov=$work/provcc
plain=$work/plain
say "build and tests: provcc ${seconds[provcc]} s, plain ${seconds[plain]} s"

fails=0
fail() { say "FAIL: $*"; fails=$((fails + 1)); }

msgs=$(grep -h '^provcc: ' "$work/provcc.log" || true)
[[ -z $msgs ]] || fail "provcc complained during the build:
$msgs"

rw_elf_files "$prov" >"$work/provcc.elf"
rw_elf_files "$plain" >"$work/plain.elf"
cmp -s "$work/provcc.elf" "$work/plain.elf" ||
	fail "the builds made different ELF files:
$(diff "$work/plain.elf" "$work/provcc.elf" | sed 's/^/    /')"
objects=$(awk '$1 == "REL" { print $2 }' "$work/provcc.elf")
linked=$(awk '$1 == "EXEC" || $1 == "DYN" { print $2 }' "$work/provcc.elf")
nobj=$(echo "$objects" | grep -c . || true)
nlinked=$(echo "$linked" | grep -c . || true)
[[ $nobj -gt 0 ]] || fail "no objects found"
[[ $nlinked -gt 0 ]] || fail "no linked outputs found"

# --- objects: one record each; equal to the plain build's but for the note
rw_setup_compare
for o in $objects; do
	n=$("$PROVCC" show --json "$prov/$o" 2>"$work/show.err" |
	    jq '[.[0].objects[].compile[]] | length' 2>/dev/null) || n=
	[[ $n == 1 ]] || fail "$o: ${n:-no} compile records, expected 1 ($(cat "$work/show.err"))"
	if [[ ! -f $plain/$o ]]; then
		fail "$o: not made by the plain build"
	elif ! same "$plain/$o" "$prov/$o"; then
		fail "$o: differs from the plain build beyond $NOTE"
		explain | head -n 60 | sed 's/^/    /'
	fi
	if readelf -S -W "$plain/$o" | grep -qF "$NOTE"; then
		fail "$o: the plain build has a $NOTE section"
	fi
done
say "$nobj objects: one record each, equal to the plain build's but for $NOTE"

# --- linked outputs: each signed, verifying with the key -----------------
nfails=$fails
for f in $linked; do
	"$PROVCC" verify --key "$work/key.pem.pub" "$prov/$f" \
	    >"$work/verify.out" 2>&1 ||
		fail "$f: does not verify: $(cat "$work/verify.out")"
done
[[ $fails -ne $nfails ]] ||
	say "$nlinked linked outputs verify: $(echo "$linked" | tr '\n' ' ')"

if [[ $fails -ne 0 ]]; then
	say "$fails failure(s)"
	exit 1
fi
say "PASS (provcc ${seconds[provcc]} s, plain ${seconds[plain]} s)"
