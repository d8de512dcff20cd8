#!/bin/sh
# The whole test suite, as CI runs it: dependencies, a -Werror build
# with ASan and UBSan, every CTest test, and a -Werror build with clang.
set -eu
cd "$(dirname "$0")/.."

scripts/install-deps.sh --test

jobs=$(nproc)
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug \
    -DPROVCC_WERROR=ON -DPROVCC_SANITIZE=ON >/dev/null
cmake --build build-test -j"$jobs"

# The same sources must also build warning-free with clang, and with
# gcc optimising (some warnings, -Wformat-truncation, need -O2).
cmake -S . -B build-clang -DCMAKE_C_COMPILER=clang \
    -DPROVCC_WERROR=ON >/dev/null
cmake --build build-clang -j"$jobs"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DPROVCC_TESTS=OFF \
    -DPROVCC_WERROR=ON >/dev/null
cmake --build build-release -j"$jobs"

ctest --test-dir build-test --output-on-failure -j"$jobs" \
    --timeout 1200
