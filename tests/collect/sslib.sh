#!/bin/bash
# collect.sslib - a second opinion on provenance.intoto.jsonl: the DSSE
# signature over the PAE verified with securesystemslib's
# SSlibKey.verify_signature (Debian 12: python3-securesystemslib 0.26),
# for an Ed25519 and an ECDSA P-256 key, a tampered payload refused, and
# the subjects' digests equal to sha256sum of the files.  Exit 77 when
# the securesystemslib module is missing.
set -euo pipefail
TEST_NAME=collect.sslib
PY=/usr/bin/python3
export LC_ALL=C LANG=C
unset PROVCC_KEY PROVCC_ROOT SOURCE_DATE_EPOCH PROVCC_DISABLE LD_PRELOAD
die() { printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2; exit 1; }
[[ -n ${PROVCC:-} ]] || die "PROVCC is not set (run through ctest)"
if ! [[ -x $PY ]] || ! "$PY" -c 'import securesystemslib.signer' 2>/dev/null; then
	echo "$TEST_NAME: SKIP: python3 module securesystemslib missing" \
	    "(apt-get install python3-securesystemslib)"
	exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/provcc-$TEST_NAME.XXXXXX")
trap 'rm -rf "$T"' EXIT
export PROVCC_CACHE_DIR=$T/cache
cd "$T"
git init -q . && git -c user.email=t@example.org -c user.name=t commit -q \
    --allow-empty -m init
printf 'int util(void) { return 3; }\n' >util.c
printf 'int util(void);\nint main(void) { return util() - 3; }\n' >main.c
"$PROVCC" keygen ed >/dev/null
"$PROVCC" keygen --type ecdsa-p256 ec >/dev/null
"$PROVCC" gcc -O2 -c main.c -o main.o
"$PROVCC" gcc -O2 -fPIC -c util.c -o util.o
mkdir out
PROVCC_KEY=ed "$PROVCC" gcc -shared util.o -o out/libutil.so
PROVCC_KEY=ec "$PROVCC" gcc main.o -Lout -lutil -o out/prog
for k in ed ec; do
	"$PROVCC" collect -o "c-$k" --key "$k" out
	"$PY" - "c-$k/provenance.intoto.jsonl" "$k.pub" out <<'PY'
import base64, binascii, hashlib, json, os, sys
from securesystemslib import keys as sslib_keys
from securesystemslib.exceptions import UnverifiedSignatureError
from securesystemslib.signer import Signature, SSlibKey

env_path, pub_path, outdir = sys.argv[1:4]
env = json.loads(open(env_path, "rb").read())
pem = open(pub_path).read()
payload = base64.b64decode(env["payload"], validate=True)
ptype = env["payloadType"].encode()
def pae(p):
    return b"DSSEv1 %d %b %d %b" % (len(ptype), ptype, len(p), p)
[s] = env["signatures"]
raw = base64.b64decode(s["sig"], validate=True)
keyid = s["keyid"]
der = base64.b64decode("".join(l for l in pem.splitlines()
                               if not l.startswith("-----")))
assert keyid == hashlib.sha256(der).hexdigest(), "keyid != SHA-256(SPKI)"

if "BEGIN PUBLIC KEY" in pem and der[:12] == bytes.fromhex(
        "302a300506032b6570032100"):
    # Ed25519: securesystemslib wants keyval.public = hex of the raw
    # 32-byte key (the tail of the 44-byte SubjectPublicKeyInfo) and the
    # 64-byte signature as it is.
    assert len(der) == 44
    key = SSlibKey(keyid, "ed25519", "ed25519", {"public": der[12:].hex()})
    sig = raw
else:
    # ECDSA P-256: import_ecdsakey_from_public_pem gives keytype "ecdsa",
    # scheme "ecdsa-sha2-nistp256", keyval.public = the PEM; its keyid is
    # securesystemslib's own, so the key is made again with the
    # envelope's keyid (keys.verify_signature requires them to match).
    d = sslib_keys.import_ecdsakey_from_public_pem(pem)
    key = SSlibKey(keyid, d["keytype"], d["scheme"],
                   {"public": d["keyval"]["public"]})
    assert (key.keytype, key.scheme) == ("ecdsa", "ecdsa-sha2-nistp256")
    # provcc's DSSE signature is raw r||s (64 bytes, as JWS/Sigstore);
    # securesystemslib 0.26 passes the signature bytes straight to
    # cryptography's EllipticCurvePublicKey.verify (ecdsa_keys.py), which
    # wants DER (SEQUENCE { INTEGER r, INTEGER s }): convert, by hand so
    # that the check does not lean on the code it checks.
    assert len(raw) == 64, len(raw)
    def der_int(b):
        b = b.lstrip(b"\0") or b"\0"
        if b[0] & 0x80:
            b = b"\0" + b
        return b"\x02" + bytes([len(b)]) + b
    body = der_int(raw[:32]) + der_int(raw[32:])
    sig = b"\x30" + bytes([len(body)]) + body
# Signature.sig is hex (securesystemslib unhexlifies it).
signature = Signature(keyid, binascii.hexlify(sig).decode())
key.verify_signature(signature, pae(payload))
try:
    key.verify_signature(signature, pae(payload + b" "))
except UnverifiedSignatureError:
    pass
else:
    raise AssertionError("a changed payload verified")

st = json.loads(payload)
assert st["_type"] == "https://in-toto.io/Statement/v1"
assert st["predicateType"] == "https://slsa.dev/provenance/v1"
want = sorted((n, hashlib.sha256(open(os.path.join(outdir, n), "rb").read())
               .hexdigest()) for n in os.listdir(outdir))
got = sorted((x["name"], x["digest"]["sha256"]) for x in st["subject"])
assert got == want, (got, want)
print("securesystemslib verified", key.keytype, key.scheme,
      "subjects:", [n for n, _ in got])
PY
	# The subjects once more against sha256sum itself.
	for f in out/libutil.so out/prog; do
		h=$(sha256sum "$f" | cut -d' ' -f1)
		"$PY" -c 'import base64,json,sys
st = json.loads(base64.b64decode(json.load(open(sys.argv[1]))["payload"]))
assert {"name": sys.argv[2], "digest": {"sha256": sys.argv[3]}} in st["subject"], st["subject"]' \
		    "c-$k/provenance.intoto.jsonl" "${f##*/}" "$h" ||
		    die "$k: subject $f != sha256sum"
	done
done
echo "$TEST_NAME: PASSED (Ed25519 and ECDSA P-256 verified by securesystemslib $("$PY" -c 'import securesystemslib as s; print(s.__version__)'))"
