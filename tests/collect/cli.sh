#!/bin/bash
# collect.cli - provcc sbom and provcc collect on a project built through
# provcc: both SBOMs valid against the upstream schemas, collect
# byte-identical twice, a vendor archive outside the project and owned
# by no package reported unidentified, libc.so.6 attributed to libc6
# with the purl dpkg-query implies, and provenance.intoto.jsonl a DSSE
# envelope that python3-cryptography verifies, whose subjects are the
# files' SHA-256.  Exit 77 when the schemas, python3-jsonschema or
# python3-cryptography are missing (after every other check).
set -euo pipefail
TEST_NAME=collect.cli
PY=/usr/bin/python3
export LC_ALL=C LANG=C
unset PROVCC_KEY PROVCC_ROOT SOURCE_DATE_EPOCH PROVCC_DISABLE LD_PRELOAD

# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
[[ -n ${PROVCC:-} ]] || die "PROVCC is not set (run through ctest)"
[[ -x $PY ]] || { echo "$TEST_NAME: SKIP: no $PY"; exit 77; }

test_tmpdir ""

# A vendor archive built without provcc, outside the project.
mkdir -p "$T/opt/vendor" "$T/src"
printf 'int foo(void) { return 4; }\n' >"$T/opt/vendor/foo.c"
gcc -O2 -c "$T/opt/vendor/foo.c" -o "$T/opt/vendor/foo.o"
ar rcs "$T/opt/vendor/libfoo.a" "$T/opt/vendor/foo.o"

cd "$T/src"
git init -q .
git -c user.email=t@example.org -c user.name=t commit -q --allow-empty \
    -m init
cat >main.c <<'C'
#include <stdio.h>
#include "util.h"
int foo(void);
int main(void) { printf("%d\n", util() + foo()); return 0; }
C
printf 'int util(void);\n' >util.h
printf '#include "util.h"\nint util(void) { return 3; }\n' >util.c
"$PROVCC" keygen "$T/key" >/dev/null
"$PROVCC" gcc -O2 -c main.c -o main.o
"$PROVCC" gcc -O2 -c util.c -o util.o
ar rcs libutil.a util.o
mkdir bin
PROVCC_KEY=$T/key "$PROVCC" gcc main.o libutil.a -L"$T/opt/vendor" -lfoo \
    -o bin/prog
[[ $(bin/prog) == 7 ]] || die "prog does not run"
"$PROVCC" verify --key "$T/key.pub" bin/prog >/dev/null
ok "project built and signed"

"$PROVCC" sbom bin/prog >"$T/one.cdx.json"
"$PROVCC" sbom -f spdx -o "$T/one.spdx.json" bin/prog
"$PROVCC" collect -o "$T/out1" --key "$T/key" bin/prog
PROVCC_KEY=$T/key "$PROVCC" collect -o "$T/out2" bin/prog ./bin/prog
for f in sbom.cdx.json sbom.spdx.json provenance.intoto.jsonl; do
	cmp "$T/out1/$f" "$T/out2/$f" || die "$f differs between runs"
done
cmp "$T/one.cdx.json" "$T/out1/sbom.cdx.json" || die "sbom != collect (cdx)"
cmp "$T/one.spdx.json" "$T/out1/sbom.spdx.json" || die "sbom != collect (spdx)"
[[ $(wc -l <"$T/out1/provenance.intoto.jsonl") -eq 1 ]] ||
    die "provenance is not one line"
ok "collect twice: identical bytes"

# Several artifacts: a shared library and a program using it, found by
# searching a directory (objects and plain files there are skipped).
"$PROVCC" gcc -O2 -fPIC -c util.c -o util_pic.o
mkdir -p dist/sub
PROVCC_KEY=$T/key "$PROVCC" gcc -shared util_pic.o -o dist/sub/libutil.so
PROVCC_KEY=$T/key "$PROVCC" gcc main.o -Ldist/sub -lutil \
    -L"$T/opt/vendor" -lfoo -o dist/prog2
