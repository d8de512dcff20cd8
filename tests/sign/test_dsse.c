/* test_dsse.c - DSSE PAE, envelopes and base64 (lib/dsse.c). */
#include "check.h"
#include "dsse.h"
#include "sign.h"
#include "testkeys.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The test vector of DSSE's protocol.md (version 1.0.2). */
#define VEC_TYPE "http://example.com/HelloWorld"
#define VEC_BODY "hello world"
#define VEC_PAE "DSSEv1 29 http://example.com/HelloWorld 11 hello world"
#define VEC_X \
	"4695082086889915666293004768781858563284859149974458940795829323" \
	"8635476079160"
#define VEC_Y \
	"5640078356564379163099075877009565129882514886557779369047442380" \
	"624545832820"
#define VEC_D \
	"9735816121518442091538365531193185832145657954748707093676997599" \
	"7791359926199"
#define VEC_SIG \
	"A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJ" \
	"PcIAriEGAHTVeCUjW2JIZA=="
/* As protocol.md prints it, white space and all. */
#define VEC_ENVELOPE "{\"payload\": \"aGVsbG8gd29ybGQ=\",\n" \
	" \"payloadType\": \"http://example.com/HelloWorld\",\n" \
	" \"signatures\": [{\"sig\": \"" VEC_SIG "\"}]}\n"
/* sha256 of the key's DER SubjectPublicKeyInfo, by Python's cryptography */
#define VEC_KEYID \
	"f793580060562d6ff075d814ea698c282fcc779b0cde64d79ffc6301df00d14b"

static struct pv_key *key_from(char *pem, int private)
{
	const char *why = "test could not build the PEM";
	struct pv_key *k = NULL;

	if (pem)
		k = private ? pv_key_parse_private(pem, strlen(pem), &why) :
		    pv_key_parse_public(pem, strlen(pem), &why);
	if (!k)
		printf("key: %s\n", why);
	free(pem);
	return k;
}

static void test_pae(void)
{
	size_t len;
	unsigned char *pae = pv_dsse_pae(VEC_TYPE, VEC_BODY,
	    strlen(VEC_BODY), &len);

	CHECK_MEM(pae, len, VEC_PAE, strlen(VEC_PAE));
	free(pae);
	pae = pv_dsse_pae("", NULL, 0, &len);
	CHECK_MEM(pae, len, "DSSEv1 0  0 ", 12);
	free(pae);
	/* Lengths count bytes, not characters; the body may hold NULs. */
	pae = pv_dsse_pae("t\xc3\xa9", "a\0b", 3, &len);
	CHECK_MEM(pae, len, "DSSEv1 3 t\xc3\xa9 3 a\0b", 18);
	free(pae);
}

static void test_vector(void)
{
	struct pv_key *pub = key_from(tk_pem(tk_p256(NULL, VEC_X, VEC_Y, 0),
	    1), 0);
	struct pv_key *priv = key_from(tk_pem(tk_p256(VEC_D, VEC_X, VEC_Y, 0),
	    0), 1);
	const char *why = NULL;
	struct pv_dsse env;
	char *text;

	if (!CHECK(pub && priv))
		goto out;
	CHECK_STR(pv_key_id(pub), VEC_KEYID);
	CHECK_INT(pv_dsse_parse(VEC_ENVELOPE, strlen(VEC_ENVELOPE), &env,
	    &why), 0);
	CHECK_STR(env.payload_type, VEC_TYPE);
	CHECK_MEM(env.payload, env.payload_len, VEC_BODY, strlen(VEC_BODY));
	CHECK_INT(env.nsigs, 1);
	CHECK_STR(env.sigs[0].keyid, "");
	CHECK_INT(pv_dsse_verify(&env, pub, VEC_TYPE, &why), 0);
	CHECK_INT(pv_dsse_verify(&env, priv, NULL, &why), 0);
	CHECK_INT(pv_dsse_verify(&env, pub, "application/other", &why), -1);
	CHECK_STR(why, "payload type is \"" VEC_TYPE "\", not "
	    "\"application/other\"");
	pv_dsse_free(&env);

	/* RFC 6979 reproduces the vector's signature byte for byte. */
	text = pv_dsse_sign(priv, VEC_TYPE, VEC_BODY, strlen(VEC_BODY), &why);
	CHECK_STR(text, "{\"payload\":\"aGVsbG8gd29ybGQ=\",\"payloadType\":\""
	    VEC_TYPE "\",\"signatures\":[{\"keyid\":\"" VEC_KEYID
	    "\",\"sig\":\"" VEC_SIG "\"}]}");
	free(text);
out:
	pv_key_free(pub);
	pv_key_free(priv);
}

