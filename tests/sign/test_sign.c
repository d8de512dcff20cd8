/* test_sign.c - keys, signatures and their encodings (lib/sign.c). */
#define _GNU_SOURCE
#include "check.h"
#include "sign.h"
#include "testkeys.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

static char *tmpdir;

static struct pv_key *parse_pem(char *pem, int private, const char **why)
{
	struct pv_key *k = NULL;

	*why = "test could not build the PEM";
	if (pem)
		k = private ? pv_key_parse_private(pem, strlen(pem), why) :
		    pv_key_parse_public(pem, strlen(pem), why);
	free(pem);
	return k;
}

/* RFC 6979 A.2.5: P-256, SHA-256. */
#define RFC6979_X \
	"C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"
#define RFC6979_UX \
	"60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
#define RFC6979_UY \
	"7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"

static const struct {
	const char *msg, *r, *s;
} rfc6979[] = {
	{ "sample",
	  "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
	  "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8" },
	{ "test",
	  "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
	  "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083" },
};

/* Through OpenSSL's RFC 6979 where it has one (3.2 and later), and
 * through sign.c's (OWN, or OpenSSL 3.0 and 3.1). */
static void test_rfc6979_vectors(int own)
{
	const char *why;
	struct pv_key *k = parse_pem(tk_pem(tk_p256(RFC6979_X, RFC6979_UX,
	    RFC6979_UY, 1), 0), 1, &why);
	unsigned char sig[PV_SIG_LEN], want[PV_SIG_LEN];
	size_t i;

	if (!CHECK(k != NULL)) {
		printf("  why: %s\n", why);
		return;
	}
	CHECK_INT(pv_key_type(k), PV_KEY_ECDSA_P256);
	if (pv_sign_own_rfc6979(own) < 0) {
		printf("sign.c has no RFC 6979 of its own\n");
		own = 0;
	}
	for (i = 0; i < sizeof(rfc6979) / sizeof(rfc6979[0]); i++) {
		tk_unhex(rfc6979[i].r, want, 32);
		tk_unhex(rfc6979[i].s, want + 32, 32);
		CHECK_INT(pv_sign(k, rfc6979[i].msg, strlen(rfc6979[i].msg),
		    sig, &why), 0);
		CHECK_MEM(sig, sizeof(sig), want, sizeof(want));
	}
	pv_sign_own_rfc6979(0);
	pv_key_free(k);
}

/* RFC 8032 7.1, TEST 1: the empty message. */
#define RFC8032_SEED \
	"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define RFC8032_SIG \
	"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155" \
	"5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
/* sha256(302a300506032b6570032100 || public key), by Python's hashlib */
#define RFC8032_KEYID \
	"06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9"

static void test_ed25519_vector(void)
{
	const char *why;
	struct pv_key *k = parse_pem(tk_pem(tk_ed25519(RFC8032_SEED), 0), 1,
	    &why);
	unsigned char sig[PV_SIG_LEN], want[PV_SIG_LEN];

	if (!CHECK(k != NULL))
		return;
	CHECK_INT(pv_key_type(k), PV_KEY_ED25519);
	CHECK(pv_key_is_private(k));
	CHECK_STR(pv_key_id(k), RFC8032_KEYID);
	tk_unhex(RFC8032_SIG, want, sizeof(want));
	CHECK_INT(pv_sign(k, "", 0, sig, &why), 0);
	CHECK_MEM(sig, sizeof(sig), want, sizeof(want));
	CHECK_INT(pv_verify(k, "", 0, want, sizeof(want), &why), 0);
	pv_key_free(k);
}

/* The public half of K, through its PEM. */
static struct pv_key *public_of(const struct pv_key *k)
{
	const char *why;
	size_t len = 0;
	char *pem = pv_key_public_pem(k, &len);
	struct pv_key *pub;

	if (!pem)
		return NULL;
	pub = pv_key_parse_public(pem, len, &why);
	free(pem);
	return pub;
}