cp main.o dist/
echo text >dist/README
"$PROVCC" collect -o "$T/multi1" --key "$T/key" dist bin
"$PROVCC" collect -o "$T/multi2" --key "$T/key" bin dist/sub dist
for f in sbom.cdx.json sbom.spdx.json provenance.intoto.jsonl; do
	cmp "$T/multi1/$f" "$T/multi2/$f" || die "multi: $f differs"
done
"$PY" - "$T/multi1" <<'PY'
import json, sys
cdx = json.load(open(sys.argv[1] + "/sbom.cdx.json"))
arts = sorted(c["name"] for c in cdx["components"]
              if c["bom-ref"].startswith("artifact:"))
assert arts == ["libutil.so", "prog", "prog2"], arts
assert "component" not in cdx["metadata"]
lib = [c for c in cdx["components"] if c["name"] == "libutil.so"][0]
assert lib["type"] == "library", lib
assert len(cdx["dependencies"]) == 3
PY
ok "collect of directories: 3 artifacts, order-independent"

# A note without package facts read where there is no dpkg database: a
# warning, absolute paths unidentified (collect.buildtime has the rest).
PROVCC_PACKAGES=off "$PROVCC" gcc main.o libutil.a -L"$T/opt/vendor" \
    -lfoo -o "$T/prog-nofacts"
PROVCC_DPKG_ADMINDIR=$T/nodpkg "$PROVCC" sbom "$T/prog-nofacts" \
    >"$T/nodpkg.cdx.json" 2>"$T/nodpkg.err"
grep -q 'warning' "$T/nodpkg.err" || die "no warning without dpkg"
grep -q '"pkg:deb/' "$T/nodpkg.cdx.json" && die "packages without dpkg"
grep -q 'libc.so.6' "$T/nodpkg.cdx.json" || die "libc.so.6 dropped"
ok "no facts and no dpkg: warning, files unidentified"

rc=0; "$PROVCC" collect -o "$T/nokey" bin 2>/dev/null || rc=$?
[[ $rc -eq 2 && ! -e $T/nokey ]] || die "collect without a key: $rc"
rc=0; "$PROVCC" sbom main.o >/dev/null 2>&1 || rc=$?
[[ $rc -eq 3 ]] || die "sbom of an object: $rc, expected 3"
gcc "$T/opt/vendor/foo.c" -shared -o "$T/opt/vendor/libplain.so"
rc=0; "$PROVCC" sbom "$T/opt/vendor/libplain.so" >/dev/null 2>&1 || rc=$?
[[ $rc -eq 5 ]] || die "sbom of a file without a note: $rc, expected 5"
rc=0; "$PROVCC" sbom "$T/nonexistent" >/dev/null 2>&1 || rc=$?
[[ $rc -eq 3 ]] || die "sbom of a missing file: $rc, expected 3"
cp bin/prog "$T/changed"
off=$(readelf -S -W "$T/changed" | sed 's/^ *\[ *[0-9]*\] *//' |
    awk '$1 == ".text" { print $4; exit }')
"$PY" -c 'import sys
f, o = sys.argv[1], int(sys.argv[2], 16) + 4
b = bytearray(open(f, "rb").read()); b[o] ^= 1; open(f, "wb").write(b)' \
    "$T/changed" "$off"
rc=0; "$PROVCC" sbom "$T/changed" >/dev/null 2>&1 || rc=$?
[[ $rc -eq 7 ]] || die "sbom of a changed file: $rc, expected 7"
rc=0; "$PROVCC" collect -o "$T/chg" --key "$T/key" "$T/changed" \
    2>/dev/null || rc=$?
[[ $rc -eq 7 && ! -e $T/chg/sbom.cdx.json ]] || die "collect changed: $rc"
ok "errors: no key 2, object 3, no link note 5, unreadable 3, changed 7"