static void test_ed25519_envelope(void)
{
	static const char body[] = "{\"a\":1}\n\0binary\xff";
	const char *why = NULL;
	struct pv_key *k = pv_key_generate(PV_KEY_ED25519, &why);
	struct pv_key *other = pv_key_generate(PV_KEY_ED25519, &why);
	struct pv_key *p256 = pv_key_generate(PV_KEY_ECDSA_P256, &why);
	char *text = NULL, *again = NULL, *p;
	struct pv_dsse env;

	if (!CHECK(k && other && p256))
		goto out;
	text = pv_dsse_sign(k, "application/vnd.provcc+json", body,
	    sizeof(body), &why);
	again = pv_dsse_sign(k, "application/vnd.provcc+json", body,
	    sizeof(body), &why);
	if (!CHECK(text && again))
		goto out;
	CHECK_STR(text, again);
	CHECK(strstr(text, pv_key_id(k)) != NULL);
	if (!CHECK(pv_dsse_parse(text, strlen(text), &env, &why) == 0))
		goto out;
	CHECK_MEM(env.payload, env.payload_len, body, sizeof(body));
	CHECK_STR(env.sigs[0].keyid, pv_key_id(k));
	CHECK_INT(pv_dsse_verify(&env, k, "application/vnd.provcc+json",
	    &why), 0);
	CHECK_INT(pv_dsse_verify(&env, other, NULL, &why), -1);
	CHECK(strstr(why, "no signature in the envelope verifies") != NULL);
	CHECK_INT(pv_dsse_verify(&env, p256, NULL, &why), -1);

	/* The signature covers the type and every payload byte. */
	env.payload[3] ^= 1;
	CHECK_INT(pv_dsse_verify(&env, k, NULL, &why), -1);
	env.payload[3] ^= 1;
	env.payload_type[0] = 'A';
	CHECK_INT(pv_dsse_verify(&env, k, NULL, &why), -1);
	env.payload_type[0] = 'a';
	env.sigs[0].sig[10] ^= 0x80;
	CHECK_INT(pv_dsse_verify(&env, k, NULL, &why), -1);
	env.sigs[0].sig[10] ^= 0x80;
	env.sigs[0].siglen--;
	CHECK_INT(pv_dsse_verify(&env, k, NULL, &why), -1);
	env.sigs[0].siglen++;
	CHECK_INT(pv_dsse_verify(&env, k, NULL, &why), 0);

	/* Round trip through the writer gives the same canonical text. */
	p = pv_dsse_dump(&env);
	CHECK_STR(p, text);
	free(p);
	pv_dsse_free(&env);
out:
	free(text);
	free(again);
	pv_key_free(k);
	pv_key_free(other);
	pv_key_free(p256);
}

/* Several signatures: any one by the key will do; a keyid is no more
 * than a hint, so a wrong one does not stop verification. */
static void test_multi(void)
{
	const char *why = NULL;
	struct pv_key *a = pv_key_generate(PV_KEY_ED25519, &why);
	struct pv_key *b = pv_key_generate(PV_KEY_ECDSA_P256, &why);
	unsigned char sa[PV_SIG_LEN], sb[PV_SIG_LEN], *pae;
	struct pv_dsse_sig sigs[2];
	struct pv_dsse env, back;
	size_t paelen;
	char *text;

	if (!CHECK(a && b))
		goto out;
	pae = pv_dsse_pae("t", "x", 1, &paelen);
	CHECK(pv_sign(a, pae, paelen, sa, &why) == 0 &&
	    pv_sign(b, pae, paelen, sb, &why) == 0);
	free(pae);
	sigs[0] = (struct pv_dsse_sig){ "not-a's-id", sa, sizeof(sa) };
	sigs[1] = (struct pv_dsse_sig){ NULL, sb, sizeof(sb) };
	env = (struct pv_dsse){ "t", (unsigned char *)"x", 1, sigs, 2 };
	text = pv_dsse_dump(&env);
	if (CHECK(text && pv_dsse_parse(text, strlen(text), &back, &why) ==
	    0)) {
		CHECK_INT(back.nsigs, 2);
		CHECK_STR(back.sigs[1].keyid, "");
		CHECK_INT(pv_dsse_verify(&back, a, "t", &why), 0);
		CHECK_INT(pv_dsse_verify(&back, b, "t", &why), 0);
		pv_dsse_free(&back);
	}
	free(text);
out:
	pv_key_free(a);
	pv_key_free(b);
}

