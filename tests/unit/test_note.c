/* test_note.c - the note codec (pv_desc_encode, pv_desc_decode,
 * pv_note_build) and the compile record's JSON form (pv_record_to_json,
 * pv_record_from_json).
 *
 * Descriptor bytes, from include/provcc/provcc.h: byte 0 version 1,
 * byte 1 encoding 1 (JSON), byte 2 compression (0 none, 1 zlib), byte 3
 * zero, bytes 4-7 the payload length before compression, little endian;
 * then the payload.
 */
#define _POSIX_C_SOURCE 200809L
#include "note.h"
#include "record.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &err);

	if (!j) {
		printf("bad JSON in the test itself: %s: %s\n", text, err.text);
		exit(2);
	}
	return j;
}

static int encode(const json_t *j, unsigned char **d, size_t *n)
{
	*d = NULL;
	*n = 0;
	return pv_desc_encode(j, PV_COMPRESS_ZLIB, d, n);
}

/* A descriptor made by hand: header, then PAYLOAD as is (compression 0)
 * or deflated (1). */
static unsigned char *make_desc(const void *payload, size_t plen,
    int compress, size_t *len)
{
	uLongf zlen = compressBound((uLong)plen);
	unsigned char *d = malloc(PV_DESC_HEADER + (compress ? zlen : plen));

	d[0] = 1;
	d[1] = 1;
	d[2] = (unsigned char)compress;
	d[3] = 0;
	put_le32(d + 4, (uint32_t)plen);
	if (compress) {
		if (compress2(d + PV_DESC_HEADER, &zlen, payload, (uLong)plen,
		    6) != Z_OK) {
			printf("compress2 failed\n");
			exit(2);
		}
		*len = PV_DESC_HEADER + zlen;
	} else {
		memcpy(d + PV_DESC_HEADER, payload, plen);
		*len = PV_DESC_HEADER + plen;
	}
	return d;
}

/* ---- round trips ----------------------------------------------------- */

static const char *const roundtrip_texts[] = {
	"{}",
	"{\"a\":1}",
	"{\"language\":\"c\",\"argv\":[\"cc\",\"-c\",\"a.c\"],\"n\":-7,"
	    "\"t\":true,\"f\":false,\"z\":null}",
	"{\"nested\":{\"deeper\":{\"deepest\":[[],{},[1,[2,[3]]]]}}}",
	/* non-ASCII: Latin-1, CJK, astral plane (surrogate pair), RTL */
	"{\"path\":\"/home/jos\\u00e9/caf\\u00e9.c\","
	    "\"kanji\":\"\\u65e5\\u672c\\u8a9e.h\","
	    "\"emoji\":\"\\ud83d\\ude00\",\"hebrew\":\"\\u05e9\\u05dc\\u05d5\\u05dd\"}",
	/* raw UTF-8 in the source text */
	"{\"utf8\":\"gr\xc3\xbc\xc3\x9f dich \xe2\x9c\x93 \xf0\x9f\x98\x80\"}",
	/* escapes: quote, backslash, control characters, DEL */
	"{\"esc\":\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\x7f\","
	    "\"-DMSG=\\\"hi\\\"\":\"key with quotes\"}",
	"[1,2,3]",
	"{\"\":\"empty key\",\"k\":\"\"}",
};

static void test_roundtrip_text(const char *text)
{
	json_t *j = parse(text), *back;
	unsigned char *d;
	size_t n;
	const char *why = NULL;

	if (!CHECK_INT(encode(j, &d, &n), 0)) {
		printf("    payload: %s\n", text);
		json_decref(j);
		return;
	}
	back = pv_desc_decode(d, n, &why);
	if (!CHECK(back != NULL && json_equal(back, j)))
		printf("    payload: %s (why: %s)\n", text, check_q(why));
	CHECK(why == NULL);
	json_decref(back);
	json_decref(j);
	free(d);
}

/* A large payload (about 1 MB of JSON), compressible and not. */
static void test_roundtrip_large(void)
{
	json_t *j = json_object(), *a = json_array(), *back;
	unsigned char *d;
	size_t n, i;
	const char *why = NULL;
	uint32_t x = 12345;

	for (i = 0; i < 20000; i++) {
		char s[48];

		x = x * 1103515245u + 12345u;
		snprintf(s, sizeof(s), "/usr/include/%08x/%zu.h", x, i);
		json_array_append_new(a, json_string(s));
	}
	json_object_set_new(j, "inputs", a);
	if (CHECK_INT(encode(j, &d, &n), 0)) {
		CHECK(le32(d + 4) > 65536);
		back = pv_desc_decode(d, n, &why);
		CHECK(back != NULL && json_equal(back, j));
		json_decref(back);
		free(d);
	}
	json_decref(j);
}

/* ---- canonical bytes --------------------------------------------- */

static json_t *build_in_order(int reverse)
{
	json_t *o = json_object(), *inner = json_object();

	if (!reverse) {
		json_object_set_new(inner, "x", json_integer(1));
		json_object_set_new(inner, "y", json_string("\xc3\xa9t\xc3\xa9"));
		json_object_set_new(o, "alpha", json_string("a"));
		json_object_set_new(o, "beta", json_array());
		json_object_set_new(o, "gamma", inner);
		json_object_set_new(o, "Zed", json_true());
	} else {
		json_object_set_new(o, "Zed", json_true());
		json_object_set_new(inner, "y", json_string("\xc3\xa9t\xc3\xa9"));
		json_object_set_new(o, "gamma", inner);
		json_object_set_new(o, "beta", json_array());
		json_object_set_new(inner, "x", json_integer(1));
		json_object_set_new(o, "alpha", json_string("a"));
	}
	return o;
}

