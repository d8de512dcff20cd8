/* dsse.c - DSSE v1 signatures and envelopes; see dsse.h. */
#include "dsse.h"
#include "sign.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

/* Base64 text of the largest payload, padded. */
#define B64_MAX (4 * ((PV_DSSE_PAYLOAD_MAX + 2) / 3))

static char reason[200];

char *pv_base64_encode(const void *buf, size_t len)
{
	char *out;

	if (len > PV_DSSE_PAYLOAD_MAX)
		return NULL;
	out = pv_xmalloc(4 * ((len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, buf, (int)len);
	return out;
}

/* Which alphabet S uses: 0 standard, 1 URL-safe, -1 neither or both.
 * EVP_DecodeBlock itself skips white space and takes '=' anywhere, so
 * the text is checked here first. */
static int alphabet(const char *s, size_t n)
{
	int std = 0, url = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (c == '+' || c == '/')
			std = 1;
		else if (c == '-' || c == '_')
			url = 1;
		else
			return -1;
	}
	return std && url ? -1 : url;
}

int pv_base64_decode(const char *s, size_t slen, unsigned char **out,
    size_t *outlen)
{
	size_t pad = 0, body, full, i;
	unsigned char *bin;
	char *t;
	int url, got;

	while (pad < 2 && pad < slen && s[slen - 1 - pad] == '=')
		pad++;
	body = slen - pad;
	full = (body + 3) / 4 * 4;
	if (slen > B64_MAX || body % 4 == 1 || (pad && slen != full))
		return -1;
	if ((url = alphabet(s, body)) < 0)
		return -1;
	t = pv_xmalloc(full + 1);
	for (i = 0; i < full; i++) {
		char c = i < body ? s[i] : '=';

		t[i] = !url ? c : c == '-' ? '+' : c == '_' ? '/' : c;
	}
	t[full] = '\0';
	bin = pv_xmalloc(full / 4 * 3 + 1);
	got = EVP_DecodeBlock(bin, (unsigned char *)t, (int)full);
	free(t);
	if (got < 0) {
		free(bin);
		return -1;
	}
	/* EVP_DecodeBlock counts each '=' as a zero byte. */
	*out = bin;
	*outlen = (size_t)got - (full - body);
	return 0;
}

unsigned char *pv_dsse_pae(const char *type, const void *body, size_t len,
    size_t *paelen)
{
	size_t tlen = strlen(type), n = 0;
	char head[40], mid[32];
	int h, m;
	unsigned char *pae;

	h = snprintf(head, sizeof(head), "DSSEv1 %zu ", tlen);
	m = snprintf(mid, sizeof(mid), " %zu ", len);
	pae = pv_xmalloc((size_t)h + tlen + (size_t)m + len);
	memcpy(pae, head, (size_t)h);
	n += (size_t)h;
	memcpy(pae + n, type, tlen);
	n += tlen;
	memcpy(pae + n, mid, (size_t)m);
	n += (size_t)m;
	if (len)
		memcpy(pae + n, body, len);
	*paelen = n + len;
	return pae;
}

static json_t *sig_to_json(const struct pv_dsse_sig *s)
{
	char *b64 = pv_base64_encode(s->sig, s->siglen);
	json_t *o = json_object();

	json_object_set_new(o, "sig", json_string(b64));
	if (s->keyid && s->keyid[0])
		json_object_set_new(o, "keyid", json_string(s->keyid));
	free(b64);
	return o;
}

json_t *pv_dsse_to_json(const struct pv_dsse *env)
{
	json_t *type = json_string(env->payload_type);	/* checks UTF-8 */
	char *b64 = pv_base64_encode(env->payload, env->payload_len);
	json_t *o, *sigs;
	size_t i;

	if (!type || !b64) {
		json_decref(type);
		free(b64);
		return NULL;
	}
	o = json_object();
	sigs = json_array();
	json_object_set_new(o, "payload", json_string(b64));
	json_object_set_new(o, "payloadType", type);
	for (i = 0; i < env->nsigs; i++)
		json_array_append_new(sigs, sig_to_json(&env->sigs[i]));
	json_object_set_new(o, "signatures", sigs);
	free(b64);
	return o;
}

char *pv_dsse_dump(const struct pv_dsse *env)
{
	json_t *j = pv_dsse_to_json(env);
	char *text;

	if (!j)
		return NULL;
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return text;
}

char *pv_dsse_sign(const struct pv_key *key, const char *type,
    const void *body, size_t len, const char **why)
{
	unsigned char sig[PV_SIG_LEN], *pae;
	struct pv_dsse_sig s;
	struct pv_dsse env;
	size_t paelen;
	char *text;
	int rc;

	if (len > PV_DSSE_PAYLOAD_MAX) {
		*why = "payload too large";
		return NULL;
	}
	pae = pv_dsse_pae(type, body, len, &paelen);
	rc = pv_sign(key, pae, paelen, sig, why);
	free(pae);
	if (rc < 0)
		return NULL;
	s.keyid = (char *)pv_key_id(key);
	s.sig = sig;
	s.siglen = sizeof(sig);
	env.payload_type = (char *)type;
	env.payload = (unsigned char *)body;
	env.payload_len = len;
	env.sigs = &s;
	env.nsigs = 1;
	text = pv_dsse_dump(&env);
	if (!text)
		*why = "payload type is not UTF-8";
	return text;
}

/* Member NAME of O as a string: NULL with a reason when it is missing
 * or not a string, or holds a NUL. */
static const char *get_string(const json_t *o, const char *name,
    const char *where, size_t *len, const char **why)
{
	const json_t *v = json_object_get(o, name);

	if (!v)
		snprintf(reason, sizeof(reason), "%sno \"%s\" member", where,
		    name);
	else if (!json_is_string(v))
		snprintf(reason, sizeof(reason), "%s\"%s\" is not a string",
		    where, name);
	else if (strlen(json_string_value(v)) != json_string_length(v))
		snprintf(reason, sizeof(reason), "%s\"%s\" holds a NUL", where,
		    name);
	else {
		*len = json_string_length(v);
		return json_string_value(v);
	}
	*why = reason;
	return NULL;
}

static int b64_member(const json_t *o, const char *name, const char *where,
    unsigned char **out, size_t *outlen, const char **why)
{
	const char *s;
	size_t len;

	if (!(s = get_string(o, name, where, &len, why)))
		return -1;
	if (pv_base64_decode(s, len, out, outlen) == 0)
		return 0;
	snprintf(reason, sizeof(reason), "%s\"%s\" is not base64%s", where,
	    name, len > B64_MAX ? " of an acceptable size" : "");
	*why = reason;
	return -1;
}

static int sig_from_json(const json_t *o, size_t i, struct pv_dsse_sig *s,
    const char **why)
{
	const json_t *keyid = json_object_get(o, "keyid");
	char where[48];
	size_t len;

	snprintf(where, sizeof(where), "signature %zu: ", i + 1);
	if (!json_is_object(o)) {
		snprintf(reason, sizeof(reason), "%snot a JSON object", where);
		*why = reason;
		return -1;
	}
	if (b64_member(o, "sig", where, &s->sig, &s->siglen, why) < 0)
		return -1;
	if (keyid && !get_string(o, "keyid", where, &len, why)) {
		free(s->sig);
		s->sig = NULL;
		return -1;
	}
	s->keyid = pv_xstrdup(keyid ? json_string_value(keyid) : "");
	return 0;
}

int pv_dsse_from_json(const json_t *j, struct pv_dsse *env,
    const char **why)
{
	const json_t *sigs = json_object_get(j, "signatures");
	const char *type;
	size_t i, len;

	memset(env, 0, sizeof(*env));
	if (!json_is_object(j)) {
		*why = "envelope is not a JSON object";
		return -1;
	}
	if (!(type = get_string(j, "payloadType", "", &len, why)) ||
	    b64_member(j, "payload", "", &env->payload, &env->payload_len,
	    why) < 0)
		goto err;
	env->payload_type = pv_xstrdup(type);
	if (!json_is_array(sigs)) {
		*why = sigs ? "\"signatures\" is not an array" :
		    "no \"signatures\" member";
		goto err;
	}
	env->sigs = pv_xcalloc(json_array_size(sigs), sizeof(*env->sigs));
	for (i = 0; i < json_array_size(sigs); i++, env->nsigs++)
		if (sig_from_json(json_array_get(sigs, i), i,
		    &env->sigs[i], why) < 0)
			goto err;
	return 0;
err:
	pv_dsse_free(env);
	return -1;
}

int pv_dsse_parse(const char *text, size_t len, struct pv_dsse *env,
    const char **why)
{
	json_error_t err;
	json_t *j;
	int rc;

	memset(env, 0, sizeof(*env));
	/* Duplicate members would let two readers see two payloads. */
	j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		snprintf(reason, sizeof(reason), "not JSON: %s (offset %d)",
		    err.text, err.position);
		*why = reason;
		return -1;
	}
	rc = pv_dsse_from_json(j, env, why);
	json_decref(j);
	return rc;
}

