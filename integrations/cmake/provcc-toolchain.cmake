# provcc-toolchain.cmake - route every C and C++ compile and link of a
# CMake project through provcc:
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=<prefix>/share/provcc/cmake/provcc-toolchain.cmake ..
#
# Cross toolchain: -DPROVCC_CHAIN_TOOLCHAIN_FILE=/path/to/cross.cmake is
# included first; it picks the compiler, provcc wraps it.
#
# A launcher the user already set (-DCMAKE_C_COMPILER_LAUNCHER=ccache)
# is kept behind provcc: "provcc ccache cc ...".  provcc must come
# first: as "ccache provcc cc ..." ccache sees two programs and caches
# nothing.  (For ccache in front use CCACHE_PREFIX=provcc instead; see
# the user guide.)
#
# CMake reads this file several times, also for each try_compile project:
# it only sets variables, and the same result each time.  try_compile
# probes do not go through provcc: they are not outputs, and CMake reads
# the compiler's implicit link directories from the probe's link line.

# Below <prefix>/share/provcc/cmake; the build tree has the same layout.
get_filename_component(PROVCC_EXECUTABLE
    "${CMAKE_CURRENT_LIST_DIR}/../../../bin/provcc" ABSOLUTE)

# The inner toolchain file first; try_compile projects get it too (after
# it, in case it sets CMAKE_TRY_COMPILE_PLATFORM_VARIABLES itself).
if(PROVCC_CHAIN_TOOLCHAIN_FILE)
  if(NOT IS_ABSOLUTE "${PROVCC_CHAIN_TOOLCHAIN_FILE}")
    message(FATAL_ERROR "provcc: PROVCC_CHAIN_TOOLCHAIN_FILE must be an "
        "absolute path: ${PROVCC_CHAIN_TOOLCHAIN_FILE}")
  endif()
  include("${PROVCC_CHAIN_TOOLCHAIN_FILE}")
endif()
# list(FIND), not IN_LIST: projects that require an old CMake (zlib's
# cmake_minimum_required(VERSION 2.4.4)) have policy CMP0057 unset, and
# there if(... IN_LIST ...) is an error.
list(FIND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PROVCC_CHAIN_TOOLCHAIN_FILE
    _provcc_index)
if(_provcc_index EQUAL -1)
  list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PROVCC_CHAIN_TOOLCHAIN_FILE)
endif()
unset(_provcc_index)

if(NOT EXISTS "${PROVCC_EXECUTABLE}")
  message(FATAL_ERROR "provcc: no provcc at ${PROVCC_EXECUTABLE}")
endif()

get_property(_provcc_in_try_compile GLOBAL PROPERTY IN_TRY_COMPILE)
if(NOT _provcc_in_try_compile)
  foreach(_provcc_var
      CMAKE_C_COMPILER_LAUNCHER CMAKE_CXX_COMPILER_LAUNCHER
      CMAKE_C_LINKER_LAUNCHER CMAKE_CXX_LINKER_LAUNCHER)
    set(_provcc_have OFF)
    foreach(_provcc_item IN LISTS ${_provcc_var})
      get_filename_component(_provcc_name "${_provcc_item}" NAME)
      if(_provcc_name STREQUAL "provcc")
        set(_provcc_have ON)
      endif()
    endforeach()
    if(NOT _provcc_have)
      # provcc first, then the user's launcher (ccache).
      set(${_provcc_var} "${PROVCC_EXECUTABLE}" ${${_provcc_var}})
    endif()
  endforeach()
endif()
unset(_provcc_in_try_compile)
unset(_provcc_var)
unset(_provcc_have)
unset(_provcc_item)
unset(_provcc_name)
