/* note.c - provenance note codec; see note.h and docs/format.md. */
#include "note.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define JSON_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII)

void pv_put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

uint32_t pv_get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(unsigned char *p, uint32_t v, int big_endian)
{
	if (!big_endian) {
		pv_put_le32(p, v);
		return;
	}
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

int pv_desc_encode(const json_t *j, int compression, unsigned char **desc,
    size_t *len)
{
	char *text = json_dumps(j, JSON_FLAGS);
	int rc;

	if (!text)
		return -1;
	rc = pv_desc_encode_text(text, strlen(text), compression, desc, len);
	free(text);
	return rc;
}

int pv_desc_encode_text(const char *text, size_t tlen, int compression,
    unsigned char **desc, size_t *len)
{
	uLongf zlen;
	unsigned char *out;

	if (tlen > PV_PAYLOAD_MAX)
		return -1;
	if (compression == PV_COMPRESS_NONE) {
		zlen = (uLongf)tlen;
		out = pv_xmalloc(PV_DESC_HEADER + tlen);
		memcpy(out + PV_DESC_HEADER, text, tlen);
	} else if (compression == PV_COMPRESS_ZLIB) {
		zlen = compressBound((uLong)tlen);
		out = pv_xmalloc(PV_DESC_HEADER + zlen);
		if (compress2(out + PV_DESC_HEADER, &zlen, (const Bytef *)text,
		    (uLong)tlen, Z_BEST_SPEED) != Z_OK) {
			free(out);
			return -1;
		}
	} else {
		return -1;
	}
	out[0] = PV_DESC_VERSION;
	out[1] = PV_DESC_JSON;
	out[2] = (unsigned char)compression;
	out[3] = 0;
	pv_put_le32(out + 4, (uint32_t)tlen);
	*desc = out;
	*len = PV_DESC_HEADER + zlen;
	return 0;
}

char *pv_inflate_exact(const unsigned char *z, size_t zlen, uint32_t rawlen,
    const char **why)
{
	char *raw = pv_xmalloc((size_t)rawlen + 1);
	uLongf got = rawlen;
	uLong used = (uLong)zlen;

	/* The stream must fill the descriptor exactly: no trailing bytes. */
	if (uncompress2((Bytef *)raw, &got, z, &used) != Z_OK ||
	    got != rawlen || used != (uLong)zlen) {
		*why = "compressed data is corrupt";
		free(raw);
		return NULL;
	}
	raw[rawlen] = '\0';
	return raw;
}

json_t *pv_desc_decode(const unsigned char *desc, size_t len,
    const char **why)
{
	uint32_t rawlen;
	char *raw;
	json_t *j;

	if (len < PV_DESC_HEADER) {
		*why = "descriptor too short";
		return NULL;
	}
	if (desc[0] != PV_DESC_VERSION || desc[1] != PV_DESC_JSON ||
	    desc[3] != 0) {
		*why = "unknown descriptor version or encoding";
		return NULL;
	}
	rawlen = pv_get_le32(desc + 4);
	if (rawlen > PV_PAYLOAD_MAX) {
		*why = "payload length out of range";
		return NULL;
	}
	if (desc[2] == PV_COMPRESS_ZLIB)
		raw = pv_inflate_exact(desc + PV_DESC_HEADER,
		    len - PV_DESC_HEADER, rawlen, why);
	else if (desc[2] == PV_COMPRESS_NONE &&
	    rawlen == len - PV_DESC_HEADER) {
		raw = pv_xmalloc((size_t)rawlen + 1);
		memcpy(raw, desc + PV_DESC_HEADER, rawlen);
		raw[rawlen] = '\0';
	} else {
		*why = "unknown compression or bad length";
		return NULL;
	}
	if (!raw)
		return NULL;
	j = json_loadb(raw, rawlen, JSON_REJECT_DUPLICATES, NULL);
	free(raw);
	if (!j)
		*why = "payload is not valid JSON";
	return j;
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int pv_note_build(unsigned type, const unsigned char *desc, size_t desclen,
    int big_endian, unsigned char **note, size_t *len)
{
	size_t namesz = sizeof(PV_NOTE_OWNER);	/* with its NUL */
	size_t total = 12 + pad4(namesz) + pad4(desclen);
	unsigned char *n;

	if (desclen > UINT32_MAX)
		return -1;
	n = pv_xcalloc(1, total);
	put_u32(n, (uint32_t)namesz, big_endian);
	put_u32(n + 4, (uint32_t)desclen, big_endian);
	put_u32(n + 8, type, big_endian);
	memcpy(n + 12, PV_NOTE_OWNER, namesz);
	memcpy(n + 12 + pad4(namesz), desc, desclen);
	*note = n;
	*len = total;
	return 0;
}
