#!/bin/bash
# find_package(provcc) and provcc_enable(), with the Makefile generator
# (the package of the build tree) and Ninja (the package installed with
# `cmake --install`): the multi fixture gets its records and a signed
# note.  And a small project: provcc_enable_target() affects only its
# target; provcc_enable() also the targets made before the call.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v ninja >/dev/null || skip "ninja not installed"
make_key
export PROVCC_KEY=$T/key.pem
install_prefix
cat >"$T/enable.cmake" <<'CMEOF'
find_package(provcc 0.1 REQUIRED)
provcc_enable()
file(WRITE "${CMAKE_BINARY_DIR}/provcc-vars.txt"
    "${PROVCC_VERSION}\n${PROVCC_EXECUTABLE}\n")
CMEOF
version=$("$PROVCC" version | grep -Eo '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)

for gen in "Unix Makefiles" Ninja; do
	if [[ $gen == Ninja ]]; then pfx=$PREFIX; else pfx=$B; fi
	step "$gen: find_package(provcc) from $pfx, provcc_enable()"
	dir=$T/multi
	copy_fixture multi "$dir"
	logged configure env PROVCC_ROOT="$dir" cmake -S "$dir" -B "$dir/build" \
		-G "$gen" -DCMAKE_PREFIX_PATH="$pfx" \
		-DCMAKE_PROJECT_INCLUDE="$T/enable.cmake"
	printf '%s\n%s\n' "$version" "$pfx/bin/provcc" >"$T/vars.want"
	same_file "PROVCC_VERSION, PROVCC_EXECUTABLE" "$T/vars.want" \
		"$dir/build/provcc-vars.txt"
	logged build env PROVCC_ROOT="$dir" cmake --build "$dir/build" -j2
	PROVCC_ROOT=$dir pyrun -m provjson check-cmake "$dir" build \
		--method user-depfile || die "$gen: the records are wrong"
	expect_signed "$dir/build/multi" 6
	logged check bash -c "cd '$dir/build' && ctest --output-on-failure"
	ok "$gen: records, a verified note, the program runs"
done

step "provcc_enable_target, provcc_enable after targets"
mkdir -p "$T/small"
printf '#include <stdio.h>\nint main(void) { puts("small"); return 0; }\n' \
	>"$T/small/main.c"
cat >"$T/small/CMakeLists.txt" <<'CMEOF'
cmake_minimum_required(VERSION 3.25)
project(small C)
find_package(provcc 0.1 REQUIRED)
add_executable(plain main.c)
add_executable(single main.c)
provcc_enable_target(single)
if(ENABLE_ALL)
  provcc_enable()
  add_executable(late main.c)
endif()
CMEOF
logged small1 cmake -S "$T/small" -B "$T/small/b1" -DCMAKE_PREFIX_PATH="$PREFIX"
logged small1b cmake --build "$T/small/b1"
expect_no_provenance "$T/small/b1/plain"
expect_no_provenance "$T/small/b1/CMakeFiles/plain.dir/main.c.o"
expect_signed "$T/small/b1/single" 1
[[ $("$T/small/b1/single") == small ]] || die "single does not run"
ok "provcc_enable_target(single): single signed, plain untouched"
logged small2 cmake -S "$T/small" -B "$T/small/b2" -G Ninja \
	-DCMAKE_PREFIX_PATH="$PREFIX" -DENABLE_ALL=ON
logged small2b cmake --build "$T/small/b2"
for p in plain single late; do
	expect_signed "$T/small/b2/$p" 1
done
n=$(ninja -C "$T/small/b2" -t commands single | grep -c 'bin/provcc .*bin/provcc' || true)
[[ $n -eq 0 ]] || die "single goes through provcc twice"
ok "provcc_enable(): targets made before and after it signed, provcc once"
