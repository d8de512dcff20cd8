/* sign.c - Ed25519 and ECDSA P-256 keys and signatures; see sign.h.
 *
 * Everything cryptographic is OpenSSL's.  The one exception is the
 * derivation of deterministic ECDSA nonces (RFC 6979) for OpenSSL
 * before 3.2, which has none: see "RFC 6979" below.
 */
#define _GNU_SOURCE
#include "sign.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define P256_LEN 32		/* bytes of a P-256 scalar, and of SHA-256 */
#define PEM_MAX (1u << 20)	/* a key file is a few hundred bytes */
#define ONLY_TWO "only Ed25519 and ECDSA P-256 keys are accepted"

struct pv_key {
	EVP_PKEY *pkey;
	enum pv_key_type type;
	int private;
	char id[PV_KEYID_LEN];
};

/* Reasons that name something (an algorithm, a curve). */
static char reason[160];

static void crypto_init(void)
{
	/* As in hash.c: no configuration file, so that nothing outside
	 * the build can change which providers sign. */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG |
	    OPENSSL_INIT_NO_ATEXIT, NULL);
}

/* OpenSSL's error queue explains nothing to a user that our reason does
 * not; left filled, it would be reported later against something else. */
static int fail(const char **why, const char *what)
{
	ERR_clear_error();
	*why = what;
	return -1;
}

const char *pv_key_type_name(enum pv_key_type type)
{
	return type == PV_KEY_ECDSA_P256 ? "ecdsa-p256" : "ed25519";
}

int pv_key_type_from_name(const char *name, enum pv_key_type *type)
{
	if (strcmp(name, "ed25519") == 0)
		*type = PV_KEY_ED25519;
	else if (strcmp(name, "ecdsa-p256") == 0)
		*type = PV_KEY_ECDSA_P256;
	else
		return -1;
	return 0;
}

static int is_p256(EVP_PKEY *pkey)
{
	char group[80];
	size_t n = 0;

	if (!EVP_PKEY_get_group_name(pkey, group, sizeof(group), &n))
		return 0;
	return OBJ_sn2nid(group) == NID_X9_62_prime256v1 ||
	    EC_curve_nist2nid(group) == NID_X9_62_prime256v1;
}

/* Which of the two algorithms PKEY is for; -1 for any other. */
static int classify(EVP_PKEY *pkey, enum pv_key_type *type,
    const char **why)
{
	const char *name = EVP_PKEY_get0_type_name(pkey);
	char group[80];
	size_t n = 0;

	if (EVP_PKEY_is_a(pkey, "ED25519")) {
		*type = PV_KEY_ED25519;
		return 0;
	}
	if (EVP_PKEY_is_a(pkey, "EC") && is_p256(pkey)) {
		*type = PV_KEY_ECDSA_P256;
		return 0;
	}
	if (!EVP_PKEY_is_a(pkey, "EC"))
		snprintf(reason, sizeof(reason), "%s key: %s",
		    name ? name : "unknown kind of", ONLY_TWO);
	else if (EVP_PKEY_get_group_name(pkey, group, sizeof(group), &n))
		snprintf(reason, sizeof(reason), "EC key on curve %s: %s",
		    group, ONLY_TWO);
	else
		snprintf(reason, sizeof(reason),
		    "EC key without a named curve: %s", ONLY_TWO);
	return fail(why, reason);
}

static int make_id(struct pv_key *k)
{
	unsigned char *der = NULL, sha[PV_SHA256_LEN];
	int n = i2d_PUBKEY(k->pkey, &der);

	if (n <= 0)
		return -1;
	if (pv_sha256_buf(der, (size_t)n, sha) < 0) {
		OPENSSL_free(der);
		return -1;
	}
	OPENSSL_free(der);
	pv_hex(sha, sizeof(sha), k->id);
	return 0;
}

/* Take PKEY (freed on failure) into a struct pv_key. */
static struct pv_key *wrap(EVP_PKEY *pkey, int private, const char **why)
{
	struct pv_key *k = pv_xcalloc(1, sizeof(*k));
	EVP_PKEY_CTX *ctx = NULL;
	int ok;

