#!/bin/bash
# The CMake toolchain file of the build tree
# (share/provcc/cmake/provcc-toolchain.cmake): the multi fixture, a C
# program and a C++ shared library, configured with
# -DCMAKE_TOOLCHAIN_FILE and built with make and a signing key.  Every
# object has its record; every program and library a signed note; the
# configure probes work and run without provcc (CMake's implicit link
# directories stay the compiler's own); configuring again does not put
# provcc into the launchers twice.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TC=$B/share/provcc/cmake/provcc-toolchain.cmake
[[ -f $TC ]] || die "no toolchain file at $TC"
make_key
dir=$T/multi
copy_fixture multi "$dir"
cat >"$T/extra.cmake" <<'CMEOF'
# Included after the fixture's project(): configure probes and two more
# targets, a C program and a C++ shared library.
include(CheckCSourceCompiles)
include(CheckCXXSourceCompiles)
check_c_source_compiles("int main(void) { return 0; }" TC_C_OK)
check_c_source_compiles("#error no\nint main(void) { return 0; }" TC_C_ERROR)
check_cxx_source_compiles("#include <vector>\nint main() { std::vector<int> v; return v.size(); }" TC_CXX_OK)
if(NOT TC_C_OK OR TC_C_ERROR OR NOT TC_CXX_OK)
  message(FATAL_ERROR "probes: ${TC_C_OK} ${TC_C_ERROR} ${TC_CXX_OK}")
endif()
file(WRITE ${CMAKE_BINARY_DIR}/tc_c.c "#include <stdio.h>\nint main(void) { puts(\"tc_c ok\"); return 0; }\n")
file(WRITE ${CMAKE_BINARY_DIR}/tc_shared.cpp "#include <string>\nstd::string tc_shared() { return \"tc_shared\"; }\n")
add_executable(tc_c ${CMAKE_BINARY_DIR}/tc_c.c)
add_library(tc_shared SHARED ${CMAKE_BINARY_DIR}/tc_shared.cpp)
CMEOF

step "configure with the toolchain file, build with make"
export PROVCC_ROOT=$dir
logged configure env PROVCC_KEY="$T/key.pem" cmake -S "$dir" -B "$dir/build" \
	-G "Unix Makefiles" -DCMAKE_TOOLCHAIN_FILE="$TC" \
	-DCMAKE_PROJECT_INCLUDE="$T/extra.cmake"
logged build env PROVCC_KEY="$T/key.pem" cmake --build "$dir/build" -j2
ok "configured (probes: C ok, #error fails, C++ ok) and built"

step "records and signed notes"
pyrun -m provjson check-cmake "$dir" build --method user-depfile ||
	die "the records of the fixture are wrong"
expect_record "$dir/build/CMakeFiles/tc_c.dir/tc_c.c.o"
expect_record "$dir/build/CMakeFiles/tc_shared.dir/tc_shared.cpp.o"
expect_signed "$dir/build/multi" 6
expect_signed "$dir/build/tc_c" 1
expect_signed "$dir/build/libtc_shared.so" 1
ok "every object has its record; multi (C++ link), tc_c (C link) and libtc_shared.so carry verified notes"
logged check bash -c "cd '$dir/build' && ctest --output-on-failure"
[[ $("$dir/build/tc_c") == "tc_c ok" ]] || die "tc_c does not run"
ok "the programs run"

step "probes and compiler detection ran without provcc"
for f in "$dir"/build/CMakeFiles/3.*/CMake{C,CXX}Compiler.cmake; do
	[[ -f $f ]] || die "no $f"
	if grep -n 'bin/provcc' "$f" >&2; then
		die "$f names provcc"
	fi
done
grep -q 'CMAKE_C_IMPLICIT_LINK_LIBRARIES "gcc;gcc_s;c;gcc;gcc_s"' \
	"$dir"/build/CMakeFiles/3.*/CMakeCCompiler.cmake ||
	die "unexpected C implicit link libraries"
grep -q 'cmTC_' "$dir/build/CMakeFiles/CMakeOutput.log" ||
	die "CMakeOutput.log shows no probe"
if grep -q 'bin/provcc' "$dir/build/CMakeFiles/CMakeOutput.log"; then
	die "a probe ran through provcc"
fi
ok "CMake{C,CXX}Compiler.cmake and CMakeOutput.log never name provcc"

step "configure again: provcc once in each launcher"
logged reconfigure cmake "$dir/build"
n=$(grep -rh -- '-c .*tc_c.c$' "$dir/build/CMakeFiles/tc_c.dir/build.make" |
	grep -o 'bin/provcc' | wc -l)
[[ $n -eq 1 ]] || die "tc_c.c compile line names provcc $n times"
n=$(grep -o 'bin/provcc' "$dir/build/CMakeFiles/tc_c.dir/link.txt" | wc -l)
[[ $n -eq 1 ]] || die "tc_c link line names provcc $n times"
ok "compile and link lines name provcc once"
