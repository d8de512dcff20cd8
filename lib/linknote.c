/* linknote.c - the link note codec; see linknote.h and docs/format.md. */
#include "linknote.h"
#include "note.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define JSON_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII)
#define STATEMENT_MAX (64u << 20)
#define HEXLEN (2 * PV_SHA256_LEN)

static const char zero_digits[HEXLEN + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* Where the digits are: after the last `"provcc-elf-v1":"`.  The key is
 * JSON structure, so it cannot occur inside a string value, where its
 * quotes would be escaped. */
static const char *find_digits(const char *text)
{
	static const char key[] = "\"" PV_ELF_DIGEST_NAME "\":\"";
	const char *p = text, *last = NULL;

	while ((p = strstr(p, key)) != NULL) {
		last = p + sizeof(key) - 1;
		p++;
	}
	return last;
}

char *pv_statement_build(const char *name, const json_t *predicate,
    size_t *len, size_t *digest_off)
{
	json_t *st = json_object(), *subject = json_object();
	json_t *digest = json_object();
	const char *digits;
	char *text;

	json_object_set_new(digest, PV_ELF_DIGEST_NAME,
	    json_string(zero_digits));
	json_object_set_new(subject, "name", json_string(name));
	json_object_set_new(subject, "digest", digest);
	json_object_set_new(st, "_type", json_string(PV_STATEMENT_TYPE));
	json_object_set_new(st, "subject", json_pack("[o]", subject));
	json_object_set_new(st, "predicateType",
	    json_string(PV_LINK_PREDICATE_TYPE));
	json_object_set(st, "predicate", (json_t *)predicate);
	text = json_dumps(st, JSON_FLAGS);
	json_decref(st);
	if (!text)
		return NULL;
	digits = find_digits(text);
	if (!digits || strlen(text) > STATEMENT_MAX) {
		free(text);
		return NULL;
	}
	*len = strlen(text);
	*digest_off = (size_t)(digits - text);
	return text;
}

static int digits_at(const char *statement, size_t len, size_t off)
{
	return off <= len && len - off >= HEXLEN &&
	    memcmp(statement + off, zero_digits, HEXLEN) == 0;
}

int pv_linknote_encode(const char *statement, size_t len, size_t digest_off,
    unsigned char **desc, size_t *desclen)
{
	uLongf zlen;
	unsigned char *out;

	if (len > STATEMENT_MAX || !digits_at(statement, len, digest_off))
		return -1;
	zlen = compressBound((uLong)len);
	out = pv_xcalloc(1, PV_LINK_HEADER + zlen);
	if (compress2(out + PV_LINK_HEADER, &zlen, (const Bytef *)statement,
	    (uLong)len, Z_BEST_COMPRESSION) != Z_OK) {
		free(out);
		return -1;
	}
	out[0] = 1;
	out[1] = PROVCC_COMPRESSION_ZLIB;
	out[2] = PV_SIGALG_NONE;
	pv_put_le32(out + 4, (uint32_t)len);
	pv_put_le32(out + 8, (uint32_t)digest_off);
	*desc = out;
	*desclen = PV_LINK_HEADER + zlen;
	return 0;
}

static int all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

static int check_header(const unsigned char *desc, size_t len,
    const char **why)
{
	if (len < PV_LINK_HEADER) {
		*why = "descriptor too short";
		return -1;
	}
	if (desc[0] != 1 || desc[1] != PROVCC_COMPRESSION_ZLIB ||
	    desc[3] != 0 || !all_zero(desc + 12, 4)) {
		*why = "unknown descriptor version or compression";
		return -1;
	}
	if (desc[2] > PV_SIGALG_ECDSA_P256) {
		*why = "unknown signature algorithm";
		return -1;
	}
	if (desc[2] == PV_SIGALG_NONE &&
	    !all_zero(desc + PV_LINK_KEYID_OFF, PV_LINK_HEADER -
	    PV_LINK_KEYID_OFF)) {
		*why = "unsigned note with a key id or signature";
		return -1;
	}
	return 0;
}

int pv_linknote_decode(const unsigned char *desc, size_t len,
    struct pv_linknote *n, const char **why)
{
	uint32_t rawlen, off;

	memset(n, 0, sizeof(*n));
	if (check_header(desc, len, why) < 0)
		return -1;
	rawlen = pv_get_le32(desc + 4);
	off = pv_get_le32(desc + 8);
	if (rawlen > STATEMENT_MAX) {
		*why = "statement length out of range";
		return -1;
	}
	n->statement = pv_inflate_exact(desc + PV_LINK_HEADER,
	    len - PV_LINK_HEADER, rawlen, why);
	if (!n->statement)
		return -1;
	n->statement_len = rawlen;
	if (memchr(n->statement, '\0', rawlen) ||
	    !digits_at(n->statement, rawlen, off)) {
		*why = "statement has no digest placeholder at its offset";
		pv_linknote_free(n);
		return -1;
	}
	n->digest_off = off;
	n->sigalg = desc[2];
	memcpy(n->keyid, desc + PV_LINK_KEYID_OFF, PV_SHA256_LEN);
	memcpy(n->digest, desc + PV_LINK_SLOT_OFF, PV_SHA256_LEN);
	memcpy(n->sig, desc + PV_LINK_SIG_OFF, PV_SIG_LEN);
	return 0;
}

void pv_linknote_free(struct pv_linknote *n)
{
	free(n->statement);
	n->statement = NULL;
}

char *pv_linknote_statement(const struct pv_linknote *n,
    const unsigned char digest[PV_SHA256_LEN])
{
	char *s = pv_xmalloc(n->statement_len + 1);
	char hex[PV_SHA256_HEX];

	memcpy(s, n->statement, n->statement_len + 1);
	pv_hex(digest, PV_SHA256_LEN, hex);
	memcpy(s + n->digest_off, hex, HEXLEN);
	return s;
}

int pv_sigalg_key_type(unsigned sigalg, enum pv_key_type *type)
{
	switch (sigalg) {
	case PV_SIGALG_ED25519:
		*type = PV_KEY_ED25519;
		return 0;
	case PV_SIGALG_ECDSA_P256:
		*type = PV_KEY_ECDSA_P256;
		return 0;
	}
	return -1;
}

unsigned pv_sigalg_of(enum pv_key_type type)
{
	return type == PV_KEY_ECDSA_P256 ? PV_SIGALG_ECDSA_P256 :
	    PV_SIGALG_ED25519;
}