	k->pkey = pkey;
	k->private = private;
	if (classify(pkey, &k->type, why) < 0)
		goto err;
	/* A damaged private key could sign with a public key other than
	 * the one it claims; a public key must lie on the curve. */
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	ok = ctx && (private ? EVP_PKEY_check(ctx) : EVP_PKEY_public_check(ctx));
	EVP_PKEY_CTX_free(ctx);
	if (ok != 1) {
		fail(why, private ? "private key fails its consistency check" :
		    "public key is not a valid point of its curve");
		goto err;
	}
	if (make_id(k) < 0) {
		fail(why, "cannot encode the public key");
		goto err;
	}
	return k;
err:
	pv_key_free(k);
	return NULL;
}

void pv_key_free(struct pv_key *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey);
	free(key);
}

enum pv_key_type pv_key_type(const struct pv_key *key)
{
	return key->type;
}

int pv_key_is_private(const struct pv_key *key)
{
	return key->private;
}

const char *pv_key_id(const struct pv_key *key)
{
	return key->id;
}

/* Called by OpenSSL only for an encrypted key: refuse, and say so. */
static int no_passphrase(char *buf, int size, int rwflag, void *asked)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	*(int *)asked = 1;
	return -1;
}

/* Why PEM holds no key of the kind wanted: say what it holds instead
 * when that is a likely mix-up. */
static const char *no_key_reason(const void *pem, size_t len, int private)
{
	static const char pubhdr[] = "-----BEGIN PUBLIC KEY-----";
	static const char privtail[] = "PRIVATE KEY-----";

	if (private && memmem(pem, len, pubhdr, strlen(pubhdr)))
		return "holds a public key, not a private key";
	if (!private && memmem(pem, len, privtail, strlen(privtail)))
		return "holds a private key; give its public key (.pub)";
	return private ? "no PEM private key (PKCS#8 \"PRIVATE KEY\" or "
	    "\"EC PRIVATE KEY\") found" :
	    "no PEM public key (\"PUBLIC KEY\") found";
}

static struct pv_key *parse(const void *pem, size_t len, int private,
    const char **why)
{
	EVP_PKEY *pkey;
	int asked = 0;
	BIO *bio;

	crypto_init();
	if (len > PEM_MAX) {
		fail(why, "too large to be a key file");
		return NULL;
	}
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio) {
		fail(why, "out of memory in OpenSSL");
		return NULL;
	}
	pkey = private ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase,
	    &asked) : PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, &asked);
	BIO_free(bio);
	if (!pkey) {
		fail(why, asked ? "encrypted private keys are not supported" :
		    no_key_reason(pem, len, private));
		return NULL;
	}
	return wrap(pkey, private, why);
}

struct pv_key *pv_key_parse_private(const void *pem, size_t len,
    const char **why)
{
	return parse(pem, len, 1, why);
}

struct pv_key *pv_key_parse_public(const void *pem, size_t len,
    const char **why)
{
	return parse(pem, len, 0, why);
}

static struct pv_key *load(const char *file, int private, const char **why)
{
	struct pv_key *k;
	unsigned char *buf;
	size_t len;

	if (pv_read_file(file, &buf, &len) < 0) {
		*why = strerror(errno);
		return NULL;
	}
	k = parse(buf, len, private, why);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return k;
}

struct pv_key *pv_key_load_private(const char *file, const char **why)
{
	return load(file, 1, why);
}

struct pv_key *pv_key_load_public(const char *file, const char **why)
{
	return load(file, 0, why);
}

struct pv_key *pv_key_generate(enum pv_key_type type, const char **why)
{
	EVP_PKEY *pkey;

	crypto_init();
	if (type == PV_KEY_ECDSA_P256)
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!pkey) {
		fail(why, "OpenSSL cannot generate the key");
		return NULL;
	}
	return wrap(pkey, 1, why);
}

/* BIO's contents as a NUL-terminated string, the BIO freed. */
static char *bio_text(BIO *bio, int ok, size_t *len)
{
	char *data, *text = NULL;
	long n = ok ? BIO_get_mem_data(bio, &data) : 0;

	if (n > 0) {
		text = pv_xmalloc((size_t)n + 1);
		memcpy(text, data, (size_t)n);
		text[n] = '\0';
		*len = (size_t)n;
	}
	BIO_free(bio);
	ERR_clear_error();
	return text;
}