SOURCE_DATE_EPOCH=1700000000 "$PROVCC" sbom bin/prog >"$T/sde.cdx.json"
grep -q '"timestamp": "2023-11-14T22:13:20Z"' "$T/sde.cdx.json" ||
    die "no timestamp from SOURCE_DATE_EPOCH"
grep -q '"timestamp"' "$T/one.cdx.json" && die "a timestamp without SDE"
ok "timestamp only from SOURCE_DATE_EPOCH"

arch=$(dpkg --print-architecture 2>/dev/null || true)
libc_version=$(dpkg-query -W -f '${Version}' "libc6:$arch" 2>/dev/null ||
    true)
"$PY" - "$T" "$libc_version" "$arch" <<'PY'
import hashlib, json, sys, urllib.parse
t, libc_version, arch = sys.argv[1:4]
cdx = json.load(open(t + "/out1/sbom.cdx.json"))
spdx = json.load(open(t + "/out1/sbom.spdx.json"))
prog = hashlib.sha256(open(t + "/src/bin/prog", "rb").read()).hexdigest()
meta = cdx["metadata"]["component"]
assert meta["name"] == "prog" and meta["type"] == "application", meta
assert meta["hashes"] == [{"alg": "SHA-256", "content": prog}], meta
assert cdx["serialNumber"].startswith("urn:uuid:")
comps = cdx["components"]
by_name = {c["name"]: c for c in comps}
def props(c):
    return {p["name"]: p["value"] for p in c.get("properties", [])}
# The vendor archive: outside the root, no owner.
vendor = t + "/opt/vendor/libfoo.a"
assert vendor in by_name, sorted(by_name)
assert props(by_name[vendor]).get("provcc:unidentified") == "true"
assert by_name[vendor]["type"] == "file"
# Project files, relative to the root.
for f in ("main.c", "util.c", "util.h", "main.o", "libutil.a"):
    assert f in by_name and props(by_name[f]).get("provcc:origin") == \
        "project", f
# libc6 and its purl.
if libc_version:
    libc = by_name["libc6"]
    want = "pkg:deb/debian/libc6@%s?arch=%s&distro=debian-12" % (
        urllib.parse.quote(libc_version, safe=".-_~:"), arch)
    assert libc["purl"] == want, (libc["purl"], want)
    assert libc["version"] == libc_version and libc["scope"] == "required"
    assert any(f["name"].endswith("/libc.so.6")
               for f in libc["components"]), libc["components"]
    gcc = [c for c in comps if c["name"].startswith("gcc-")]
    assert gcc and gcc[0]["scope"] == "excluded" and \
        props(gcc[0])["provcc:role"] == "toolchain", gcc
    deps = cdx["dependencies"][0]
    assert deps["ref"] == meta["bom-ref"] and want in deps["dependsOn"]
# SPDX: the artifact, libc6's external refs, SHA1 on project files.
pk = {p["name"]: p for p in spdx["packages"]}
assert pk["prog"]["checksums"] == [{"algorithm": "SHA256",
                                    "checksumValue": prog}]
if libc_version:
    refs = pk["libc6"]["externalRefs"]
    assert {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
            "referenceLocator": want} in refs, refs
    assert any(r["referenceType"] == "cpe23Type" for r in refs)
files = {f["fileName"]: f for f in spdx["files"]}
main_c = open(t + "/src/main.c", "rb").read()
assert {"algorithm": "SHA1", "checksumValue":
        hashlib.sha1(main_c).hexdigest()} in files["./main.c"]["checksums"]
assert "unidentified" in files[vendor]["comment"]
rels = {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
        for r in spdx["relationships"]}
ids = {p["name"]: p["SPDXID"] for p in spdx["packages"]}
assert ("SPDXRef-DOCUMENT", "DESCRIBES", ids["prog"]) in rels
if libc_version:
    assert (ids["prog"], "DYNAMIC_LINK", ids["libc6"]) in rels
    assert (ids[gcc[0]["name"]], "BUILD_TOOL_OF", ids["prog"]) in rels
