#!/bin/bash
# collect.example - the Quick start's job on the bundled example
# (examples/hello): built with its own Makefile through provcc and signed
# at link time, stripped, verified; provcc collect writes both SBOMs
# (valid against the official schemas), the same bytes twice, naming
# main.c, greet.c, greet.h and libc6; provenance.intoto.jsonl verified
# by tests/tools/dsse_verify.py for an Ed25519 and an ECDSA P-256 key.
# Exit 77 when the schemas, python3-jsonschema or python3-cryptography
# are missing (after every other check).
set -euo pipefail
TEST_NAME=collect.example
PY=/usr/bin/python3
export LC_ALL=C LANG=C
unset PROVCC_KEY PROVCC_ROOT SOURCE_DATE_EPOCH PROVCC_DISABLE LD_PRELOAD \
    PROVCC_DPKG_ADMINDIR PROVCC_PACKAGES

# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
[[ -n ${PROVCC:-} && -n ${TOP:-} ]] || die "PROVCC/TOP not set (run through ctest)"
[[ -x $PY ]] || { echo "$TEST_NAME: SKIP: no $PY"; exit 77; }

test_tmpdir ""

cp -R "$TOP/examples/hello" "$T/hello"
cd "$T/hello"
# Outside a git work tree the build root is named (docs/user-guide.md).
export PROVCC_ROOT=$T/hello
"$PROVCC" keygen "$T/ed" >/dev/null
"$PROVCC" keygen --type ecdsa-p256 "$T/ec" >/dev/null
PROVCC_KEY=$T/ed make -s CC="$PROVCC gcc"
[[ $(./hello provcc) == *provcc* ]] || die "hello does not run"
strip hello
"$PROVCC" verify --key "$T/ed.pub" hello >/dev/null || die "hello does not verify"
ok "built with make CC=\"provcc gcc\", signed, stripped, verified"

"$PROVCC" collect -o "$T/ev1" --key "$T/ed" hello
"$PROVCC" collect -o "$T/ev2" --key "$T/ed" .
for f in sbom.cdx.json sbom.spdx.json provenance.intoto.jsonl; do
	cmp "$T/ev1/$f" "$T/ev2/$f" || die "$f differs between two runs"
done
"$PY" - "$T/ev1" <<'PY'
import json, sys
cdx = json.load(open(sys.argv[1] + "/sbom.cdx.json"))
names = {c["name"] for c in cdx["components"]}
assert cdx["metadata"]["component"]["name"] == "hello", cdx["metadata"]
for want in ("main.c", "greet.c", "greet.h"):
    assert want in names, (want, sorted(names))
purls = [c.get("purl", "") for c in cdx["components"]]
assert any(p.startswith("pkg:deb/debian/libc6@") for p in purls), purls
spdx = json.load(open(sys.argv[1] + "/sbom.spdx.json"))
files = {f["fileName"] for f in spdx.get("files", [])}
assert any(f.endswith("greet.h") for f in files), sorted(files)
PY
ok "collect: the same bytes twice; main.c, greet.c, greet.h, libc6 named"

skipped=""
if "$PY" -c 'import cryptography' 2>/dev/null; then
	"$PY" "$TOP/tests/tools/dsse_verify.py" "$T/ev1/provenance.intoto.jsonl" \
	    "$T/ed.pub" hello >"$T/statement.json"
	"$PROVCC" collect -o "$T/ev-ec" --key "$T/ec" hello
	"$PY" "$TOP/tests/tools/dsse_verify.py" "$T/ev-ec/provenance.intoto.jsonl" \
	    "$T/ec.pub" hello >/dev/null
	if "$PY" "$TOP/tests/tools/dsse_verify.py" \
	    "$T/ev-ec/provenance.intoto.jsonl" "$T/ed.pub" hello \
	    >/dev/null 2>&1; then
		die "the provenance verified with the wrong key"
	fi
	grep -q '"predicateType": "https://slsa.dev/provenance/v1"' \
	    "$T/statement.json" || die "not SLSA provenance"
	ok "provenance: DSSE (Ed25519, ECDSA P-256) verified independently; wrong key refused"
else
	skipped="$skipped python3-cryptography"
fi

SCHEMAS=${SCHEMAS_DIR:-}
if [[ -z $SCHEMAS || ! -f $SCHEMAS/validate.py ]]; then
	skipped="$skipped schemas(SCHEMAS_DIR)"
elif ! "$PY" -c 'import jsonschema' 2>/dev/null; then
	skipped="$skipped python3-jsonschema"
else
	"$PY" "$SCHEMAS/validate.py" cyclonedx-1.6 "$T/ev1/sbom.cdx.json" >/dev/null ||
	    die "sbom.cdx.json: not valid CycloneDX 1.6"
	"$PY" "$SCHEMAS/validate.py" spdx-2.3 "$T/ev1/sbom.spdx.json" >/dev/null ||
	    die "sbom.spdx.json: not valid SPDX 2.3"
	ok "CycloneDX 1.6 and SPDX 2.3 schemas ($SCHEMAS)"
fi
if [[ -n $skipped ]]; then
	echo "$TEST_NAME: SKIP: checks not run, missing:$skipped"
	exit 77
fi
