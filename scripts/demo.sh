#!/bin/sh
# The Quick start: install what is missing, build and install provcc
# into ./_install, then build the bundled example through it and show
# what was recorded.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)

scripts/install-deps.sh

cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_INSTALL_PREFIX="$top/_install" -DPROVCC_TESTS=OFF >/dev/null
cmake --build build-demo -j"$(nproc)"
cmake --install build-demo >/dev/null
provcc="$top/_install/bin/provcc"

rm -rf _demo
cp -R examples/hello _demo
cd _demo
echo "== building examples/hello with CC=\"provcc gcc\""
make CC="$provcc gcc"
./hello provcc
echo
echo "== provenance recorded in main.o"
"$provcc" show main.o
echo
echo "== the same as JSON (first lines)"
"$provcc" show --json greet.o | head -n 20
