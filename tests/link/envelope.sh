#!/bin/bash
# link.envelope - `provcc verify --envelope` rebuilds a DSSE envelope that
# an independent implementation (python3-cryptography, PAE computed here
# from the DSSE spec) verifies, whose payload is an in-toto Statement v1
# with the subject digest elfdigest.py computes.  77 without the module.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$PY" -c 'import cryptography' 2>/dev/null ||
    skip "python3-cryptography is not installed"

keys
build_linked hello "" -O2
cp "$T/hello" "$T/hello-ec"
rc=0; "$PROVCC" verify --envelope "$T/hello" >"$T/none.json" 2>/dev/null ||
    rc=$?
[[ $rc -eq 6 && ! -s $T/none.json ]] || die "envelope of an unsigned file: $rc"
"$PROVCC" sign --key "$T/ed" "$T/hello"
"$PROVCC" sign --key "$T/ec" "$T/hello-ec"
rc=0; "$PROVCC" verify --envelope --key "$T/ec.pub" "$T/hello" \
    >"$T/wrong.json" 2>/dev/null || rc=$?
[[ $rc -eq 1 && ! -s $T/wrong.json ]] || die "envelope, another key: $rc"
for f in hello:ed hello-ec:ec; do
	file=$T/${f%:*} key=$T/${f#*:}.pub
	"$PROVCC" verify --envelope --key "$key" "$file" >"$T/a.json"
	"$PROVCC" verify --envelope "$file" >"$T/env.json"
	cmp "$T/a.json" "$T/env.json" || die "envelope differs with --key"
	read -r off _ <<<"$(desc_range "$file")"
	digest=$("$PY" "$ELFDIGEST/elfdigest.py" digest "$file" \
	    "$((off + 48)):96")
	"$PY" - "$T/env.json" "$key" "$digest" hello <<'PY'
import base64, hashlib, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import \
    encode_dss_signature

text = open(sys.argv[1], "rb").read().rstrip(b"\n")
pub = serialization.load_pem_public_key(open(sys.argv[2], "rb").read())
digest, name = sys.argv[3], sys.argv[4]
env = json.loads(text)
# Canonical form: compact, sorted keys.
assert text == json.dumps(env, sort_keys=True, separators=(",", ":")).encode()
assert env["payloadType"] == "application/vnd.in-toto+json"
assert len(env["signatures"]) == 1
payload = base64.b64decode(env["payload"], validate=True)
sig = base64.b64decode(env["signatures"][0]["sig"], validate=True)
spki = pub.public_bytes(serialization.Encoding.DER,
                        serialization.PublicFormat.SubjectPublicKeyInfo)
assert env["signatures"][0]["keyid"] == hashlib.sha256(spki).hexdigest()
ptype = env["payloadType"].encode()
pae = b"DSSEv1 %d %b %d %b" % (len(ptype), ptype, len(payload), payload)
assert len(sig) == 64
if isinstance(pub, ed25519.Ed25519PublicKey):
    pub.verify(sig, pae)
else:
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"),
                               int.from_bytes(sig[32:], "big"))
    pub.verify(der, pae, ec.ECDSA(hashes.SHA256()))
# One changed byte must fail.
bad = bytearray(pae)
bad[-3] ^= 1
try:
    if isinstance(pub, ed25519.Ed25519PublicKey):
        pub.verify(sig, bytes(bad))
    else:
        pub.verify(der, bytes(bad), ec.ECDSA(hashes.SHA256()))
    sys.exit("a changed payload verified")
except Exception as e:
    if type(e).__name__ != "InvalidSignature":
        raise
# in-toto Statement v1 (github.com/in-toto/attestation, spec/v1).
st = json.loads(payload)
assert set(st) == {"_type", "subject", "predicateType", "predicate"}, st.keys()
assert st["_type"] == "https://in-toto.io/Statement/v1"
assert st["predicateType"] == "https://provcc.dev/attestation/link/v1"
assert isinstance(st["subject"], list) and len(st["subject"]) == 1
subj = st["subject"][0]
assert subj["name"] == name
assert subj["digest"] == {"provcc-elf-v1": digest}, (subj, digest)
assert isinstance(st["predicate"], dict) and st["predicate"]["version"] == 1
print("envelope ok:", name, type(pub).__name__)
PY
	ok "${f%:*}: envelope verified by python3-cryptography"
done
