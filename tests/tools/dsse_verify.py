#!/usr/bin/python3
"""dsse_verify.py ENVELOPE PUBKEY [FILE...]

An independent check of provenance.intoto.jsonl as `provcc collect`
writes it, written from the DSSE and in-toto specifications rather than
from provcc's code: one line holding one DSSE envelope whose signature
(Ed25519, or ECDSA P-256 with SHA-256 as raw r||s) verifies over
PAE(payloadType, payload) with PUBKEY (PEM), keyid = SHA-256 of the DER
SubjectPublicKeyInfo, an in-toto Statement v1 payload.  With FILEs, the
subjects must be exactly those files: name = basename, digest = SHA-256
of the file as it is now.  Prints the statement (JSON) on stdout; exits
1 with a message on any failure.  Needs python3-cryptography.
"""
import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import \
    encode_dss_signature


def pae(ptype, payload):
    return b"DSSEv1 %d %b %d %b" % (len(ptype), ptype, len(payload), payload)


def check_signature(env, pub):
    payload = base64.b64decode(env["payload"], validate=True)
    sigs = env["signatures"]
    assert len(sigs) == 1, "want one signature, got %d" % len(sigs)
    sig = base64.b64decode(sigs[0]["sig"], validate=True)
    spki = pub.public_bytes(serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo)
    assert sigs[0]["keyid"] == hashlib.sha256(spki).hexdigest(), "keyid"
    msg = pae(env["payloadType"].encode(), payload)
    if isinstance(pub, ed25519.Ed25519PublicKey):
        pub.verify(sig, msg)
    else:
        assert len(sig) == 64, "ECDSA signature is not 64 bytes"
        der = encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                   int.from_bytes(sig[32:], "big"))
        pub.verify(der, msg, ec.ECDSA(hashes.SHA256()))
    return payload


def check_subjects(st, files):
    want = sorted((os.path.basename(f),
                   hashlib.sha256(open(f, "rb").read()).hexdigest())
                  for f in files)
    got = sorted((s["name"], s["digest"]["sha256"]) for s in st["subject"])
    assert got == want, "subjects %s, files %s" % (got, want)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    lines = open(sys.argv[1], "rb").read().split(b"\n")
    assert len(lines) == 2 and lines[1] == b"", "not exactly one line"
    env = json.loads(lines[0])
    assert env["payloadType"] == "application/vnd.in-toto+json"
    pub = serialization.load_pem_public_key(open(sys.argv[2], "rb").read())
    st = json.loads(check_signature(env, pub))
    assert st["_type"] == "https://in-toto.io/Statement/v1", st["_type"]
    if len(sys.argv) > 3:
        check_subjects(st, sys.argv[3:])
    json.dump(st, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # one line, whatever failed
        sys.exit("dsse_verify: %s: %s" % (type(e).__name__, e))