static void round_trip(enum pv_key_type type)
{
	static const char msg[] = "provenance \0 with a NUL";
	unsigned char sig[PV_SIG_LEN], again[PV_SIG_LEN], bad[PV_SIG_LEN];
	const char *why = NULL;
	struct pv_key *k = pv_key_generate(type, &why);
	struct pv_key *other = pv_key_generate(type, &why);
	struct pv_key *pub = k ? public_of(k) : NULL;
	size_t i;

	if (!CHECK(k && other && pub))
		goto out;
	CHECK_INT(pv_key_type(k), type);
	CHECK(!pv_key_is_private(pub));
	CHECK_STR(pv_key_id(pub), pv_key_id(k));
	CHECK(strcmp(pv_key_id(k), pv_key_id(other)) != 0);
	CHECK_INT(strlen(pv_key_id(k)), 64);
	CHECK_INT(pv_sign(k, msg, sizeof(msg), sig, &why), 0);
	CHECK_INT(pv_verify(pub, msg, sizeof(msg), sig, sizeof(sig), &why), 0);
	CHECK_INT(pv_verify(k, msg, sizeof(msg), sig, sizeof(sig), &why), 0);

	/* Deterministic: same key and message, same bytes. */
	CHECK_INT(pv_sign(k, msg, sizeof(msg), again, &why), 0);
	CHECK_MEM(again, sizeof(again), sig, sizeof(sig));

	why = NULL;
	CHECK_INT(pv_verify(other, msg, sizeof(msg), sig, sizeof(sig), &why),
	    -1);
	CHECK_STR(why, "signature does not verify");
	CHECK_INT(pv_verify(pub, msg, sizeof(msg) - 1, sig, sizeof(sig), &why),
	    -1);
	for (i = 0; i < PV_SIG_LEN; i += 7) {
		memcpy(bad, sig, sizeof(bad));
		bad[i] ^= 0x01;
		CHECK_INT(pv_verify(pub, msg, sizeof(msg), bad, sizeof(bad),
		    &why), -1);
	}
	CHECK_INT(pv_verify(pub, msg, sizeof(msg), sig, sizeof(sig) - 1,
	    &why), -1);
	CHECK_STR(why, "signature is not 64 bytes long");
	CHECK_INT(pv_sign(pub, msg, sizeof(msg), again, &why), -1);
	CHECK_STR(why, "not a private key");
out:
	pv_key_free(k);
	pv_key_free(other);
	pv_key_free(pub);
}

/* pv_sign's ECDSA signature, checked by OpenSSL alone through DER. */
static void test_ecdsa_der(void)
{
	static const char msg[] = "hello";
	unsigned char sig[PV_SIG_LEN], back[PV_SIG_LEN], *der = NULL;
	unsigned char nonstrict[80];
	const char *why;
	struct pv_key *k = pv_key_generate(PV_KEY_ECDSA_P256, &why);
	EVP_PKEY *pkey;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t derlen = 0, pemlen = 0;
	BIO *bio;
	char *pem;

	if (!CHECK(k && pv_sign(k, msg, strlen(msg), sig, &why) == 0))
		goto out;
	CHECK_INT(pv_sig_raw_to_der(sig, &der, &derlen), 0);
	CHECK(derlen >= 8 && derlen <= 72 && der[0] == 0x30);
	pem = pv_key_public_pem(k, &pemlen);
	bio = BIO_new_mem_buf(pem, (int)pemlen);
	pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	free(pem);
	CHECK(pkey && EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", NULL, NULL,
	    pkey, NULL) == 1 && EVP_DigestVerify(ctx, der, derlen,
	    (const unsigned char *)msg, strlen(msg)) == 1);
	EVP_PKEY_free(pkey);

	CHECK_INT(pv_sig_der_to_raw(der, derlen, back), 0);
	CHECK_MEM(back, sizeof(back), sig, sizeof(sig));
	/* Trailing bytes, a truncation, BER (a needless leading zero). */
	memcpy(nonstrict, der, derlen);
	nonstrict[derlen] = 0;
	CHECK_INT(pv_sig_der_to_raw(nonstrict, derlen + 1, back), -1);
	CHECK_INT(pv_sig_der_to_raw(der, derlen - 1, back), -1);
	{
		static const unsigned char ber[] = { 0x30, 0x07, 0x02, 0x02,
		    0x00, 0x01, 0x02, 0x01, 0x01 };
		static const unsigned char ok[] = { 0x30, 0x06, 0x02, 0x01,
		    0x01, 0x02, 0x01, 0x02 };
		static const unsigned char zero[] = { 0x30, 0x06, 0x02, 0x01,
		    0x00, 0x02, 0x01, 0x02 };
		unsigned char want[PV_SIG_LEN] = { 0 };

		want[31] = 1;
		want[63] = 2;
		CHECK_INT(pv_sig_der_to_raw(ber, sizeof(ber), back), -1);
		CHECK_INT(pv_sig_der_to_raw(zero, sizeof(zero), back), -1);
		CHECK_INT(pv_sig_der_to_raw(ok, sizeof(ok), back), 0);
		CHECK_MEM(back, sizeof(back), want, sizeof(want));
	}
	/* r of 33 bytes does not fit. */
	{
		unsigned char big[2 + 2 + 33 + 3] = { 0x30, 2 + 33 + 3, 0x02, 33 };

		memset(big + 4, 0x11, 33);
		big[37] = 0x02;
		big[38] = 0x01;
		big[39] = 0x01;
		CHECK_INT(pv_sig_der_to_raw(big, 40, back), -1);
	}
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	pv_key_free(k);
}