static const struct {
	int line;
	const char *text, *why;
} malformed[] = {
	{ __LINE__, "", "not JSON" },
	{ __LINE__, "{", "not JSON" },
	{ __LINE__, "hello", "not JSON" },
	{ __LINE__, "{\"payload\":\"\",\"payload\":\"\"}", "not JSON" },
	{ __LINE__, "[]", "envelope is not a JSON object" },
	{ __LINE__, "{}", "no \"payloadType\" member" },
	{ __LINE__, "{\"payloadType\":\"t\",\"signatures\":[]}",
	  "no \"payload\" member" },
	{ __LINE__, "{\"payload\":\"\",\"signatures\":[]}",
	  "no \"payloadType\" member" },
	{ __LINE__, "{\"payload\":\"\",\"payloadType\":\"t\"}",
	  "no \"signatures\" member" },
	{ __LINE__, "{\"payload\":1,\"payloadType\":\"t\",\"signatures\":[]}",
	  "\"payload\" is not a string" },
	{ __LINE__, "{\"payload\":\"\",\"payloadType\":null,\"signatures\":[]}",
	  "\"payloadType\" is not a string" },
	{ __LINE__, "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":{}}",
	  "\"signatures\" is not an array" },
	{ __LINE__, "{\"payload\":\"aGVsbG8\",\"payloadType\":\"t\","
	  "\"signatures\":[{\"sig\":\"!!!!\"}]}",
	  "signature 1: \"sig\" is not base64" },
	{ __LINE__, "{\"payload\":\"aGVsbG8\",\"payloadType\":\"t\","
	  "\"signatures\":[{\"sig\":\"AAAA\"},{\"keyid\":\"k\"}]}",
	  "signature 2: no \"sig\" member" },
	{ __LINE__, "{\"payload\":\"aGVsbG8\",\"payloadType\":\"t\","
	  "\"signatures\":[{\"sig\":\"AAAA\",\"keyid\":7}]}",
	  "signature 1: \"keyid\" is not a string" },
	{ __LINE__, "{\"payload\":\"aGVsbG8\",\"payloadType\":\"t\","
	  "\"signatures\":[\"AAAA\"]}", "signature 1: not a JSON object" },
	{ __LINE__, "{\"payload\":\"aGVs bG8=\",\"payloadType\":\"t\","
	  "\"signatures\":[]}", "\"payload\" is not base64" },
	{ __LINE__, "{\"payload\":\"aGVsbG8==\",\"payloadType\":\"t\","
	  "\"signatures\":[]}", "\"payload\" is not base64" },
	{ __LINE__, "{\"payload\":\"a+b_\",\"payloadType\":\"t\","
	  "\"signatures\":[]}", "\"payload\" is not base64" },
	{ __LINE__, "{\"payload\":\"\",\"payloadType\":\"a\\u0000b\","
	  "\"signatures\":[]}", "not JSON" },
};

static void test_malformed(void)
{
	const char *why;
	struct pv_dsse env;
	size_t i;

	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		why = NULL;
		CHECK_INT_AT(__FILE__, malformed[i].line,
		    pv_dsse_parse(malformed[i].text, strlen(malformed[i].text),
		    &env, &why), -1);
		if (!why || strncmp(why, malformed[i].why,
		    strlen(malformed[i].why)) != 0)
			check_fail(__FILE__, malformed[i].line,
			    "reason \"%s\", want \"%s...\"", check_q(why),
			    malformed[i].why);
		CHECK_AT(__FILE__, malformed[i].line, env.sigs == NULL &&
		    env.payload == NULL && env.payload_type == NULL);
	}
}

/* Well-formed but unverifiable: no signatures, or a signature of the
 * wrong length. */