static void test_deterministic(void)
{
	json_t *a = build_in_order(0), *b = build_in_order(1);
	unsigned char *da, *db, *da2;
	size_t na, nb, na2;

	CHECK_INT(encode(a, &da, &na), 0);
	CHECK_INT(encode(b, &db, &nb), 0);
	CHECK_INT(encode(a, &da2, &na2), 0);
	CHECK_MEM(db, nb, da, na);
	CHECK_MEM(da2, na2, da, na);
	free(da);
	free(db);
	free(da2);
	json_decref(a);
	json_decref(b);
}

/* Header bytes and the exact canonical text: compact, keys sorted. */
static void test_header_and_payload(void)
{
	json_t *j = parse("{\"c\": {\"e\": \"f\", \"d\": [true, null, \"x\"]},"
	    " \"b\": -1, \"a\": \"A\"}");
	const char *canon =
	    "{\"a\":\"A\",\"b\":-1,\"c\":{\"d\":[true,null,\"x\"],\"e\":\"f\"}}";
	unsigned char *d, *raw;
	size_t n;
	uLongf rawlen;

	if (!CHECK_INT(encode(j, &d, &n), 0)) {
		json_decref(j);
		return;
	}
	CHECK(n > PV_DESC_HEADER);
	CHECK_INT(d[0], 1);		/* version */
	CHECK_INT(d[1], 1);		/* JSON */
	CHECK_INT(d[2], 1);		/* zlib */
	CHECK_INT(d[3], 0);
	CHECK_INT(le32(d + 4), strlen(canon));
	rawlen = (uLongf)strlen(canon) + 16;
	raw = malloc(rawlen);
	if (CHECK_INT(uncompress(raw, &rawlen, d + PV_DESC_HEADER,
	    (uLong)(n - PV_DESC_HEADER)), Z_OK))
		CHECK_MEM(raw, rawlen, canon, strlen(canon));
	free(raw);
	free(d);
	json_decref(j);
}

/* The length word is little endian over all four bytes. */
static void test_length_bytes(void)
{
	json_t *j = json_object();
	char *big = malloc(70001);
	unsigned char *d;
	size_t n;

	memset(big, 'q', 70000);
	big[70000] = '\0';
	json_object_set_new(j, "k", json_string(big));
	/* {"k":"qqq..."} */
	if (CHECK_INT(encode(j, &d, &n), 0)) {
		uint32_t want = 70000 + 8;

		CHECK_INT(d[4], want & 0xff);
		CHECK_INT(d[5], (want >> 8) & 0xff);
		CHECK_INT(d[6], (want >> 16) & 0xff);
		CHECK_INT(d[7], 0);
		free(d);
	}
	free(big);
	json_decref(j);
}

/* Compression 0 is valid input too. */
static void test_uncompressed(void)
{
	const char *text = "{\"b\":2,\"a\":[\"\\u00e9\"]}";
	size_t n;
	unsigned char *d = make_desc(text, strlen(text), 0, &n);
	const char *why = NULL;
	json_t *j = pv_desc_decode(d, n, &why), *want = parse(text);

	CHECK(j != NULL && json_equal(j, want));
	CHECK(why == NULL);
	json_decref(j);
	json_decref(want);
	free(d);
}

/* Compression 0, as provcc writes compile records by default: the
 * header, then the canonical text itself. */
static void test_encode_uncompressed(void)
{
	json_t *j = parse("{\"b\": [1, \"\u00e9\"], \"a\": null}"), *back;
	const char *canon = "{\"a\":null,\"b\":[1,\"\\u00E9\"]}";
	unsigned char *d = NULL, *dz = NULL;
	size_t n = 0, nz = 0;
	const char *why = NULL;

	if (!CHECK_INT(pv_desc_encode(j, PV_COMPRESS_NONE, &d, &n), 0)) {
		json_decref(j);
		return;
	}
	CHECK_INT(n, PV_DESC_HEADER + strlen(canon));
	CHECK_INT(d[2], 0);
	CHECK_INT(le32(d + 4), strlen(canon));
	CHECK_MEM(d + PV_DESC_HEADER, n - PV_DESC_HEADER, canon, strlen(canon));
	back = pv_desc_decode(d, n, &why);
	CHECK(back != NULL && json_equal(back, j));
	json_decref(back);
	/* The same text either way; only byte 2 and the payload differ. */
	CHECK_INT(pv_desc_encode_text(canon, strlen(canon), PV_COMPRESS_ZLIB,
	    &dz, &nz), 0);
	back = dz ? pv_desc_decode(dz, nz, &why) : NULL;
	CHECK(back != NULL && json_equal(back, j));
	json_decref(back);
	free(dz);
	dz = NULL;
	CHECK_INT(pv_desc_encode_text(canon, strlen(canon), 7, &dz, &nz), -1);
	CHECK(dz == NULL);
	json_decref(j);
	free(d);
}

