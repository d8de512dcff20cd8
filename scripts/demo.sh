#!/bin/sh
# The Quick start: install what is missing, build and install provcc
# into ./_install, then build the bundled example through it (signing
# the program with a fresh demo key), verify the program, show what
# was recorded and write its SBOMs and signed build provenance.
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
echo "== a signing key for this demo: demo-key.pem, demo-key.pem.pub"
"$provcc" keygen demo-key.pem
echo
echo "== building examples/hello with CC=\"provcc gcc\" PROVCC_KEY=demo-key.pem"
PROVCC_KEY=demo-key.pem make CC="$provcc gcc"
./hello provcc
echo
echo "== an auditor verifies the shipped binary, stripped, offline"
strip hello
"$provcc" verify --key demo-key.pem.pub hello
echo
echo "== provenance recorded in the binary"
"$provcc" show hello
echo
echo "== the signed in-toto statement as a DSSE envelope (first bytes)"
"$provcc" verify --envelope --key demo-key.pem.pub hello | cut -c1-300
echo
echo
echo "== SBOMs (CycloneDX 1.6, SPDX 2.3) and signed SLSA provenance of the build"
"$provcc" collect -o evidence --key demo-key.pem hello
ls -l evidence
echo
echo "== third-party components found (CycloneDX, first 15)"
python3 -c 'import json, sys
bom = json.load(open("evidence/sbom.cdx.json"))
for c in bom.get("components", [])[:15]:
    print("  %-24s %-28s %s" % (c.get("name"), c.get("version", ""), c.get("purl", "")))
' || true
echo
echo "Everything above is in _demo/: hello, demo-key.pem.pub, evidence/."
