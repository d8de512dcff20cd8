# shellcheck shell=bash disable=SC2034
# projects.sh - how the real-world projects are configured, built and
# tested, shared by tests/realworld/matrix.sh (correctness) and
# bench/compare.sh (performance).  Bash; source it.
#
#   rw_project PROJECT      RW_PKG (Debian source package), RW_TOOLS
#                           (tools its build needs), RW_SYSTEM (configure,
#                           autotools or cmake); status 2 for an unknown
#                           PROJECT
#   rw_route ROUTE PROVCC   how compiles reach the compiler: plain, provcc
#                           or ccache.  Sets RW_CC (for configure
#                           scripts) and the array
#                           RW_CMAKE_ARGS (for cmake: provcc's toolchain
#                           file, or launcher variables)
#   rw_configure PROJECT    configure, in the current directory (the
#                           unpacked source tree)
#   rw_build PROJECT        build with RW_JOBS jobs; the array RW_RUN, if
#                           set, is put in front of the build command
#                           (bear --)
#   rw_check PROJECT        the project's own tests
#
# Projects (CMake ones build in _build/ inside the tree):
#   zlib        zlib        ./configure && make (C)
#   zlib-cmake  zlib        CMake (C)
#   libpng      libpng1.6   autotools/libtool (C)
#   jsoncpp     libjsoncpp  CMake (C++)
#
# RW_NO_OWN_CCACHE=1 makes rw_configure turn off a project's own ccache
# use (jsoncpp forces ccache as its launcher when it finds one), so that
# a plain build is plain.

RW_JOBS=${RW_JOBS:-2}

rw_project() {	# PROJECT
	case $1 in
	zlib) RW_PKG=zlib RW_TOOLS="make" RW_SYSTEM=configure ;;
	zlib-cmake) RW_PKG=zlib RW_TOOLS="cmake ctest make" RW_SYSTEM=cmake ;;
	libpng) RW_PKG=libpng1.6 RW_TOOLS="make" RW_SYSTEM=autotools ;;
	jsoncpp) RW_PKG=libjsoncpp RW_TOOLS="cmake ctest make g++ python3" RW_SYSTEM=cmake ;;
	*) return 2 ;;
	esac
}

rw_route() {	# ROUTE PROVCC
	local toolchain
	RW_CMAKE_ARGS=()
	case $1 in
	plain) RW_CC=gcc ;;
	ccache)
		RW_CC="ccache gcc"
		RW_CMAKE_ARGS=(-DCMAKE_C_COMPILER_LAUNCHER=ccache
		    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
		;;
	provcc)
		RW_CC="$2 gcc"
		# The toolchain file in provcc's build or install tree (same
		# layout), else CMake's launcher variables.
		toolchain=$(dirname "$2")/../share/provcc/cmake/provcc-toolchain.cmake
		if [[ -f $toolchain ]]; then
			RW_CMAKE_ARGS=("-DCMAKE_TOOLCHAIN_FILE=$(cd "$(dirname "$toolchain")" && pwd)/provcc-toolchain.cmake")
		else
			RW_CMAKE_ARGS=("-DCMAKE_C_COMPILER_LAUNCHER=$2"
			    "-DCMAKE_CXX_COMPILER_LAUNCHER=$2"
			    "-DCMAKE_C_LINKER_LAUNCHER=$2"
			    "-DCMAKE_CXX_LINKER_LAUNCHER=$2")
		fi
		;;
	*) return 2 ;;
	esac
}

rw_configure() { "rw_configure_${1//-/_}"; }
rw_build() { "rw_build_${1//-/_}"; }
rw_check() { "rw_check_${1//-/_}"; }

# (Chained with &&: set -e does not act inside "if ! rw_build ...".)
_rw_make() { ${RW_RUN[@]+"${RW_RUN[@]}"} make -j"$RW_JOBS"; }
_rw_cmake_build() { ${RW_RUN[@]+"${RW_RUN[@]}"} cmake --build _build -j"$RW_JOBS"; }

# zlib's own configure: -O3, libz.a, libz.so and the example and
# minigzip programs (static, shared, 64-bit).
rw_configure_zlib() { CC="$RW_CC" ./configure; }
rw_build_zlib() { _rw_make; }
rw_check_zlib() { make test; }

rw_configure_zlib_cmake() {
	# Debian's repacked source (1.2.13.dfsg) lacks win32/, but the
	# CMakeLists.txt names win32/zlib1.rc for every non-MinGW target;
	# CMake ignores .rc sources on Linux but wants the file to exist.
	mkdir -p win32 && : >win32/zlib1.rc &&
	cmake -S . -B _build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    ${RW_CMAKE_ARGS[@]+"${RW_CMAKE_ARGS[@]}"}
}
rw_build_zlib_cmake() { _rw_cmake_build; }
# One test at a time: example and example64 both write and read foo.gz
# in the build directory, and side by side one reads the other's file
# half-written ("gzread err").
rw_check_zlib_cmake() { (cd _build && ctest -j1 --output-on-failure); }

rw_configure_libpng() { ./configure CC="$RW_CC" CFLAGS="-O2 -g"; }
rw_build_libpng() { _rw_make; }
rw_check_libpng() { make -j"$RW_JOBS" check; }

rw_configure_jsoncpp() {
	local own=()
	# jsoncpp's CMakeLists.txt sets ccache as the compiler launcher
	# (FORCE) when find_program finds it; a value that is set but false
	# skips the search and the launcher.  Without that, the toolchain
	# file keeps jsoncpp's ccache behind provcc ("provcc ccache g++").
	[[ ${RW_NO_OWN_CCACHE:-0} == 1 ]] && own=(-DCCACHE_EXECUTABLE=OFF)
	# Debian's own choice: the shared library only.
	cmake -S . -B _build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DBUILD_STATIC_LIBS=OFF -DBUILD_OBJECT_LIBS=OFF \
	    ${own[@]+"${own[@]}"} ${RW_CMAKE_ARGS[@]+"${RW_CMAKE_ARGS[@]}"}
}
rw_build_jsoncpp() { _rw_cmake_build; }
# One test at a time, as Debian runs them: two of them rewrite the same
# files under test/data/.
rw_check_jsoncpp() { (cd _build && ctest -j1 --output-on-failure); }