/* ---- malformed descriptors ------------------------------------------ */

static void expect_bad_at(int line, const unsigned char *d, size_t n,
    const char *what)
{
	const char *why = NULL;
	json_t *j = pv_desc_decode(d, n, &why);

	check_total++;
	if (j || !why || !why[0]) {
		check_fail(__FILE__, line, "%s: decoded%s, why %s", what,
		    j ? " to a value" : " to NULL", check_q(why));
		json_decref(j);
	}
}

#define EXPECT_BAD(d, n, what) expect_bad_at(__LINE__, (d), (n), (what))

/* The reason given for a payload that is not JSON. */
static const char *json_reason(void)
{
	size_t n;
	unsigned char *d = make_desc("not json", 8, 1, &n);
	const char *why = NULL;
	json_t *j = pv_desc_decode(d, n, &why);

	json_decref(j);
	free(d);
	return why;
}

/* A bad length must be reported as such: not by trying to parse
 * however many bytes there are as JSON. */
static void expect_bad_length_at(int line, const unsigned char *d, size_t n,
    const char *what)
{
	const char *why = NULL, *jwhy = json_reason();
	json_t *j = pv_desc_decode(d, n, &why);

	check_total++;
	if (j || !why || !why[0] || check_streq(why, jwhy)) {
		check_fail(__FILE__, line, "%s: decoded%s, why %s", what,
		    j ? " to a value" : " to NULL", check_q(why));
		json_decref(j);
	}
}

#define EXPECT_BAD_LENGTH(d, n, what) \
	expect_bad_length_at(__LINE__, (d), (n), (what))

static void test_malformed(void)
{
	json_t *j = parse("{\"language\":\"c\",\"output\":\"a.o\","
	    "\"argv\":[\"cc\",\"-c\",\"a.c\"]}");
	unsigned char *good, *d, *m;
	size_t n, mn, i;
	const char *dup = "{\"a\":1,\"a\":2}";
	const char *dup2 = "{\"x\":{\"k\":1,\"k\":1}}";
	const char *notjson[] = { "not json", "{", "{\"a\":}", "{\"a\":1} x",
		"", "{\"a\":\"\x01\"}", "{'a':1}", NULL };
	static const char nul_in_string[] = "{\"a\":\"b\0c\"}";
	const char *why;

	if (!CHECK_INT(encode(j, &good, &n), 0))
		return;
	d = malloc(n + 16);

	EXPECT_BAD(good, 0, "empty");
	EXPECT_BAD(good, 1, "1 byte");
	EXPECT_BAD(good, 7, "7 bytes");
	EXPECT_BAD(good, 8, "header only");
	EXPECT_BAD(good, 9, "header and one byte");
	EXPECT_BAD(good, n - 1, "last byte missing");
	EXPECT_BAD(good, n - 4, "adler32 missing");

	memcpy(d, good, n);
	d[0] = 0;
	EXPECT_BAD(d, n, "version 0");
	d[0] = 2;
	EXPECT_BAD(d, n, "version 2");
	d[0] = 0xff;
	EXPECT_BAD(d, n, "version 255");

	memcpy(d, good, n);
	d[1] = 0;
	EXPECT_BAD(d, n, "encoding 0");
	d[1] = 2;
	EXPECT_BAD(d, n, "encoding 2");

	memcpy(d, good, n);
	d[2] = 2;
	EXPECT_BAD(d, n, "compression 2");
	d[2] = 0xff;
	EXPECT_BAD(d, n, "compression 255");
	d[2] = 0;
	EXPECT_BAD(d, n, "zlib data labelled uncompressed");

	memcpy(d, good, n);
	d[PV_DESC_HEADER + (n - PV_DESC_HEADER) / 2] ^= 0x55;
	EXPECT_BAD(d, n, "corrupt deflate data");
	memcpy(d, good, n);
	d[n - 1] ^= 0x01;
	EXPECT_BAD(d, n, "corrupt adler32");
	memcpy(d, good, n);
	d[PV_DESC_HEADER] = 0x00;
	EXPECT_BAD(d, n, "corrupt zlib header");
	memcpy(d, good, n);
	memset(d + PV_DESC_HEADER, 0, n - PV_DESC_HEADER);
	EXPECT_BAD(d, n, "zeroed payload");

	memcpy(d, good, n);
	put_le32(d + 4, le32(good + 4) + 1);
	EXPECT_BAD_LENGTH(d, n, "length one too large");
	put_le32(d + 4, le32(good + 4) - 1);
	EXPECT_BAD_LENGTH(d, n, "length one too small");
	put_le32(d + 4, 0);
	EXPECT_BAD_LENGTH(d, n, "length 0");
	put_le32(d + 4, PV_PAYLOAD_MAX + 1);
	EXPECT_BAD_LENGTH(d, n, "length above the limit");
	put_le32(d + 4, 0xffffffffu);
	EXPECT_BAD_LENGTH(d, n, "length 4 GiB");

	/* uncompressed, length word and size disagree */
	m = make_desc("{\"a\":1}", 7, 0, &mn);
	put_le32(m + 4, 8);
	EXPECT_BAD_LENGTH(m, mn, "uncompressed, length too large");
	put_le32(m + 4, 6);
	EXPECT_BAD_LENGTH(m, mn, "uncompressed, length too small");
	put_le32(m + 4, 0xffffffffu);
	EXPECT_BAD_LENGTH(m, mn, "uncompressed, length 4 GiB");
	free(m);

	for (i = 0; notjson[i]; i++) {
		m = make_desc(notjson[i], strlen(notjson[i]), 1, &mn);
		EXPECT_BAD(m, mn, notjson[i]);
		free(m);
		m = make_desc(notjson[i], strlen(notjson[i]), 0, &mn);
		EXPECT_BAD(m, mn, notjson[i]);
		free(m);
	}
	m = make_desc(nul_in_string, sizeof(nul_in_string) - 1, 1, &mn);
	EXPECT_BAD(m, mn, "NUL byte in a string");
	free(m);

	m = make_desc(dup, strlen(dup), 1, &mn);
	EXPECT_BAD(m, mn, "duplicate key");
	free(m);
	m = make_desc(dup, strlen(dup), 0, &mn);
	EXPECT_BAD(m, mn, "duplicate key, uncompressed");
	free(m);
	m = make_desc(dup2, strlen(dup2), 1, &mn);
	EXPECT_BAD(m, mn, "nested duplicate key");
	free(m);

	/* Every truncation fails; none crashes (run under ASan to see). */
	for (i = 0; i < n; i++) {
		unsigned char *t = malloc(i ? i : 1);

		memcpy(t, good, i);
		why = NULL;
		EXPECT_BAD(t, i, "truncated");
		free(t);
	}

	/* Every single-bit flip either fails with a reason or, where the
	 * bit does not matter, decodes to the same value. */
	for (i = 0; i < n * 8; i++) {
		json_t *back;

		memcpy(d, good, n);
		d[i / 8] ^= (unsigned char)(1u << (i % 8));
		why = NULL;
		back = pv_desc_decode(d, n, &why);
		check_total++;
		if (back ? !json_equal(back, j) : (!why || !why[0]))
			check_fail(__FILE__, __LINE__,
			    "bit %zu of byte %zu flipped: %s", i % 8, i / 8,
			    back ? "decoded to another value" :
			    "no reason given");
		json_decref(back);
	}

	free(d);
	free(good);
	json_decref(j);
}

