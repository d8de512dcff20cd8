#!/bin/bash
# wrapper_forms.sh - build the multi fixture with make through every way
# of invoking provcc, and check each object's record, the archive and the
# program.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# build_form NAME CHECK-FIXTURE-OPTIONS... -- MAKE-ARGS...
build_form() {
	local name=$1 dir=$T/$1
	shift
	local checkopts=()
	while [[ $1 != -- ]]; do
		checkopts+=("$1")
		shift
	done
	shift
	step "$name: make $*"
	copy_fixture multi "$dir"
	if ! PROVCC_ROOT=$dir make -C "$dir" -j2 check "$@" \
		>"$T/$name.make.log" 2>&1; then
		cat "$T/$name.make.log" >&2
		die "$name: make check failed"
	fi
	grep -q '^multi: check passed$' "$T/$name.make.log" ||
		die "$name: make check did not run the program"
	ok "$name: built, and the program runs"
	pyrun -m provjson check-fixture "$dir" "${checkopts[@]}" ||
		die "$name: the records are wrong"
	ok "$name: every object has the right record"
	(cd "$dir" && pyrun -m provjson check-archive --manifest . libmulti.a) ||
		die "$name: libmulti.a members lack records"
	ok "$name: provcc show libmulti.a lists each member with its record"
	expect_link_note "$dir/multi" 3
	ok "$name: the program carries its link note"
}

CC_REAL=$(readlink -f "$(command -v cc)")
CXX_REAL=$(readlink -f "$(command -v c++)")
gnu_progs=(--program '/cc1$' --program-cxx '/cc1plus$')

build_form named --argv0 gcc --argv0-cxx g++ \
	--driver "$GCC_REAL" --driver-cxx "$GXX_REAL" "${gnu_progs[@]}" \
	--method depfile -- \
	CC="$PROVCC gcc" CXX="$PROVCC g++"

# CC=provcc runs cc; provcc++ (any name ending in ++) runs c++.
mkdir -p "$T/bin"
ln -s "$PROVCC" "$T/bin/provcc++"
cc_progs=()
if out_has 'Free Software Foundation' "$CC_REAL" --version; then
	cc_progs=("${gnu_progs[@]}")
fi
build_form default --argv0 cc --argv0-cxx c++ \
	--driver "$CC_REAL" --driver-cxx "$CXX_REAL" "${cc_progs[@]}" \
	--method depfile -- \
	CC="$PROVCC" CXX="$T/bin/provcc++"

# Masquerade: links named like the compilers, first in PATH.
mkdir -p "$T/masq"
for n in gcc g++ cc c++; do
	ln -s "$PROVCC" "$T/masq/$n"
done
PATH=$T/masq:$PATH build_form masquerade --argv0 gcc --argv0-cxx g++ \
	--driver "$GCC_REAL" --driver-cxx "$GXX_REAL" "${gnu_progs[@]}" \
	--method depfile -- \
	CC=gcc CXX=g++
PATH=$T/masq:$PATH build_form masquerade-cc --argv0 cc --argv0-cxx c++ \
	--driver "$CC_REAL" --driver-cxx "$CXX_REAL" "${cc_progs[@]}" \
	--method depfile -- \
	CC=cc CXX=c++

# The CMake launcher form: provcc followed by the compiler's full path.
CC_PATH=$(command -v cc)
CXX_PATH=$(command -v c++)
build_form launcher --argv0 "$CC_PATH" --argv0-cxx "$CXX_PATH" \
	--driver "$CC_REAL" --driver-cxx "$CXX_REAL" "${cc_progs[@]}" \
	--method depfile -- \
	CC="$PROVCC $CC_PATH" CXX="$PROVCC $CXX_PATH"
build_form launcher-gcc --argv0 "$GCC" --argv0-cxx "$GXX" \
	--driver "$GCC_REAL" --driver-cxx "$GXX_REAL" "${gnu_progs[@]}" \
	--method depfile -- \
	CC="$PROVCC $GCC" CXX="$PROVCC $GXX"

# CMake with CMAKE_<LANG>_COMPILER_LAUNCHER=provcc: the launcher form
# with CMake's own -MD -MT -MF, absolute source paths and a build tree.
if command -v cmake >/dev/null; then
	step "cmake-launcher: cmake -DCMAKE_C_COMPILER_LAUNCHER=provcc"
	dir=$T/cmake
	copy_fixture multi "$dir"
	if ! (export PROVCC_ROOT=$dir &&
		cmake -S "$dir" -B "$dir/build" \
			-DCMAKE_C_COMPILER_LAUNCHER="$PROVCC" \
			-DCMAKE_CXX_COMPILER_LAUNCHER="$PROVCC" &&
		cmake --build "$dir/build" -j2 &&
		cd "$dir/build" && ctest --output-on-failure) \
		>"$T/cmake.log" 2>&1; then
		cat "$T/cmake.log" >&2
		die "cmake-launcher: configure, build or check failed"
	fi
	grep -q '100% tests passed' "$T/cmake.log" ||
		die "cmake-launcher: the check did not pass"
	ok "cmake-launcher: configured, built, and the program runs"
	pyrun -m provjson check-cmake "$dir" build --method user-depfile ||
		die "cmake-launcher: the records are wrong"
	ok "cmake-launcher: every object and archive member has its record"
	expect_no_provenance "$dir/build/multi"
	ok "cmake-launcher: without a linker launcher the program has no note"

	step "cmake-launcher: and CMAKE_<LANG>_LINKER_LAUNCHER=provcc"
	rm -rf "$dir/build"
	if ! (export PROVCC_ROOT=$dir &&
		cmake -S "$dir" -B "$dir/build" \
			-DCMAKE_C_COMPILER_LAUNCHER="$PROVCC" \
			-DCMAKE_CXX_COMPILER_LAUNCHER="$PROVCC" \
			-DCMAKE_C_LINKER_LAUNCHER="$PROVCC" \
			-DCMAKE_CXX_LINKER_LAUNCHER="$PROVCC" &&
		cmake --build "$dir/build" -j2 &&
		cd "$dir/build" && ctest --output-on-failure) \
		>"$T/cmake.log" 2>&1; then
		cat "$T/cmake.log" >&2
		die "cmake-launcher: configure, build or check with linker launcher failed"
	fi
	expect_link_note "$dir/build/multi" 3
	ok "cmake-launcher: the program carries its link note"
fi

if [[ -n $CLANG && -n $CLANGXX ]]; then
	build_form clang --argv0 clang --argv0-cxx clang++ \
		--driver "$(readlink -f "$CLANG")" \
		--driver-cxx "$(readlink -f "$CLANGXX")" \
		--method depfile -- \
		CC="$PROVCC clang" CXX="$PROVCC clang++"
else
	step "clang: not installed, skipped"
fi