static void expect_refused(const char *what, char *pem, int private,
    const char *want)
{
	const char *why = NULL;
	struct pv_key *k = parse_pem(pem, private, &why);

	CHECK_AT(__FILE__, __LINE__, k == NULL);
	if (!why || !strstr(why, want))
		check_fail(__FILE__, __LINE__, "%s: reason \"%s\" lacks \"%s\"",
		    what, check_q(why), want);
	pv_key_free(k);
}

static void test_refused_keys(void)
{
	static const char *const others[][2] = {
		{ "RSA", "RSA key: only Ed25519 and ECDSA P-256 keys are accepted" },
		{ "P-384", "EC key on curve secp384r1: only Ed25519 and ECDSA P-256" },
		{ "secp256k1", "EC key on curve secp256k1" },
		{ "ED448", "ED448 key" },
		{ "X25519", "X25519 key" },
	};
	size_t i;

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		EVP_PKEY *p = tk_other(others[i][0]);

		if (!CHECK(p != NULL))
			continue;
		EVP_PKEY_up_ref(p);
		expect_refused(others[i][0], tk_pem(p, 0), 1, others[i][1]);
		expect_refused(others[i][0], tk_pem(p, 1), 0, others[i][1]);
	}
	expect_refused("garbage", pv_xstrdup("hello\n"), 1,
	    "no PEM private key");
	expect_refused("garbage", pv_xstrdup(""), 0, "no PEM public key");
	expect_refused("public as private",
	    tk_pem(tk_ed25519(RFC8032_SEED), 1), 1, "holds a public key");
	expect_refused("private as public",
	    tk_pem(tk_ed25519(RFC8032_SEED), 0), 0, "holds a private key");
}

static void test_encrypted_key(void)
{
	EVP_PKEY *p = tk_ed25519(RFC8032_SEED);
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long n;

	if (!CHECK(p && bio && PEM_write_bio_PKCS8PrivateKey(bio, p,
	    EVP_aes_256_cbc(), "secret", 6, NULL, NULL)))
		goto out;
	n = BIO_get_mem_data(bio, &data);
	expect_refused("encrypted", pv_xasprintf("%.*s", (int)n, data), 1,
	    "encrypted private keys are not supported");
out:
	BIO_free(bio);
	EVP_PKEY_free(p);
}

static char *write_tmp(const char *name, const char *text)
{
	char *path = pv_xasprintf("%s/%s", tmpdir, name);

	if (pv_write_file_atomic(path, text, strlen(text), 0600) < 0)
		check_fail(__FILE__, __LINE__, "cannot write %s", path);
	return path;
}

#define P256_PARAMETERS "-----BEGIN EC PARAMETERS-----\n" \
	"BggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"

/* Traditional "EC PRIVATE KEY", preceded by "EC PARAMETERS" as
 * `openssl ecparam -genkey` writes it; and files on disk. */