/* PV_PAYLOAD_MAX (64 MiB) bounds the uncompressed payload both ways;
 * a payload of exactly that size is still accepted. */
static void test_payload_limit(void)
{
	size_t max = PV_PAYLOAD_MAX, n;
	char *text = malloc(max + 2);
	unsigned char *d;
	const char *why = NULL;
	json_t *j, *o;

	/* "{}" padded with blanks: tiny once deflated */
	memset(text, ' ', max + 1);
	text[0] = '{';
	text[1] = '}';
	d = make_desc(text, max, 1, &n);
	j = pv_desc_decode(d, n, &why);
	CHECK(j != NULL && json_is_object(j) && json_object_size(j) == 0);
	json_decref(j);
	free(d);
	d = make_desc(text, max + 1, 1, &n);
	EXPECT_BAD_LENGTH(d, n, "payload one byte over the limit");
	free(d);

	/* {"k":"aaa..."}: 8 bytes around the string */
	memset(text, 'a', max);
	text[max - 8] = '\0';
	o = json_object();
	json_object_set_new(o, "k", json_string(text));
	if (CHECK_INT(encode(o, &d, &n), 0)) {
		CHECK_INT(le32(d + 4), max);
		free(d);
	}
	text[max - 8] = 'a';
	text[max - 7] = '\0';
	json_object_set_new(o, "k", json_string(text));
	CHECK_INT(encode(o, &d, &n), -1);
	json_decref(o);
	free(text);
}

/* Regression cases for bugs found and fixed. */
static void test_known_bugs(void)
{
	json_t *j = parse("{\"a\":1}");
	unsigned char *good, *d;
	size_t n;

	if (!CHECK_INT(encode(j, &good, &n), 0))
		return;
	d = malloc(n + 4);

	/* Fixed bug (regression case): bytes after the end of the zlib stream are ignored
	 * (uncompress() stops at the stream's end), so a descriptor
	 * with trailing garbage decodes as if it were well formed. */
	memcpy(d, good, n);
	memcpy(d + n, "JUNK", 4);
	EXPECT_BAD(d, n + 4, "trailing bytes after the zlib stream");

	/* Fixed bug (regression case): byte 3 must be zero (provcc.h) but is never checked. */
	memcpy(d, good, n);
	d[3] = 0x80;
	EXPECT_BAD(d, n, "byte 3 not zero");

	free(d);
	free(good);
	json_decref(j);
}

/* ---- ELF note layout ------------------------------------------------ */