assert spdx["documentNamespace"].startswith("https://provcc.dev/spdx/")
assert spdx["creationInfo"]["created"] == "1970-01-01T00:00:00Z"
print("model checks ok")
PY
ok "components: project files, unidentified vendor archive, libc6${libc_version:+ $libc_version}"

skipped=""
# verify_prov ENVELOPE PUB: the DSSE envelope checked independently
# (tests/tools/dsse_verify.py), then what the statement says.
verify_prov() {
	"$PY" "$TOOLS/dsse_verify.py" "$1" "$2" "$T/src/bin/prog" \
	    >"$T/statement.json"
	"$PY" - "$T/src/bin/prog" "$T/statement.json" <<'PY'
import hashlib, json, sys
st = json.load(open(sys.argv[2]))
assert st["predicateType"] == "https://slsa.dev/provenance/v1"
bd = st["predicate"]["buildDefinition"]
assert bd["buildType"] == "https://provcc.dev/buildtypes/provcc-link/v1"
src = bd["externalParameters"]["source"]
assert len(src["commit"]) == 40 and isinstance(src["dirty"], bool), src
deps = {d["name"]: d for d in bd["resolvedDependencies"]}
assert "main.c" in deps and deps["main.c"]["digest"]["sha256"] == \
    hashlib.sha256(open(sys.argv[1].rsplit("/", 2)[0] + "/main.c",
                        "rb").read()).hexdigest()
assert any("purl" in d.get("annotations", {}) for d in deps.values())
rd = st["predicate"]["runDetails"]
assert rd["builder"]["id"].startswith("https://provcc.dev/provcc@")
assert "startedOn" not in rd["metadata"]
print("provenance verified")
PY
}
if "$PY" -c 'import cryptography' 2>/dev/null; then
	verify_prov "$T/out1/provenance.intoto.jsonl" "$T/key.pub"
	"$PROVCC" keygen --type ecdsa-p256 "$T/ec" >/dev/null
	"$PROVCC" collect -o "$T/ecout" --key "$T/ec" bin/prog
	verify_prov "$T/ecout/provenance.intoto.jsonl" "$T/ec.pub"
	ok "provenance: DSSE (Ed25519, ECDSA P-256) verified by python3-cryptography, subjects = sha256sum"
else
	skipped="$skipped python3-cryptography"
fi

SCHEMAS=
for d in "${SCHEMAS_DIR:-}" /work/shared/schemas; do
	[[ -n $d && -f $d/validate.py ]] && { SCHEMAS=$d; break; }
done
if [[ -z $SCHEMAS ]]; then
	skipped="$skipped schemas(SCHEMAS_DIR)"
elif ! "$PY" -c 'import jsonschema' 2>/dev/null; then
	skipped="$skipped python3-jsonschema"
else
	for f in "$T/one.cdx.json" "$T/out1/sbom.cdx.json" "$T/sde.cdx.json" \
	    "$T/multi1/sbom.cdx.json" "$T/nodpkg.cdx.json"; do
		"$PY" "$SCHEMAS/validate.py" cyclonedx-1.6 "$f" >/dev/null ||
		    die "$f: not valid CycloneDX 1.6"
	done
	for f in "$T/one.spdx.json" "$T/out1/sbom.spdx.json" \
	    "$T/multi1/sbom.spdx.json"; do
		"$PY" "$SCHEMAS/validate.py" spdx-2.3 "$f" >/dev/null ||
		    die "$f: not valid SPDX 2.3"
	done
	ok "CycloneDX 1.6 and SPDX 2.3 schemas ($SCHEMAS)"
fi
if [[ -n $skipped ]]; then
	echo "$TEST_NAME: SKIP: checks not run, missing:$skipped"
	exit 77
fi