char *pv_key_private_pem(const struct pv_key *key, size_t *len)
{
	/* Secure memory is cleared when freed. */
	BIO *bio = BIO_new(BIO_s_secmem());

	if (!bio || !key->private) {
		BIO_free(bio);
		return NULL;
	}
	return bio_text(bio, PEM_write_bio_PrivateKey(bio, key->pkey, NULL,
	    NULL, 0, NULL, NULL), len);
}

char *pv_key_public_pem(const struct pv_key *key, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());

	if (!bio)
		return NULL;
	return bio_text(bio, PEM_write_bio_PUBKEY(bio, key->pkey), len);
}

/* Write PEM (freed here) to PATH. */
static int write_pem(const char *path, char *pem, size_t len, unsigned mode,
    const char **why)
{
	int rc;

	if (!pem) {
		*why = "OpenSSL cannot encode the key";
		errno = EINVAL;
		return -1;
	}
	rc = pv_write_file_atomic(path, pem, len, mode);
	if (rc < 0)
		*why = strerror(errno);
	OPENSSL_cleanse(pem, len);
	free(pem);
	return rc;
}

/* The existence check and the rename leave a window in which another
 * process could create the file; a key pair is written by hand, once,
 * so that is accepted. */
static int refuse_existing(const char *path, const char **bad,
    const char **why)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return 0;
	*bad = path;
	*why = "file exists";
	errno = EEXIST;
	return -1;
}

int pv_key_write_pair(const struct pv_key *key, const char *path,
    const char *pubpath, int force, const char **bad, const char **why)
{
	size_t privlen = 0, publen = 0;
	char *pem;
	int saved;

	if (!key->private) {
		*bad = path;
		*why = "not a private key";
		errno = EINVAL;
		return -1;
	}
	if (!force && (refuse_existing(path, bad, why) < 0 ||
	    refuse_existing(pubpath, bad, why) < 0))
		return -1;
	pem = pv_key_private_pem(key, &privlen);
	if (write_pem(path, pem, privlen, 0600, why) < 0) {
		*bad = path;
		return -1;
	}
	pem = pv_key_public_pem(key, &publen);
	if (write_pem(pubpath, pem, publen, 0644, why) < 0) {
		saved = errno;
		unlink(path);
		errno = saved;
		*bad = pubpath;
		return -1;
	}
	return 0;
}

static int sign_ed25519(const struct pv_key *key, const void *msg,
    size_t len, unsigned char sig[PV_SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = PV_SIG_LEN;
	int ok;

	ok = ctx && EVP_DigestSignInit_ex(ctx, NULL, NULL, NULL, NULL,
	    key->pkey, NULL) == 1 &&
	    EVP_DigestSign(ctx, sig, &n, msg, len) == 1 && n == PV_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* OpenSSL 3.2 and later derive ECDSA nonces by RFC 6979 when the
 * signature's "nonce-type" (OSSL_SIGNATURE_PARAM_NONCE_TYPE) is 1.  An
 * OpenSSL that does not know the parameter ignores it and signs with a
 * random nonce, so whether it knows it is asked at run time: the
 * library run may be older than the headers built with.  Returns 1 when
 * it does not. */
static int sign_p256_openssl(const struct pv_key *key, const void *msg,
    size_t len, unsigned char sig[PV_SIG_LEN])
{
	unsigned int deterministic = 1;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_uint("nonce-type", &deterministic),
		OSSL_PARAM_construct_end(),
	};
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char der[80];
	size_t n = sizeof(der);
	int rc = -1;

	if (!ctx || EVP_DigestSignInit_ex(ctx, &pctx, "SHA256", NULL, NULL,
	    key->pkey, NULL) != 1)
		goto out;
	rc = 1;
	if (!OSSL_PARAM_locate_const(EVP_PKEY_CTX_settable_params(pctx),
	    "nonce-type"))
		goto out;
	rc = EVP_PKEY_CTX_set_params(pctx, params) == 1 &&
	    EVP_DigestSign(ctx, der, &n, msg, len) == 1 &&
	    pv_sig_der_to_raw(der, n, sig) == 0 ? 0 : -1;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

static int own_rfc6979;	/* see pv_sign_own_rfc6979 */

#ifndef OPENSSL_NO_DEPRECATED_3_0
/* RFC 6979.  OpenSSL before 3.2 draws every ECDSA nonce at random, so
 * that signing the same thing twice gives different bytes, and a signed
 * binary could not be rebuilt bit for bit.  Here the nonce k is derived
 * as RFC 6979 section 3.2 says, with HMAC-SHA-256 (EVP_MAC), and handed
 * with r to OpenSSL's ECDSA_do_sign_ex, which computes s as it does for
 * its own nonces (constant time, blinded).  OpenSSL 3.2's own RFC 6979
 * gives the same bytes, and is used where there is one.
 *
 * For P-256 with SHA-256 qlen = hlen = 256 bits: bits2int of a 32-byte
 * string is that string as a number, with no shift, and one HMAC output
 * is a whole candidate.  Nothing here serves another curve or hash. */

struct rfc6979 {
	unsigned char K[P256_LEN], V[P256_LEN];
};

static int hmac(const unsigned char key[P256_LEN], const unsigned char *data,
    size_t len, unsigned char out[P256_LEN])
{
	unsigned char mac[P256_LEN];
	size_t n = 0;

	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, P256_LEN,
	    data, len, mac, sizeof(mac), &n) || n != P256_LEN)
		return -1;
	memcpy(out, mac, P256_LEN);
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
}