static void test_note_build(void)
{
	static const unsigned char le[] = {
		7, 0, 0, 0,  5, 0, 0, 0,  1, 0, 0, 0,
		'p', 'r', 'o', 'v', 'c', 'c', 0, 0,
		'a', 'b', 'c', 'd', 'e', 0, 0, 0,
	};
	static const unsigned char be[] = {
		0, 0, 0, 7,  0, 0, 0, 5,  0, 0, 0, 1,
		'p', 'r', 'o', 'v', 'c', 'c', 0, 0,
		'a', 'b', 'c', 'd', 'e', 0, 0, 0,
	};
	static const unsigned char le8[] = {
		7, 0, 0, 0,  8, 0, 0, 0,  4, 3, 2, 1,
		'p', 'r', 'o', 'v', 'c', 'c', 0, 0,
		'1', '2', '3', '4', '5', '6', '7', '8',
	};
	static const unsigned char be8[] = {
		0, 0, 0, 7,  0, 0, 0, 8,  1, 2, 3, 4,
		'p', 'r', 'o', 'v', 'c', 'c', 0, 0,
		'1', '2', '3', '4', '5', '6', '7', '8',
	};
	static const unsigned char empty[] = {
		7, 0, 0, 0,  0, 0, 0, 0,  1, 0, 0, 0,
		'p', 'r', 'o', 'v', 'c', 'c', 0, 0,
	};
	unsigned char *note;
	size_t len, k, p;

	CHECK_INT(sizeof(PV_NOTE_OWNER), 7);
	CHECK_INT(PV_NT_COMPILE, 1);

	if (CHECK_INT(pv_note_build(PV_NT_COMPILE,
	    (const unsigned char *)"abcde", 5, 0, &note, &len), 0)) {
		CHECK_MEM(note, len, le, sizeof(le));
		free(note);
	}
	if (CHECK_INT(pv_note_build(PV_NT_COMPILE,
	    (const unsigned char *)"abcde", 5, 1, &note, &len), 0)) {
		CHECK_MEM(note, len, be, sizeof(be));
		free(note);
	}
	if (CHECK_INT(pv_note_build(0x01020304u,
	    (const unsigned char *)"12345678", 8, 0, &note, &len), 0)) {
		CHECK_MEM(note, len, le8, sizeof(le8));
		free(note);
	}
	if (CHECK_INT(pv_note_build(0x01020304u,
	    (const unsigned char *)"12345678", 8, 1, &note, &len), 0)) {
		CHECK_MEM(note, len, be8, sizeof(be8));
		free(note);
	}
	if (CHECK_INT(pv_note_build(PV_NT_COMPILE, (const unsigned char *)"",
	    0, 0, &note, &len), 0)) {
		CHECK_MEM(note, len, empty, sizeof(empty));
		free(note);
	}
	/* every descriptor length pads to a multiple of 4 with zeros */
	for (k = 0; k <= 9; k++) {
		unsigned char desc[9];

		memset(desc, 0xee, sizeof(desc));
		if (!CHECK_INT(pv_note_build(PV_NT_COMPILE, desc, k, 0, &note,
		    &len), 0))
			continue;
		CHECK_INT(len, 20 + ((k + 3) & ~(size_t)3));
		CHECK_INT(le32(note + 4), k);
		CHECK(memcmp(note + 20, desc, k) == 0);
		for (p = 20 + k; p < len; p++)
			CHECK_INT(note[p], 0);
		free(note);
	}
}

/* A note around a real descriptor gives the descriptor back. */
static void test_note_with_descriptor(void)
{
	json_t *j = parse("{\"source\":{\"path\":\"a.c\"}}"), *back;
	unsigned char *d, *note;
	size_t n, len;
	const char *why = NULL;

	if (!CHECK_INT(encode(j, &d, &n), 0))
		return;
	if (CHECK_INT(pv_note_build(PV_NT_COMPILE, d, n, 0, &note, &len), 0)) {
		CHECK_INT(len % 4, 0);
		CHECK_INT(le32(note), 7);
		CHECK_INT(le32(note + 4), n);
		CHECK_INT(le32(note + 8), PV_NT_COMPILE);
		CHECK(memcmp(note + 12, "provcc", 7) == 0);
		back = pv_desc_decode(note + 20, le32(note + 4), &why);
		CHECK(back != NULL && json_equal(back, j));
		json_decref(back);
		free(note);
	}
	free(d);
	json_decref(j);
}

/* ---- compile records --------------------------------------------- */

#define SHA_A "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA_B "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA_C "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"

static char *xdup(const char *s)
{
	return strdup(s);
}

static void fill_record(struct pv_record *r)
{
	static const char *const argv[] = {
		"gcc", "-DMSG=\"h\xc3\xa9llo \xe2\x9c\x93\"", "-I${PROVCC_ROOT}/inc",
		"-c", "src/a.c", "-o", "a.o", "@args.rsp",
	};
	size_t i;

	memset(r, 0, sizeof(*r));
	r->language = xdup("c");
	r->source.path = xdup("src/a.c");
	strcpy(r->source.sha256, SHA_A);
	r->output = xdup("a.o");
	r->cwd = xdup("${PROVCC_ROOT}/build");
	r->argc = sizeof(argv) / sizeof(argv[0]);
	r->argv = calloc(r->argc + 1, sizeof(char *));
	for (i = 0; i < r->argc; i++)
		r->argv[i] = xdup(argv[i]);
	pv_filelist_add(&r->response_files, "args.rsp", SHA_B);
	pv_filelist_add(&r->inputs, "/usr/include/stdio.h", SHA_B);
	pv_filelist_add(&r->inputs, "inc/caf\xc3\xa9.h", SHA_C);
	r->header_method = xdup("depfile");
	r->driver.path = xdup("/usr/bin/gcc-12");
	strcpy(r->driver.sha256, SHA_C);
	r->version = xdup("gcc (Debian 12.2.0-14+deb12u1) 12.2.0");
	r->target = xdup("x86_64-linux-gnu");
	pv_filelist_add(&r->programs, "/usr/lib/gcc/x86_64-linux-gnu/12/cc1",
	    SHA_A);
	pv_filelist_add(&r->programs, "/usr/bin/as", SHA_B);
	r->nenv = 2;
	r->env = calloc(3, sizeof(*r->env));
	r->env[0].name = xdup("LANG");
	r->env[0].value = xdup("C.UTF-8");
	r->env[1].name = xdup("SOURCE_DATE_EPOCH");
	r->env[1].value = xdup("1700000000");
}

