/* sign.h - signing keys and signatures (OpenSSL 3): Ed25519 and ECDSA
 * P-256, nothing else.
 *
 * Two algorithms only, so that a verifier needs to support exactly these
 * two and a signature is always 64 bytes:
 *   ed25519     Ed25519 "pure" (RFC 8032), the default.
 *   ecdsa-p256  ECDSA on NIST P-256 (prime256v1) with SHA-256, the
 *               signature being r and s as 32-byte big-endian numbers,
 *               concatenated ("raw", IEEE P1363, as DSSE's test vector
 *               has it), not DER; pv_sig_raw_to_der converts.
 * Any other key (RSA, P-384, Ed448, ...) is refused when loaded.
 *
 * Signing is deterministic for both: the same key and message give the
 * same bytes.  Ed25519 is so by definition; ECDSA uses RFC 6979 nonces
 * (HMAC-SHA-256), from OpenSSL itself where the library run has them
 * (3.2 and later) and otherwise from sign.c's own RFC 6979 section 3.2,
 * which gives the same bytes.  A signature is verified before it is
 * returned.
 *
 * Key id: the lowercase hexadecimal SHA-256 of the DER encoding of the
 * public key's SubjectPublicKeyInfo (64 characters), the same as
 *   openssl pkey -pubin -in KEY.pub -outform DER | sha256sum
 *
 * Functions that can fail return -1 or NULL with a one-line reason in
 * *why, for the caller to report with pv_error(); the reason is a static
 * string or one kept until the next call into this module.
 */
#ifndef PROVCC_SIGN_H
#define PROVCC_SIGN_H

#include <stddef.h>

#include "hash.h"

enum pv_key_type {
	PV_KEY_ED25519,
	PV_KEY_ECDSA_P256,
};

#define PV_SIG_LEN 64			/* both algorithms, raw form */
#define PV_KEYID_LEN PV_SHA256_HEX	/* hex digits and the NUL */

struct pv_key;		/* a public key, or a private key and its public */

/* "ed25519" and "ecdsa-p256", the names keygen takes; from_name returns
 * 0, or -1 for an unknown name. */
const char *pv_key_type_name(enum pv_key_type type);
int pv_key_type_from_name(const char *name, enum pv_key_type *type);

/* A private key from PEM: PKCS#8 ("BEGIN PRIVATE KEY") or traditional
 * ("BEGIN EC PRIVATE KEY"), unencrypted.  A public key from PEM
 * SubjectPublicKeyInfo ("BEGIN PUBLIC KEY").  The first key in the text
 * counts.  The load functions read FILE first. */
struct pv_key *pv_key_parse_private(const void *pem, size_t len,
    const char **why);
struct pv_key *pv_key_parse_public(const void *pem, size_t len,
    const char **why);
struct pv_key *pv_key_load_private(const char *file, const char **why);
struct pv_key *pv_key_load_public(const char *file, const char **why);

/* A new key pair from OpenSSL's default random generator. */
struct pv_key *pv_key_generate(enum pv_key_type type, const char **why);

void pv_key_free(struct pv_key *key);

enum pv_key_type pv_key_type(const struct pv_key *key);
int pv_key_is_private(const struct pv_key *key);
/* The key id (see above); lives as long as KEY. */
const char *pv_key_id(const struct pv_key *key);

/* PEM text, NUL-terminated, malloc'd: the private key as PKCS#8, the
 * public key as SubjectPublicKeyInfo.  NULL when KEY has no private key
 * or OpenSSL fails.  Callers should OPENSSL_cleanse the private text. */
char *pv_key_private_pem(const struct pv_key *key, size_t *len);
char *pv_key_public_pem(const struct pv_key *key, size_t *len);

/* Write KEY's private PEM to PATH (mode 0600) and its public PEM to
 * PUBPATH (mode 0644), each through a temporary file and a rename.
 * Unless FORCE, refuse when either file exists.  When the public key
 * cannot be written the private key just written is removed again, so
 * no half pair is left.  Returns 0, or -1 with the file at fault in *bad
 * (PATH or PUBPATH) and the reason in *why. */
int pv_key_write_pair(const struct pv_key *key, const char *path,
    const char *pubpath, int force, const char **bad, const char **why);

/* Sign LEN bytes at MSG with a private key: the raw 64-byte signature in
 * SIG.  Returns 0, or -1. */
int pv_sign(const struct pv_key *key, const void *msg, size_t len,
    unsigned char sig[PV_SIG_LEN], const char **why);

/* Whether SIG (raw form, SIGLEN bytes) is KEY's signature of MSG: 0 when
 * it is, -1 when not or when SIG is malformed. */
int pv_verify(const struct pv_key *key, const void *msg, size_t len,
    const unsigned char *sig, size_t siglen, const char **why);

/* ECDSA P-256 signature forms.  raw_to_der: a malloc'd DER ECDSA-Sig-
 * Value.  der_to_raw accepts strict DER only, with r and s in
 * [1, 2^256).  Both return 0, or -1. */
int pv_sig_raw_to_der(const unsigned char raw[PV_SIG_LEN],
    unsigned char **der, size_t *len);
int pv_sig_der_to_raw(const unsigned char *der, size_t len,
    unsigned char raw[PV_SIG_LEN]);

/* For tests: with ON, ECDSA signing uses sign.c's RFC 6979 even where
 * OpenSSL has its own, so that both can be held to the test vectors.
 * Returns -1 when sign.c was built without it. */
int pv_sign_own_rfc6979(int on);

#endif