void pv_dsse_free(struct pv_dsse *env)
{
	size_t i;

	for (i = 0; i < env->nsigs; i++) {
		free(env->sigs[i].keyid);
		free(env->sigs[i].sig);
	}
	free(env->sigs);
	free(env->payload_type);
	free(env->payload);
	memset(env, 0, sizeof(*env));
}

int pv_dsse_verify(const struct pv_dsse *env, const struct pv_key *key,
    const char *type, const char **why)
{
	unsigned char *pae;
	const char *ignored;
	size_t paelen, i;
	int ok = 0;

	if (env->nsigs == 0) {
		*why = "envelope has no signatures";
		return -1;
	}
	pae = pv_dsse_pae(env->payload_type, env->payload, env->payload_len,
	    &paelen);
	for (i = 0; i < env->nsigs && !ok; i++)
		ok = pv_verify(key, pae, paelen, env->sigs[i].sig,
		    env->sigs[i].siglen, &ignored) == 0;
	free(pae);
	if (!ok) {
		snprintf(reason, sizeof(reason),
		    "no signature in the envelope verifies with key %.16s...",
		    pv_key_id(key));
		*why = reason;
		return -1;
	}
	if (type && strcmp(env->payload_type, type) != 0) {
		snprintf(reason, sizeof(reason),
		    "payload type is \"%.60s\", not \"%.60s\"",
		    env->payload_type, type);
		*why = reason;
		return -1;
	}
	return 0;
}