static void test_load_files(void)
{
	EVP_PKEY *p = tk_p256(RFC6979_X, RFC6979_UX, RFC6979_UY, 1);
	const char *why = NULL;
	struct pv_key *k, *pub;
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *text, *path, *pubtext, *pubpath;
	long n;

	if (!CHECK(p && bio && BIO_puts(bio, P256_PARAMETERS) > 0 &&
	    PEM_write_bio_PrivateKey_traditional(bio, p, NULL, NULL, 0, NULL,
	    NULL)))
		goto out;
	n = BIO_get_mem_data(bio, &data);
	text = pv_xasprintf("%.*s", (int)n, data);
	CHECK(strstr(text, "BEGIN EC PARAMETERS") &&
	    strstr(text, "BEGIN EC PRIVATE KEY"));
	path = write_tmp("trad.pem", text);
	EVP_PKEY_up_ref(p);
	pubtext = tk_pem(p, 1);
	pubpath = write_tmp("trad.pem.pub", pubtext);
	k = pv_key_load_private(path, &why);
	pub = pv_key_load_public(pubpath, &why);
	if (CHECK(k && pub)) {
		CHECK_INT(pv_key_type(k), PV_KEY_ECDSA_P256);
		CHECK_STR(pv_key_id(k), pv_key_id(pub));
	}
	pv_key_free(k);
	pv_key_free(pub);
	free(text);
	free(pubtext);
	free(path);
	free(pubpath);

	path = pv_xasprintf("%s/missing", tmpdir);
	why = NULL;
	CHECK(pv_key_load_private(path, &why) == NULL);
	CHECK_STR(why, "No such file or directory");
	free(path);
out:
	BIO_free(bio);
	EVP_PKEY_free(p);
}

static void test_write_pair(void)
{
	const char *why = NULL, *bad = NULL;
	struct pv_key *k = pv_key_generate(PV_KEY_ECDSA_P256, &why);
	struct pv_key *back, *pub;
	char *path = pv_xasprintf("%s/pair", tmpdir);
	char *pubpath = pv_xasprintf("%s/pair.pub", tmpdir);
	struct stat st;

	if (!CHECK(k != NULL))
		goto out;
	umask(0);	/* the modes must not depend on it */
	CHECK_INT(pv_key_write_pair(k, path, pubpath, 0, &bad, &why), 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600);
	CHECK(stat(pubpath, &st) == 0 && (st.st_mode & 07777) == 0644);
	back = pv_key_load_private(path, &why);
	pub = pv_key_load_public(pubpath, &why);
	CHECK(back && pub && strcmp(pv_key_id(back), pv_key_id(k)) == 0 &&
	    strcmp(pv_key_id(pub), pv_key_id(k)) == 0);
	pv_key_free(back);
	pv_key_free(pub);
	CHECK_INT(pv_key_write_pair(k, path, pubpath, 0, &bad, &why), -1);
	CHECK_STR(bad, path);
	CHECK_STR(why, "file exists");
	CHECK_INT(pv_key_write_pair(k, path, pubpath, 1, &bad, &why), 0);
	umask(022);
out:
	pv_key_free(k);
	free(path);
	free(pubpath);
}

static void test_type_names(void)
{
	enum pv_key_type t;

	CHECK_INT(pv_key_type_from_name("ed25519", &t), 0);
	CHECK_INT(t, PV_KEY_ED25519);
	CHECK_INT(pv_key_type_from_name("ecdsa-p256", &t), 0);
	CHECK_INT(t, PV_KEY_ECDSA_P256);
	CHECK_INT(pv_key_type_from_name("rsa", &t), -1);
	CHECK_STR(pv_key_type_name(PV_KEY_ED25519), "ed25519");
	CHECK_STR(pv_key_type_name(PV_KEY_ECDSA_P256), "ecdsa-p256");
}

int main(void)
{
	char tmpl[] = "/tmp/provcc-test-sign-XXXXXX";
	char *cmd;

	tmpdir = mkdtemp(tmpl);
	if (!tmpdir) {
		perror("mkdtemp");
		return 1;
	}
	test_type_names();
	test_rfc6979_vectors(0);
	test_rfc6979_vectors(1);
	test_ed25519_vector();
	round_trip(PV_KEY_ED25519);
	round_trip(PV_KEY_ECDSA_P256);
	test_ecdsa_der();
	test_refused_keys();
	test_encrypted_key();
	test_load_files();
	test_write_pair();
	cmd = pv_xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("cannot remove %s\n", tmpdir);
	free(cmd);
	return check_finish();
}
