#!/bin/bash
# The toolchain file chained with a cross toolchain file
# (-DPROVCC_CHAIN_TOOLCHAIN_FILE): an inner file that picks
# aarch64-linux-gnu-gcc.  A C program with a static library, built with
# Ninja, comes out AArch64 with its records and a signed note; the inner
# file is read in the try_compile projects too.  Skipped without the
# cross compiler.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v aarch64-linux-gnu-gcc >/dev/null ||
	skip "aarch64-linux-gnu-gcc not installed"
command -v ninja >/dev/null || skip "ninja not installed"
TC=$B/share/provcc/cmake/provcc-toolchain.cmake
make_key
dir=$T/chain
mkdir -p "$dir"
cat >"$dir/CMakeLists.txt" <<'CMEOF'
cmake_minimum_required(VERSION 3.25)
project(chain C)
add_library(util STATIC util.c)
add_executable(prog main.c)
target_link_libraries(prog PRIVATE util)
CMEOF
printf 'int twice(int x) { return 2 * x; }\n' >"$dir/util.c"
printf '#include <stdio.h>\nint twice(int);\nint main(void) { printf("%%d\\n", twice(21)); return 0; }\n' >"$dir/main.c"
cat >"$T/aarch64.cmake" <<'CMEOF'
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# Each read, for the test: which project read it.
file(APPEND "${CMAKE_CURRENT_LIST_DIR}/reads.log" "${CMAKE_BINARY_DIR}\n")
CMEOF
cat >"$T/probe.cmake" <<'CMEOF'
include(CheckCSourceCompiles)
check_c_source_compiles("#ifndef __aarch64__\n#error not aarch64\n#endif\nint main(void) { return 0; }" CHAIN_AARCH64)
if(NOT CHAIN_AARCH64)
  message(FATAL_ERROR "the probe is not compiled for aarch64")
endif()
CMEOF

step "configure with the toolchain file chained to an aarch64 one"
export PROVCC_ROOT=$dir
logged configure cmake -S "$dir" -B "$dir/build" -G Ninja \
	-DCMAKE_TOOLCHAIN_FILE="$TC" \
	-DPROVCC_CHAIN_TOOLCHAIN_FILE="$T/aarch64.cmake" \
	-DCMAKE_PROJECT_INCLUDE="$T/probe.cmake"
logged build env PROVCC_KEY="$T/key.pem" cmake --build "$dir/build"
grep -q '/CMakeScratch/TryCompile-' "$T/reads.log" ||
	die "the inner toolchain file was not read in a try_compile project"
grep -qx "$dir/build" "$T/reads.log" ||
	die "the inner toolchain file was not read in the project"
ok "built; the inner file was read by the project and its try_compile probes"

step "AArch64 output with records and a signed note"
out_has 'Machine: +AArch64' readelf -h "$dir/build/prog" ||
	die "prog is not AArch64"
for o in CMakeFiles/prog.dir/main.c.o CMakeFiles/util.dir/util.c.o; do
	"$PROVCC" show --json "$dir/build/$o" | pyrun -c '
import json, sys
r = json.load(sys.stdin)[0]["objects"][0]["compile"][0]
assert r["toolchain"]["target"] == "aarch64-linux-gnu", r["toolchain"]
assert r["argv"][0].endswith("aarch64-linux-gnu-gcc"), r["argv"]
' || die "$o: not recorded as an aarch64-linux-gnu-gcc compile"
done
expect_signed "$dir/build/prog" 2
pyrun - "$T/link.json" <<'PYEOF' || die "the note does not name the cross toolchain"
import json, sys
j = json.load(open(sys.argv[1]))[0]
p = j["link"]["statement"]["predicate"]
s = json.dumps(p)
assert "aarch64-linux-gnu" in s, "no aarch64-linux-gnu in the predicate"
PYEOF
ok "prog is AArch64, its objects recorded, its note verified and naming aarch64-linux-gnu"