static void test_unverifiable(void)
{
	static const char none[] = "{\"payload\":\"\",\"payloadType\":\"t\","
	    "\"signatures\":[],\"extra\":{\"ignored\":true}}";
	static const char shortsig[] = "{\"payload\":\"\",\"payloadType\":"
	    "\"t\",\"signatures\":[{\"sig\":\"AAAA\"}]}";
	const char *why = NULL;
	struct pv_key *k = pv_key_generate(PV_KEY_ED25519, &why);
	struct pv_dsse env;

	if (!CHECK(k != NULL))
		return;
	if (CHECK(pv_dsse_parse(none, strlen(none), &env, &why) == 0)) {
		CHECK_INT(env.payload_len, 0);
		CHECK_INT(pv_dsse_verify(&env, k, NULL, &why), -1);
		CHECK_STR(why, "envelope has no signatures");
		pv_dsse_free(&env);
	}
	if (CHECK(pv_dsse_parse(shortsig, strlen(shortsig), &env, &why) ==
	    0)) {
		CHECK_INT(env.sigs[0].siglen, 3);
		CHECK_INT(pv_dsse_verify(&env, k, NULL, &why), -1);
		pv_dsse_free(&env);
	}
	pv_key_free(k);
}

static const struct {
	int line;
	const char *text;
	const char *bin;	/* NULL: refused */
	size_t len;
} b64[] = {
	/* RFC 4648 section 10 */
	{ __LINE__, "", "", 0 },
	{ __LINE__, "Zg==", "f", 1 },
	{ __LINE__, "Zm8=", "fo", 2 },
	{ __LINE__, "Zm9v", "foo", 3 },
	{ __LINE__, "Zm9vYg==", "foob", 4 },
	{ __LINE__, "Zm9vYmE=", "fooba", 5 },
	{ __LINE__, "Zm9vYmFy", "foobar", 6 },
	/* unpadded, URL-safe */
	{ __LINE__, "Zg", "f", 1 },
	{ __LINE__, "Zm8", "fo", 2 },
	{ __LINE__, "-_8=", "\xfb\xff", 2 },
	{ __LINE__, "-_-_", "\xfb\xff\xbf", 3 },
	{ __LINE__, "+/+/", "\xfb\xff\xbf", 3 },
	/* refused */
	{ __LINE__, "Z", NULL, 0 },
	{ __LINE__, "Zg=", NULL, 0 },
	{ __LINE__, "Zg===", NULL, 0 },
	{ __LINE__, "Zm9v=", NULL, 0 },
	{ __LINE__, "Zm=9", NULL, 0 },
	{ __LINE__, "=", NULL, 0 },
	{ __LINE__, "==", NULL, 0 },
	{ __LINE__, " Zm9v", NULL, 0 },
	{ __LINE__, "Zm9v\n", NULL, 0 },
	{ __LINE__, "Zm9v YmFy", NULL, 0 },
	{ __LINE__, "-/+_", NULL, 0 },
	{ __LINE__, "Zm9\xc3\xa9", NULL, 0 },
};

static void test_base64(void)
{
	unsigned char *bin;
	size_t i, len;
	char *text;
	int rc;

	for (i = 0; i < sizeof(b64) / sizeof(b64[0]); i++) {
		bin = NULL;
		rc = pv_base64_decode(b64[i].text, strlen(b64[i].text), &bin,
		    &len);
		CHECK_INT_AT(__FILE__, b64[i].line, rc, b64[i].bin ? 0 : -1);
		if (rc == 0 && b64[i].bin)
			check_mem_at(__FILE__, b64[i].line, bin, len,
			    b64[i].bin, b64[i].len, b64[i].text);
		free(bin);
		/* The padded standard forms come back from the encoder. */
		if (b64[i].bin && b64[i].line < b64[7].line) {
			text = pv_base64_encode(b64[i].bin, b64[i].len);
			CHECK_STR_AT(__FILE__, b64[i].line, text, b64[i].text);
			free(text);
		}
	}
	/* A NUL inside the text is no base64 character. */
	CHECK_INT(pv_base64_decode("Zm\0v", 4, &bin, &len), -1);
}

int main(void)
{
	test_pae();
	test_vector();
	test_ed25519_envelope();
	test_multi();
	test_malformed();
	test_unverifiable();
	test_base64();
	return check_finish();
}