static void check_filelist_at(int line, const struct pv_filelist *got,
    const struct pv_filelist *want)
{
	size_t i;

	if (!CHECK_INT_AT(__FILE__, line, got->n, want->n))
		return;
	for (i = 0; i < got->n; i++) {
		CHECK_STR_AT(__FILE__, line, got->v[i].path, want->v[i].path);
		CHECK_STR_AT(__FILE__, line, got->v[i].sha256,
		    want->v[i].sha256);
	}
}

#define CHECK_FILELIST(got, want) check_filelist_at(__LINE__, (got), (want))

static const char *env_value(const struct pv_record *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nenv; i++)
		if (strcmp(r->env[i].name, name) == 0)
			return r->env[i].value;
	return NULL;
}

static void compare_records(const struct pv_record *g,
    const struct pv_record *w)
{
	size_t i;

	CHECK_STR(g->language, w->language);
	CHECK_STR(g->source.path, w->source.path);
	CHECK_STR(g->source.sha256, w->source.sha256);
	CHECK_STR(g->output, w->output);
	CHECK_STR(g->cwd, w->cwd);
	if (CHECK_INT(g->argc, w->argc))
		for (i = 0; i < g->argc; i++)
			CHECK_STR(g->argv[i], w->argv[i]);
	CHECK_FILELIST(&g->response_files, &w->response_files);
	CHECK_FILELIST(&g->inputs, &w->inputs);
	CHECK_STR(g->header_method, w->header_method);
	CHECK_STR(g->driver.path, w->driver.path);
	CHECK_STR(g->driver.sha256, w->driver.sha256);
	CHECK_STR(g->version, w->version);
	CHECK_STR(g->target, w->target);
	CHECK_FILELIST(&g->programs, &w->programs);
	if (CHECK_INT(g->nenv, w->nenv))
		for (i = 0; i < w->nenv; i++)
			CHECK_STR(env_value(g, w->env[i].name),
			    w->env[i].value);
}

static void test_record_members(void)
{
	static const char *const top[] = {
		"argv", "cwd", "env", "headerMethod", "inputs", "language",
		"output", "responseFiles", "source", "toolchain", "version",
	};
	static const char *const tool[] = {
		"driver", "programs", "target", "version",
	};
	struct pv_record r;
	json_t *j, *t;
	size_t i;

	fill_record(&r);
	j = pv_record_to_json(&r);
	if (!CHECK(json_is_object(j))) {
		pv_record_free(&r);
		return;
	}
	CHECK_INT(json_object_size(j), sizeof(top) / sizeof(top[0]));
	for (i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		CHECK_AT(__FILE__, __LINE__, json_object_get(j, top[i]) != NULL);
	CHECK_INT(json_integer_value(json_object_get(j, "version")), 1);
	CHECK(json_is_integer(json_object_get(j, "version")));
	t = json_object_get(j, "toolchain");
	CHECK_INT(json_object_size(t), sizeof(tool) / sizeof(tool[0]));
	for (i = 0; i < sizeof(tool) / sizeof(tool[0]); i++)
		CHECK(json_object_get(t, tool[i]) != NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(j,
	    "source"), "sha256")), SHA_A);
	CHECK_INT(json_array_size(json_object_get(j, "argv")), r.argc);
	CHECK_STR(json_string_value(json_object_get(json_object_get(j,
	    "env"), "LANG")), "C.UTF-8");
	json_decref(j);
	pv_record_free(&r);
	CHECK(r.language == NULL && r.argv == NULL && r.env == NULL);
}

/* Record -> JSON -> descriptor -> JSON -> record, unchanged. */
static void test_record_roundtrip(void)
{
	struct pv_record r, back;
	json_t *j, *j2, *j3;
	unsigned char *d;
	size_t n;
	const char *why = NULL;

	fill_record(&r);
	j = pv_record_to_json(&r);
	if (!CHECK(j != NULL) || !CHECK_INT(encode(j, &d, &n), 0)) {
		json_decref(j);
		pv_record_free(&r);
		return;
	}
	j2 = pv_desc_decode(d, n, &why);
	CHECK(j2 != NULL && json_equal(j, j2));
	if (CHECK_INT(pv_record_from_json(j2, &back), 0)) {
		compare_records(&back, &r);
		j3 = pv_record_to_json(&back);
		CHECK(j3 != NULL && json_equal(j3, j));
		json_decref(j3);
		pv_record_free(&back);
	}
	json_decref(j2);
	json_decref(j);
	free(d);
	pv_record_free(&r);
}

