#!/bin/bash
# The toolchain file with a user's launcher: -DCMAKE_<LANG>_COMPILER_
# LAUNCHER=ccache becomes "provcc ccache": a rebuild hits the cache, and
# each object's record names the real compiler, ccache as its launcher.
# And ccache in front, CCACHE_PREFIX=provcc: a hit gives back the object
# with the record of the compile that made it, which names the real
# compiler.  Skipped without ccache.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v ccache >/dev/null || skip "ccache not installed"
command -v ninja >/dev/null || skip "ninja not installed"
TC=$B/share/provcc/cmake/provcc-toolchain.cmake
make_key
export PROVCC_KEY=$T/key.pem

# hits: ccache's cache hits since the last --zero-stats.
hits() {
	ccache --print-stats | awk '$1 ~ /_cache_hit$/ { n += $2 } END { print n + 0 }'
}

# first_arg OBJ: argv[0] of OBJ's compile record.
first_arg() {
	"$PROVCC" show --json "$1" | pyrun -c '
import json, sys
print(json.load(sys.stdin)[0]["objects"][0]["compile"][0]["argv"][0])'
}

# driver OBJ: the driver path of OBJ's compile record.
driver() {
	"$PROVCC" show --json "$1" | pyrun -c '
import json, sys
r = json.load(sys.stdin)[0]["objects"][0]["compile"][0]
print(r["toolchain"]["driver"]["path"])'
}

dir=$T/multi
copy_fixture multi "$dir"
export PROVCC_ROOT=$dir
main_o=$dir/build/CMakeFiles/multi_prog.dir/src/main.c.o

step "provcc then the user's ccache"
logged configure cmake -S "$dir" -B "$dir/build" -G Ninja \
	-DCMAKE_TOOLCHAIN_FILE="$TC" \
	-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
logged build1 cmake --build "$dir/build"
cmd=$(ninja -C "$dir/build" -t commands multi_prog | grep -- '-c .*src/main\.c$')
[[ $cmd == "$B/bin/provcc ccache "* ]] ||
	die "compile command is not 'provcc ccache ...': $cmd"
ccache --zero-stats >/dev/null
logged clean cmake --build "$dir/build" --target clean
logged build2 cmake --build "$dir/build"
n=$(hits)
[[ $n -eq 6 ]] || die "the rebuild had $n cache hits, expected 6"
# Each record is this compile's: source, headers and command.  Its
# compiler is the real one, also on a hit; ccache is the launcher.
for o in "$dir"/build/CMakeFiles/*.dir/src/*.o "$dir"/build/CMakeFiles/*.dir/src/util/*.o; do
	"$PROVCC" show --json "$o" | pyrun -c '
import json, os, sys
o = sys.argv[1]
r = json.load(sys.stdin)[0]["objects"][0]["compile"][0]
src = o.split(".dir/", 1)[1][:-2]
assert r["source"]["path"] == src, (r["source"], src)
assert os.path.basename(r["argv"][0]) != "ccache", r["argv"]
assert not r["toolchain"]["driver"]["path"].endswith("/ccache"), r["toolchain"]
assert r["toolchain"]["launcher"]["path"].endswith("/ccache"), r["toolchain"]
assert r["toolchain"]["target"], r["toolchain"]
assert r["toolchain"]["programs"], r["toolchain"]
assert any(i["path"].startswith("include/multi") for i in r["inputs"]), \
    "no project header among the inputs"
' "$o" || die "$o: wrong record"
done
expect_signed "$dir/build/multi" 6
ok "6 cache hits; records name the real compiler and ccache as launcher; multi signed"

step "ccache in front: CCACHE_PREFIX=provcc"
rm -rf "$dir/build" "$CCACHE_DIR"
logged configure2 cmake -S "$dir" -B "$dir/build" -G Ninja \
	-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
	-DCMAKE_C_LINKER_LAUNCHER="$PROVCC" -DCMAKE_CXX_LINKER_LAUNCHER="$PROVCC"
logged build3 env CCACHE_PREFIX="$PROVCC" cmake --build "$dir/build"
ccache --zero-stats >/dev/null
logged clean2 cmake --build "$dir/build" --target clean
logged build4 env CCACHE_PREFIX="$PROVCC" cmake --build "$dir/build"
n=$(hits)
[[ $n -eq 6 ]] || die "the rebuild had $n cache hits, expected 6"
pyrun -m provjson check-cmake "$dir" build --method user-depfile ||
	die "the records replayed from the cache are wrong"
[[ $(driver "$main_o") != */ccache ]] ||
	die "record of main.c.o names ccache as its driver"
expect_signed "$dir/build/multi" 6
ok "6 cache hits; the objects carry the records that name the real compiler"