/* K = HMAC_K(V || SEP || SEED), V = HMAC_K(V): steps d to g of section
 * 3.2 and, without SEED, the retry of step h.3. */
static int drbg_update(struct rfc6979 *g, unsigned char sep,
    const unsigned char *seed, size_t seedlen)
{
	unsigned char buf[P256_LEN + 1 + 2 * P256_LEN];
	int rc;

	memcpy(buf, g->V, P256_LEN);
	buf[P256_LEN] = sep;
	if (seedlen)
		memcpy(buf + P256_LEN + 1, seed, seedlen);
	rc = hmac(g->K, buf, P256_LEN + 1 + seedlen, g->K) < 0 ||
	    hmac(g->K, g->V, P256_LEN, g->V) < 0 ? -1 : 0;
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

/* Steps b to g: SEED is int2octets(x) || bits2octets(h1). */
static int drbg_init(struct rfc6979 *g, const unsigned char seed[2 * P256_LEN])
{
	memset(g->V, 0x01, P256_LEN);
	memset(g->K, 0x00, P256_LEN);
	if (drbg_update(g, 0x00, seed, 2 * P256_LEN) < 0)
		return -1;
	return drbg_update(g, 0x01, seed, 2 * P256_LEN);
}

/* Step h: the first candidate in [1, q-1]. */
static int drbg_nonce(struct rfc6979 *g, const BIGNUM *q, BIGNUM *k)
{
	for (;;) {
		if (hmac(g->K, g->V, P256_LEN, g->V) < 0 ||
		    !BN_bin2bn(g->V, P256_LEN, k))
			return -1;
		if (!BN_is_zero(k) && BN_cmp(k, q) < 0)
			return 0;
		if (drbg_update(g, 0x00, NULL, 0) < 0)
			return -1;
	}
}

/* SEED for private key D and digest H1: int2octets(d) and
 * bits2octets(h1) = int2octets(h1 mod q). */
static int make_seed(const BIGNUM *d, const BIGNUM *q,
    const unsigned char h1[P256_LEN], unsigned char seed[2 * P256_LEN],
    BN_CTX *bn)
{
	BIGNUM *z;
	int ok;

	BN_CTX_start(bn);
	z = BN_CTX_get(bn);
	ok = z && BN_bin2bn(h1, P256_LEN, z) && BN_nnmod(z, z, q, bn) &&
	    BN_bn2binpad(d, seed, P256_LEN) == P256_LEN &&
	    BN_bn2binpad(z, seed + P256_LEN, P256_LEN) == P256_LEN;
	BN_CTX_end(bn);
	return ok ? 0 : -1;
}

/* What OpenSSL's own setup would compute from k: r = x(kG) mod q, and
 * kinv = k^(q-2) mod q, the inverse by Fermat's theorem in constant
 * time, as OpenSSL inverts its own nonces. */
static int nonce_setup(const EC_GROUP *group, const BIGNUM *k, BIGNUM *r,
    BIGNUM *kinv, BN_CTX *bn)
{
	const BIGNUM *q = EC_GROUP_get0_order(group);
	EC_POINT *p = EC_POINT_new(group);
	BIGNUM *x, *e;
	int ok;

	BN_CTX_start(bn);
	x = BN_CTX_get(bn);
	e = BN_CTX_get(bn);
	ok = p && e && EC_POINT_mul(group, p, k, NULL, NULL, bn) &&
	    EC_POINT_get_affine_coordinates(group, p, x, NULL, bn) &&
	    BN_nnmod(r, x, q, bn) && BN_copy(e, q) && BN_sub_word(e, 2) &&
	    BN_mod_exp_mont_consttime(kinv, k, e, q, bn, NULL);
	BN_CTX_end(bn);
	EC_POINT_clear_free(p);
	return ok ? 0 : -1;
}

/* The EC_KEY functions are deprecated in OpenSSL 3.0, which offers no
 * other way to sign with a nonce of one's own. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* r = 0 or s = 0, where RFC 6979 would try the next k, happen with
 * probability 2^-256: they are reported as failures instead. */
static ECDSA_SIG *sign_with_k(EC_KEY *ec, const unsigned char h1[P256_LEN],
    BN_CTX *bn)
{
	const EC_GROUP *group = EC_KEY_get0_group(ec);
	const BIGNUM *d = EC_KEY_get0_private_key(ec);
	unsigned char seed[2 * P256_LEN];
	BIGNUM *k = BN_secure_new(), *kinv = BN_secure_new(), *r = BN_new();
	ECDSA_SIG *es = NULL;
	struct rfc6979 g;

	if (!group || !d || !k || !kinv || !r)
		goto out;
	BN_set_flags(k, BN_FLG_CONSTTIME);
	if (make_seed(d, EC_GROUP_get0_order(group), h1, seed, bn) == 0 &&
	    drbg_init(&g, seed) == 0 &&
	    drbg_nonce(&g, EC_GROUP_get0_order(group), k) == 0 &&
	    nonce_setup(group, k, r, kinv, bn) == 0 && !BN_is_zero(r))
		es = ECDSA_do_sign_ex(h1, P256_LEN, kinv, r, ec);
	OPENSSL_cleanse(seed, sizeof(seed));
	OPENSSL_cleanse(&g, sizeof(g));
out:
	BN_clear_free(k);
	BN_clear_free(kinv);
	BN_free(r);
	return es;
}

static int sign_p256_own(const struct pv_key *key, const void *msg,
    size_t len, unsigned char sig[PV_SIG_LEN])
{
	EC_KEY *ec = EVP_PKEY_get1_EC_KEY(key->pkey);
	BN_CTX *bn = BN_CTX_secure_new();
	unsigned char h1[P256_LEN];
	const BIGNUM *r, *s;
	ECDSA_SIG *es = NULL;
	int ok = 0;

	if (ec && bn && pv_sha256_buf(msg, len, h1) == 0)
		es = sign_with_k(ec, h1, bn);
	if (es) {
		ECDSA_SIG_get0(es, &r, &s);
		ok = BN_bn2binpad(r, sig, P256_LEN) == P256_LEN &&
		    BN_bn2binpad(s, sig + P256_LEN, P256_LEN) == P256_LEN;
	}
	ECDSA_SIG_free(es);
	BN_CTX_free(bn);
	EC_KEY_free(ec);
	return ok ? 0 : -1;
}

#pragma GCC diagnostic pop

int pv_sign_own_rfc6979(int on)
{
	own_rfc6979 = on;
	return 0;
}
#else
/* Without the deprecated EC_KEY functions only OpenSSL's own RFC 6979
 * (3.2 and later) signs deterministically; an older OpenSSL built so
 * cannot sign with ECDSA here. */
static int sign_p256_own(const struct pv_key *key, const void *msg,
    size_t len, unsigned char sig[PV_SIG_LEN])
{
	(void)key;
	(void)msg;
	(void)len;
	(void)sig;
	return -1;
}

int pv_sign_own_rfc6979(int on)
{
	(void)on;
	return -1;
}
#endif

static int sign_p256(const struct pv_key *key, const void *msg, size_t len,
    unsigned char sig[PV_SIG_LEN])
{
	int rc = own_rfc6979 ? 1 : sign_p256_openssl(key, msg, len, sig);

	return rc == 1 ? sign_p256_own(key, msg, len, sig) : rc;
}

int pv_sign(const struct pv_key *key, const void *msg, size_t len,
    unsigned char sig[PV_SIG_LEN], const char **why)
{
	const char *ignored;
	int rc;

	if (!key->private)
		return fail(why, "not a private key");
	crypto_init();
	rc = key->type == PV_KEY_ECDSA_P256 ? sign_p256(key, msg, len, sig) :
	    sign_ed25519(key, msg, len, sig);
	if (rc < 0)
		return fail(why, "OpenSSL cannot sign");
	/* A signature made wrong by a fault or a bug is never released: a
	 * faulty ECDSA or EdDSA signature can give the private key away. */
	if (pv_verify(key, msg, len, sig, PV_SIG_LEN, &ignored) < 0) {
		OPENSSL_cleanse(sig, PV_SIG_LEN);
		return fail(why, "the signature just made does not verify");
	}
	return 0;
}

int pv_verify(const struct pv_key *key, const void *msg, size_t len,
    const unsigned char *sig, size_t siglen, const char **why)
{
	EVP_MD_CTX *ctx;
	unsigned char *der = NULL;
	size_t derlen = PV_SIG_LEN;
	int ok;

	if (siglen != PV_SIG_LEN)
		return fail(why, "signature is not 64 bytes long");
	crypto_init();
	if (key->type == PV_KEY_ECDSA_P256 &&
	    pv_sig_raw_to_der(sig, &der, &derlen) < 0)
		return fail(why, "OpenSSL cannot encode the signature");
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestVerifyInit_ex(ctx, NULL,
	    key->type == PV_KEY_ECDSA_P256 ? "SHA256" : NULL, NULL, NULL,
	    key->pkey, NULL) == 1 &&
	    EVP_DigestVerify(ctx, der ? der : sig, derlen, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	if (!ok)
		return fail(why, "signature does not verify");
	return 0;
}

int pv_sig_raw_to_der(const unsigned char raw[PV_SIG_LEN],
    unsigned char **der, size_t *len)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, P256_LEN, NULL);
	BIGNUM *s = BN_bin2bn(raw + P256_LEN, P256_LEN, NULL);
	int n = -1;

	*der = NULL;
	if (es && r && s && ECDSA_SIG_set0(es, r, s)) {
		r = s = NULL;	/* owned by es now */
		n = i2d_ECDSA_SIG(es, der);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	if (n <= 0) {
		ERR_clear_error();
		return -1;
	}
	*len = (size_t)n;
	return 0;
}

/* In range for a raw half: 1 <= v < 2^256. */
static int fits(const BIGNUM *v)
{
	return !BN_is_zero(v) && !BN_is_negative(v) &&
	    BN_num_bytes(v) <= P256_LEN;
}

int pv_sig_der_to_raw(const unsigned char *der, size_t len,
    unsigned char raw[PV_SIG_LEN])
{
	const unsigned char *p = der;
	unsigned char *again = NULL;
	const BIGNUM *r, *s;
	ECDSA_SIG *es;
	int n, ok;

	if (len > LONG_MAX)
		return -1;
	es = d2i_ECDSA_SIG(NULL, &p, (long)len);
	if (!es || p != der + len) {
		ECDSA_SIG_free(es);
		ERR_clear_error();
		return -1;
	}
	/* d2i takes BER; only the DER encoding re-encodes to itself. */
	n = i2d_ECDSA_SIG(es, &again);
	ECDSA_SIG_get0(es, &r, &s);
	ok = n > 0 && (size_t)n == len && memcmp(again, der, len) == 0 &&
	    fits(r) && fits(s) &&
	    BN_bn2binpad(r, raw, P256_LEN) == P256_LEN &&
	    BN_bn2binpad(s, raw + P256_LEN, P256_LEN) == P256_LEN;
	OPENSSL_free(again);
	ECDSA_SIG_free(es);
	ERR_clear_error();
	return ok ? 0 : -1;
}
