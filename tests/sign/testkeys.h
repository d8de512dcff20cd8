/* testkeys.h - keys with known numbers, as PEM text, for the signing
 * tests.  Built with OpenSSL directly, not with lib/sign.c, so that
 * loading them tests sign.c's loader. */
#ifndef PROVCC_TEST_TESTKEYS_H
#define PROVCC_TEST_TESTKEYS_H

#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "util.h"

/* PEM text of PKEY: its private key (PKCS#8) or, when PUBLIC, its
 * SubjectPublicKeyInfo.  Frees PKEY. */
static inline char *tk_pem(EVP_PKEY *pkey, int public)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *text = NULL;
	long n;

	if (pkey && bio && (public ? PEM_write_bio_PUBKEY(bio, pkey) :
	    PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL))) {
		n = BIO_get_mem_data(bio, &data);
		text = pv_xmalloc((size_t)n + 1);
		memcpy(text, data, (size_t)n);
		text[n] = '\0';
	}
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	return text;
}

/* A P-256 key from its numbers: private scalar D (NULL for a public
 * key) and public point (X, Y), in hexadecimal when HEX, else decimal. */
static inline EVP_PKEY *tk_p256(const char *d, const char *x, const char *y,
    int hex)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *bd = NULL, *bx = NULL, *by = NULL;
	unsigned char pub[65];
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *pkey = NULL;
	int (*conv)(BIGNUM **, const char *) = hex ? BN_hex2bn : BN_dec2bn;

	pub[0] = 4;	/* uncompressed point */
	if (!bld || !ctx || !conv(&bx, x) || !conv(&by, y) ||
	    (d && !conv(&bd, d)) || BN_bn2binpad(bx, pub + 1, 32) != 32 ||
	    BN_bn2binpad(by, pub + 33, 32) != 32 ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pub, sizeof(pub)) ||
	    (d && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bd)) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, d ? EVP_PKEY_KEYPAIR :
	    EVP_PKEY_PUBLIC_KEY, params) != 1)
		pkey = NULL;
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(bd);
	BN_free(bx);
	BN_free(by);
	return pkey;
}

static inline void tk_unhex(const char *hex, unsigned char *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char b[3] = { hex[2 * i], hex[2 * i + 1], 0 };

		out[i] = (unsigned char)strtoul(b, NULL, 16);
	}
}

/* An Ed25519 key from its 32-byte seed, in hexadecimal. */
static inline EVP_PKEY *tk_ed25519(const char *seedhex)
{
	unsigned char seed[32];

	tk_unhex(seedhex, seed, sizeof(seed));
	return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
	    sizeof(seed));
}

/* A new key of another algorithm: "RSA", "P-384", "ED448", ... */
static inline EVP_PKEY *tk_other(const char *what)
{
	if (strcmp(what, "RSA") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	if (strncmp(what, "P-", 2) == 0 || strncmp(what, "secp", 4) == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", what);
	return EVP_PKEY_Q_keygen(NULL, NULL, what);
}

#endif