/* Empty lists, no environment, no arguments. */
static void test_record_empty_lists(void)
{
	struct pv_record r, back;
	json_t *j, *j2;

	memset(&r, 0, sizeof(r));
	r.language = xdup("assembler");
	r.source.path = xdup("start.s");
	strcpy(r.source.sha256, SHA_A);
	r.output = xdup("start.o");
	r.cwd = xdup("/");
	r.header_method = xdup("trace");
	r.driver.path = xdup("/usr/bin/cc");
	strcpy(r.driver.sha256, SHA_B);
	j = pv_record_to_json(&r);
	if (!CHECK(j != NULL)) {
		pv_record_free(&r);
		return;
	}
	/* a missing version and target become "" */
	CHECK_STR(json_string_value(json_object_get(json_object_get(j,
	    "toolchain"), "version")), "");
	if (CHECK_INT(pv_record_from_json(j, &back), 0)) {
		CHECK_INT(back.argc, 0);
		CHECK_INT(back.nenv, 0);
		CHECK_INT(back.inputs.n, 0);
		CHECK_INT(back.programs.n, 0);
		CHECK_STR(back.version, "");
		CHECK_STR(back.target, "");
		CHECK_STR(back.language, "assembler");
		j2 = pv_record_to_json(&back);
		CHECK(j2 != NULL && json_equal(j2, j));
		json_decref(j2);
		pv_record_free(&back);
	}
	json_decref(j);
	pv_record_free(&r);
}

struct mutation {
	int line;
	const char *parent;	/* NULL: top level; else a member name */
	const char *member;
	const char *value;	/* NULL: delete; else JSON to put instead */
};

#define MUT(parent, member, value) { __LINE__, parent, member, value }

static const struct mutation mutations[] = {
	/* missing */
	MUT(NULL, "version", NULL),
	MUT(NULL, "language", NULL),
	MUT(NULL, "source", NULL),
	MUT(NULL, "output", NULL),
	MUT(NULL, "cwd", NULL),
	MUT(NULL, "argv", NULL),
	MUT(NULL, "responseFiles", NULL),
	MUT(NULL, "inputs", NULL),
	MUT(NULL, "headerMethod", NULL),
	MUT(NULL, "toolchain", NULL),
	MUT(NULL, "env", NULL),
	MUT("source", "path", NULL),
	MUT("source", "sha256", NULL),
	MUT("toolchain", "driver", NULL),
	MUT("toolchain", "version", NULL),
	MUT("toolchain", "target", NULL),
	MUT("toolchain", "programs", NULL),
	/* mistyped */
	MUT(NULL, "version", "\"1\""),
	MUT(NULL, "version", "2"),
	MUT(NULL, "version", "0"),
	MUT(NULL, "version", "1.0"),
	MUT(NULL, "language", "1"),
	MUT(NULL, "language", "null"),
	MUT(NULL, "output", "[\"a.o\"]"),
	MUT(NULL, "cwd", "{}"),
	MUT(NULL, "headerMethod", "false"),
	MUT(NULL, "argv", "\"gcc -c a.c\""),
	MUT(NULL, "argv", "[\"gcc\",3]"),
	MUT(NULL, "argv", "[\"gcc\",null]"),
	MUT(NULL, "env", "[]"),
	MUT(NULL, "env", "{\"LANG\":1}"),
	MUT(NULL, "source", "\"src/a.c\""),
	MUT(NULL, "source", "{\"path\":\"a.c\",\"sha256\":\"abc\"}"),
	MUT(NULL, "source", "{\"path\":\"a.c\",\"sha256\":\""
	    SHA_A "0\"}"),
	MUT(NULL, "source", "{\"path\":1,\"sha256\":\"" SHA_A "\"}"),
	MUT(NULL, "inputs", "{}"),
	MUT(NULL, "inputs", "[{\"path\":\"a.h\"}]"),
	MUT(NULL, "inputs", "[\"a.h\"]"),
	MUT(NULL, "responseFiles", "[{\"sha256\":\"" SHA_A "\"}]"),
	MUT(NULL, "toolchain", "[]"),
	MUT("toolchain", "driver", "\"/usr/bin/gcc\""),
	MUT("toolchain", "version", "12"),
	MUT("toolchain", "target", "null"),
	MUT("toolchain", "programs", "{}"),
	MUT("toolchain", "programs", "[{\"path\":\"cc1\",\"sha256\":1}]"),
};

static void test_record_rejects(void)
{
	struct pv_record r, back;
	json_t *good;
	size_t i;

	fill_record(&r);
	good = pv_record_to_json(&r);
	pv_record_free(&r);
	if (!CHECK(good != NULL))
		return;
	/* the unmutated record is accepted */
	if (CHECK_INT(pv_record_from_json(good, &back), 0))
		pv_record_free(&back);

	for (i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
		const struct mutation *m = &mutations[i];
		json_t *j = json_deep_copy(good);
		json_t *o = m->parent ? json_object_get(j, m->parent) : j;

		if (m->value)
			json_object_set_new(o, m->member, parse(m->value));
		else
			json_object_del(o, m->member);
		memset(&back, 0x5a, sizeof(back));
		if (!CHECK_INT_AT(__FILE__, m->line,
		    pv_record_from_json(j, &back), -1))
			pv_record_free(&back);
		json_decref(j);
	}

	/* not an object at all */
	{
		json_t *a = json_array(), *s = json_string("record");

		CHECK_INT(pv_record_from_json(a, &back), -1);
		CHECK_INT(pv_record_from_json(s, &back), -1);
		CHECK_INT(pv_record_from_json(NULL, &back), -1);
		json_decref(a);
		json_decref(s);
	}
	json_decref(good);
}

