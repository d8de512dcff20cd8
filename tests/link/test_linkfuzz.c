/* test_linkfuzz.c SIGNED KEY PUB - damage a signed linked file in memory
 * and check that verification never crashes (run it under ASan) and
 * never passes once a digested byte changed: truncations, bit flips in
 * the note, in the program headers, in the ELF header and anywhere;
 * signing the damaged images must not crash either.  Also the compact
 * record expansion of linkpred.c on broken indices.
 */
#include "check.h"
#include "elfdigest.h"
#include "linkpred.h"
#include "linksign.h"
#include "util.h"

#include <stdint.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static const struct pv_key *pub, *priv;

static enum pv_link_status verify(const unsigned char *img, size_t len)
{
	struct pv_link_check c;
	enum pv_link_status st = pv_link_verify_mem(img, len, pub, &c);
	char *env;
	const char *why;

	/* Whatever was decoded must be printable without a crash. */
	env = pv_link_envelope(&c, &why);
	free(env);
	pv_link_check_free(&c);
	return st;
}

static void try_sign(const unsigned char *img, size_t len)
{
	unsigned char *copy = pv_xmalloc(len + 1);
	const char *why;

	memcpy(copy, img, len);
	/* A failure leaves the image as it was. */
	if (pv_link_sign_mem(copy, len, priv, &why) != PV_LINK_OK)
		CHECK(memcmp(copy, img, len) == 0);
	free(copy);
}

/* The end of the last segment's file bytes: cutting the file shorter
 * loses digested bytes; cutting only section headers or debug
 * information off is what strip does, and may verify. */
static size_t segments_end(const unsigned char *img, size_t phoff,
    size_t phnum)
{
	uint64_t off, size, end = 0;
	size_t i;

	for (i = 0; i < phnum; i++) {
		memcpy(&off, img + phoff + i * 56 + 8, 8);
		memcpy(&size, img + phoff + i * 56 + 32, 8);
		if (off + size > end)
			end = off + size;
	}
	return (size_t)end;
}

static void truncations(const unsigned char *img, size_t len, size_t end)
{
	size_t n;

	for (n = 0; n < len; n += n < 4096 ? 1 : 509) {
		if (n < end)
			CHECK(verify(img, n) != PV_LINK_OK);
		else
			verify(img, n);
		if (n % 64 == 0)
			try_sign(img, n);
	}
}

/* Flip a random bit of [off, off + span), COUNT times; MUST says the
 * byte is digested, so the result may not verify. */
static void flips(const unsigned char *img, size_t len, size_t off,
    size_t span, int must, int count)
{
	unsigned char *m = pv_xmalloc(len);
	int i;

	for (i = 0; i < count && span > 0; i++) {
		size_t at = off + next() % span;

		memcpy(m, img, len);
		m[at] ^= (unsigned char)(1u << (next() % 8));
		if (must)
			CHECK(verify(m, len) != PV_LINK_OK);
		else
			verify(m, len);
		if (i % 16 == 0)
			try_sign(m, len);
	}
	free(m);
}

static void expansion(void)
{
	static const char *bad[] = {
		"{\"files\":[],\"compiles\":[{\"source\":0}]}",
		"{\"files\":[{\"path\":\"a\"}],\"compiles\":[{\"source\":0}]}",
		"{\"files\":[1],\"compiles\":[1]}",
		"{\"files\":{},\"compiles\":[]}",
		"{\"compiles\":[]}",
		"[]",
	};
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *j = json_loads(bad[i], 0, NULL), *x;

		CHECK(j != NULL);
		x = pv_linkpred_expand(j, &why);
		CHECK(x == NULL);
		json_decref(x);
		json_decref(j);
	}
}

int main(int argc, char **argv)
{
	unsigned char *img;
	struct pv_byte_range d;
	struct pv_key *k1, *k2;
	const char *why;
	size_t len, phoff, phsize;

	if (argc != 4 || pv_read_file(argv[1], &img, &len) < 0) {
		fprintf(stderr, "usage: test_linkfuzz SIGNED KEY PUB\n");
		return 2;
	}
	k1 = pv_key_load_private(argv[2], &why);
	k2 = pv_key_load_public(argv[3], &why);
	if (!k1 || !k2 || pv_elf_find_note_mem(img, len, PV_NT_LINK, &d,
	    &why) != 1 || img[4] != 2 || img[5] != 1) {
		fprintf(stderr, "test_linkfuzz: need a signed ELF64 LE file\n");
		return 2;
	}
	priv = k1;
	pub = k2;
	CHECK(verify(img, len) == PV_LINK_OK);
	memcpy(&phoff, img + 32, 8);
	phsize = (size_t)(img[56] | img[57] << 8) * 56;
	truncations(img, len, segments_end(img, phoff, phsize / 56));
	flips(img, len, d.off, d.len, 1, 3000);		/* descriptor */
	flips(img, len, phoff, phsize, 1, 2000);	/* program headers */
	flips(img, len, 16, 8, 1, 200);		/* e_type .. e_version */
	flips(img, len, 0, len, 0, 3000);		/* anywhere */
	expansion();
	free(img);
	pv_key_free(k1);
	pv_key_free(k2);
	return check_finish();
}
