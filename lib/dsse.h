/* dsse.h - DSSE v1 signatures and their JSON envelope.
 *
 * DSSE, the Dead Simple Signing Envelope (protocol.md and envelope.md,
 * version 1.0.2, of github.com/secure-systems-lab/dsse), signs
 *   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * where LEN is the byte length in ASCII decimal without leading zeros,
 * so that a signature covers the payload type as well as the body.
 * The envelope is
 *   {"payload": base64(body), "payloadType": type,
 *    "signatures": [{"keyid": KEYID, "sig": base64(signature)}]}
 * Signatures are those of sign.h (64 raw bytes); the key id is sign.h's.
 *
 * Envelopes written here are canonical: compact JSON, members sorted by
 * key, standard base64 with padding, "keyid" left out when empty.
 * Envelopes read may use standard or URL-safe base64, padded or not (the
 * spec lets signers use either); unknown members are ignored, duplicate
 * ones refused.  A missing "keyid" reads as "", as the spec says.
 *
 * The key id is only a hint (the spec forbids trusting it), so
 * verification tries every signature of the envelope against the key.
 * Use the payload of the struct that was verified: never parse the
 * envelope again after verifying it.
 */
#ifndef PROVCC_DSSE_H
#define PROVCC_DSSE_H

#include <stddef.h>
#include <jansson.h>

#include "sign.h"

#define PV_DSSE_PAYLOAD_MAX (64u << 20)	/* larger payloads are refused */

struct pv_dsse_sig {
	char *keyid;		/* "" when absent */
	unsigned char *sig;
	size_t siglen;
};

struct pv_dsse {
	char *payload_type;	/* UTF-8, no NUL */
	unsigned char *payload;
	size_t payload_len;
	struct pv_dsse_sig *sigs;
	size_t nsigs;
};

/* PAE(TYPE, BODY), malloc'd, *LEN bytes. */
unsigned char *pv_dsse_pae(const char *type, const void *body, size_t len,
    size_t *paelen);

/* An envelope of BODY with one signature by KEY: canonical JSON text,
 * NUL-terminated, malloc'd.  NULL with a reason in *why. */
char *pv_dsse_sign(const struct pv_key *key, const char *type,
    const void *body, size_t len, const char **why);

/* ENV as a JSON object (a new reference), or NULL when its payload type
 * is not UTF-8 or its payload is too large; and as canonical text. */
json_t *pv_dsse_to_json(const struct pv_dsse *env);
char *pv_dsse_dump(const struct pv_dsse *env);

/* Read an envelope from JSON text or a JSON value into ENV (to be freed
 * with pv_dsse_free).  Returns 0, or -1 with a reason in *why. */
int pv_dsse_parse(const char *text, size_t len, struct pv_dsse *env,
    const char **why);
int pv_dsse_from_json(const json_t *j, struct pv_dsse *env,
    const char **why);
void pv_dsse_free(struct pv_dsse *env);

/* 0 when some signature of ENV is KEY's signature of PAE(payload type,
 * payload) and, if TYPE is not NULL, the payload type is TYPE; -1 with
 * a reason otherwise. */
int pv_dsse_verify(const struct pv_dsse *env, const struct pv_key *key,
    const char *type, const char **why);

/* Base64 (RFC 4648) through OpenSSL.  encode: standard alphabet, padded,
 * NUL-terminated, malloc'd; NULL when LEN exceeds PV_DSSE_PAYLOAD_MAX.
 * decode: standard or URL-safe alphabet (not mixed), padding optional
 * but correct when present, nothing else (no white space); returns 0
 * and a malloc'd buffer, or -1. */
char *pv_base64_encode(const void *buf, size_t len);
int pv_base64_decode(const char *s, size_t slen, unsigned char **out,
    size_t *outlen);

#endif
