#!/usr/bin/python3
"""crosscheck.py SIGN_TOOL - provcc's signing checked against an
independent implementation, Python's cryptography (Debian package
python3-cryptography).

Both ways, for Ed25519 and ECDSA P-256:
- keys made by `provcc keygen` load in cryptography, and their key id
  is the SHA-256 of the DER SubjectPublicKeyInfo;
- envelopes provcc signs are canonical JSON, and their signatures over
  PAE (computed here from the DSSE spec) verify in cryptography;
- Ed25519 signatures equal cryptography's for the same key and message
  (Ed25519 is deterministic), and ECDSA ones repeat byte for byte;
- envelopes cryptography signs (randomized ECDSA, URL-safe unpadded
  base64, keys in PKCS#8 and traditional form) verify in provcc, and
  fail to once a byte changes;
- keys of other algorithms are refused.

Exit 77 (skipped) without the cryptography module.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519
    from cryptography.hazmat.primitives.asymmetric.utils import (
        decode_dss_signature, encode_dss_signature)
except ImportError as e:
    print(f"SKIP: python3-cryptography is not installed ({e})")
    sys.exit(77)

TOOL = sys.argv[1]
TYPE = "application/vnd.provcc.test+json"
BODY = b'{"provenance": "\xc3\xa9"}\n\x00\xff binary tail'
failures = 0
checks = 0


def check(ok, what):
    global failures, checks
    checks += 1
    if not ok:
        failures += 1
        print(f"FAIL: {what}")
    else:
        print(f"ok: {what}")


def run(*args):
    return subprocess.run([TOOL, *args], capture_output=True)


def pae(ptype: bytes, body: bytes) -> bytes:
    return b"DSSEv1 %d %b %d %b" % (len(ptype), ptype, len(body), body)


def spki_der(pub):
    return pub.public_bytes(serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def verify_ours(pub, sig, message):
    """cryptography's verdict on one of our raw signatures."""
    try:
        if isinstance(pub, ed25519.Ed25519PublicKey):
            pub.verify(sig, message)
        else:
            if len(sig) != 64:
                return False
            der = encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                       int.from_bytes(sig[32:], "big"))
            pub.verify(der, message, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def provcc_signs(tmp, kind):
    key = os.path.join(tmp, f"{kind}.key")
    r = run("keygen", "--type", kind, key)
    check(r.returncode == 0, f"{kind}: keygen exits 0 ({r.stderr!r})")
    keyid = r.stdout.decode().strip()
    priv = serialization.load_pem_private_key(open(key, "rb").read(), None)
    pub = serialization.load_pem_public_key(open(key + ".pub", "rb").read())
    check(spki_der(priv.public_key()) == spki_der(pub),
          f"{kind}: FILE.pub is FILE's public key")
    check(keyid == hashlib.sha256(spki_der(pub)).hexdigest(),
          f"{kind}: key id is sha256 of the DER SubjectPublicKeyInfo")
    want = ec.EllipticCurvePrivateKey if kind == "ecdsa-p256" \
        else ed25519.Ed25519PrivateKey
    check(isinstance(priv, want), f"{kind}: key is {want.__name__}")
    if isinstance(priv, ec.EllipticCurvePrivateKey):
        check(priv.curve.name == "secp256r1", f"{kind}: curve P-256")

    body = os.path.join(tmp, f"{kind}.body")
    open(body, "wb").write(BODY)
    r = run("sign", key, TYPE, body)
    check(r.returncode == 0, f"{kind}: sign exits 0 ({r.stderr!r})")
    text = r.stdout.decode().rstrip("\n")
    env = json.loads(text)
    check(text == json.dumps(env, separators=(",", ":"), sort_keys=True),
          f"{kind}: envelope is canonical JSON")
    check(base64.b64encode(base64.b64decode(env["payload"], validate=True))
          .decode() == env["payload"], f"{kind}: standard padded base64")
    check(base64.b64decode(env["payload"]) == BODY,
          f"{kind}: payload is the body")
    check(env["payloadType"] == TYPE, f"{kind}: payloadType")
    sigs = env["signatures"]
    check(len(sigs) == 1 and sigs[0]["keyid"] == keyid,
          f"{kind}: one signature, with the key id")
    sig = base64.b64decode(sigs[0]["sig"], validate=True)
    check(len(sig) == 64, f"{kind}: signature is 64 bytes")
    message = pae(TYPE.encode(), BODY)
    check(verify_ours(pub, sig, message),
          f"{kind}: cryptography verifies provcc's signature over PAE")
    check(not verify_ours(pub, sig, pae(b"other/type", BODY)),
          f"{kind}: not over another payload type")
    bad = bytearray(sig)
    bad[5] ^= 1
    check(not verify_ours(pub, bytes(bad), message),
          f"{kind}: not with a byte flipped")
    if isinstance(priv, ed25519.Ed25519PrivateKey):
        check(priv.sign(message) == sig,
              f"{kind}: provcc's signature equals cryptography's")
    else:
        r, s = decode_dss_signature(priv.sign(message,
                                              ec.ECDSA(hashes.SHA256())))
        check(verify_ours(pub, r.to_bytes(32, "big") + s.to_bytes(32, "big"),
                          message), f"{kind}: raw r||s layout as ours")
    again = run("sign", key, TYPE, body).stdout.decode().rstrip("\n")
    check(again == text, f"{kind}: signing again gives the same bytes")


def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def cryptography_signs(tmp, name, priv, fmt):
    """An envelope cryptography signs with PRIV (saved in format FMT)."""
    key = os.path.join(tmp, f"{name}.key")
    open(key, "wb").write(priv.private_bytes(
        serialization.Encoding.PEM, fmt, serialization.NoEncryption()))
    pubfile = key + ".pub"
    open(pubfile, "wb").write(priv.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo))
    message = pae(TYPE.encode(), BODY)
    if isinstance(priv, ed25519.Ed25519PrivateKey):
        sig = priv.sign(message)
    else:
        r, s = decode_dss_signature(priv.sign(message,
                                              ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    envfile = os.path.join(tmp, f"{name}.env")

    def write(payload_b64, sig_b64):
        json.dump({"payloadType": TYPE, "payload": payload_b64,
                   "signatures": [{"keyid": "someone-else's-scheme",
                                   "sig": sig_b64}]},
                  open(envfile, "w"), indent=2)

    write(b64url(BODY), b64url(sig))
    r = run("verify", pubfile, TYPE, envfile)
    check(r.returncode == 0,
          f"{name}: provcc verifies cryptography's envelope ({r.stderr!r})")
    write(base64.b64encode(BODY).decode(), base64.b64encode(sig).decode())
    check(run("verify", pubfile, TYPE, envfile).returncode == 0,
          f"{name}: also in standard base64")
    bad = bytearray(BODY)
    bad[0] ^= 1
    write(b64url(bytes(bad)), b64url(sig))
    check(run("verify", pubfile, TYPE, envfile).returncode == 1,
          f"{name}: not with a payload byte flipped")
    write(b64url(BODY), b64url(sig))
    check(run("verify", pubfile, "other/type", envfile).returncode == 1,
          f"{name}: not when another payload type is wanted")
    # provcc signs with the key cryptography wrote, cryptography verifies.
    body = os.path.join(tmp, f"{name}.body")
    open(body, "wb").write(BODY)
    r = run("sign", key, TYPE, body)
    env = json.loads(r.stdout) if r.returncode == 0 else None
    check(env is not None and verify_ours(
        priv.public_key(), base64.b64decode(env["signatures"][0]["sig"]),
        message), f"{name}: provcc signs with cryptography's key file")


def refused(tmp, name, priv, reason):
    key = os.path.join(tmp, f"{name}.key")
    open(key, "wb").write(priv.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    open(key + ".body", "wb").write(BODY)
    r = run("sign", key, TYPE, key + ".body")
    err = r.stderr.decode()
    check(r.returncode == 1 and reason in err and err.count("\n") == 1,
          f"{name}: refused with one line naming {reason!r} ({err!r})")


def main():
    with tempfile.TemporaryDirectory(prefix="provcc-crosscheck-") as tmp:
        for kind in ("ed25519", "ecdsa-p256"):
            provcc_signs(tmp, kind)
        pkcs8 = serialization.PrivateFormat.PKCS8
        trad = serialization.PrivateFormat.TraditionalOpenSSL
        cryptography_signs(tmp, "ed25519-pkcs8",
                           ed25519.Ed25519PrivateKey.generate(), pkcs8)
        cryptography_signs(tmp, "p256-pkcs8",
                           ec.generate_private_key(ec.SECP256R1()), pkcs8)
        cryptography_signs(tmp, "p256-traditional",
                           ec.generate_private_key(ec.SECP256R1()), trad)
        refused(tmp, "p384", ec.generate_private_key(ec.SECP384R1()),
                "secp384r1")
        from cryptography.hazmat.primitives.asymmetric import rsa
        refused(tmp, "rsa", rsa.generate_private_key(65537, 2048),
                "RSA key")
    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