/* pv_filelist_sort_unique: sorted by path, exact duplicates dropped. */
static void test_filelist_sort_unique(void)
{
	struct pv_filelist l = { 0 };

	pv_filelist_sort_unique(&l);
	CHECK_INT(l.n, 0);
	pv_filelist_add(&l, "b.h", SHA_A);
	pv_filelist_add(&l, "a.h", SHA_B);
	pv_filelist_add(&l, "b.h", SHA_A);
	pv_filelist_add(&l, "/usr/include/z.h", SHA_C);
	pv_filelist_add(&l, "a.h", SHA_A);
	pv_filelist_add(&l, "b.h", SHA_A);
	pv_filelist_sort_unique(&l);
	if (CHECK_INT(l.n, 4)) {
		CHECK_STR(l.v[0].path, "/usr/include/z.h");
		/* same path: ordered by hash ("9f86..." < "e3b0...") */
		CHECK_STR(l.v[1].path, "a.h");
		CHECK_STR(l.v[1].sha256, SHA_B);
		CHECK_STR(l.v[2].path, "a.h");
		CHECK_STR(l.v[2].sha256, SHA_A);
		CHECK_STR(l.v[3].path, "b.h");
	}
	pv_filelist_free(&l);
	CHECK(l.v == NULL && l.n == 0);
}

/* pv_record_to_ascii_json must write exactly what jansson writes for
 * pv_record_to_json with the note's flags, and give up (NULL) on any
 * non-ASCII byte. */
static char *jansson_text(const struct pv_record *r)
{
	json_t *j = pv_record_to_json(r);
	char *t = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENSURE_ASCII) : NULL;

	json_decref(j);
	return t;
}

static void ascii_record(struct pv_record *r, const char *odd)
{
	struct pv_envvar tmp;

	fill_record(r);
	free(r->argv[1]);
	r->argv[1] = xdup(odd);
	free(r->inputs.v[1].path);
	r->inputs.v[1].path = xdup(odd);
	free(r->env[0].value);
	r->env[0].value = xdup(odd);
	/* out of order, so that the writer must sort them */
	tmp = r->env[0];
	r->env[0] = r->env[1];
	r->env[1] = tmp;
}

static void test_ascii_json_same_bytes(void)
{
	static const char *const odd[] = {
		"plain", "", "q\"uote", "back\\slash", "/sl/ash/",
		"\b\f\n\r\t", "\x01\x02\x1f\x7f", "\x1b[0m", "a b\tc",
		"-DX=\"\\\"y\\\"\"", "${PROVCC_ROOT}/x", "{}[]:,",
	};
	struct pv_record r;
	size_t i;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		char *fast, *slow;

		ascii_record(&r, odd[i]);
		fast = pv_record_to_ascii_json(&r);
		slow = jansson_text(&r);
		CHECK_STR(fast, slow);
		free(fast);
		free(slow);
		free(r.launcher.path);
		r.launcher.path = xdup(odd[i]);
		strcpy(r.launcher.sha256, SHA_B);
		r.version[0] = '\0';
		fast = pv_record_to_ascii_json(&r);
		slow = jansson_text(&r);
		CHECK_STR(fast, slow);
		free(fast);
		free(slow);
		pv_record_free(&r);
	}
	/* fill_record's own strings are not all ASCII: jansson's part. */
	fill_record(&r);
	CHECK(pv_record_to_ascii_json(&r) == NULL);
	pv_record_free(&r);
	ascii_record(&r, "x");
	free(r.inputs.v[0].path);
	r.inputs.v[0].path = xdup("\xff");	/* not even UTF-8 */
	CHECK(pv_record_to_ascii_json(&r) == NULL);
	pv_record_free(&r);
	/* Empty lists, no environment, no version or target. */
	ascii_record(&r, "x");
	pv_filelist_free(&r.inputs);
	pv_filelist_free(&r.response_files);
	pv_filelist_free(&r.programs);
	free(r.version);
	free(r.target);
	r.version = r.target = NULL;
	for (i = 0; i < r.nenv; i++) {
		free(r.env[i].name);
		free(r.env[i].value);
	}
	r.nenv = 0;
	{
		char *fast = pv_record_to_ascii_json(&r);
		char *slow = jansson_text(&r);

		CHECK_STR(fast, slow);
		free(fast);
		free(slow);
	}
	pv_record_free(&r);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(roundtrip_texts) / sizeof(roundtrip_texts[0]);
	    i++)
		test_roundtrip_text(roundtrip_texts[i]);
	test_roundtrip_large();
	test_deterministic();
	test_header_and_payload();
	test_length_bytes();
	test_uncompressed();
	test_encode_uncompressed();
	test_malformed();
	test_payload_limit();
	test_known_bugs();
	test_note_build();
	test_note_with_descriptor();
	test_record_members();
	test_record_roundtrip();
	test_record_empty_lists();
	test_record_rejects();
	test_filelist_sort_unique();
	test_ascii_json_same_bytes();
	return check_finish();
}
