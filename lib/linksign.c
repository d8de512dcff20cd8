/* linksign.c - sign and verify the link note; see linksign.h. */
#define _DEFAULT_SOURCE	/* realpath */
#include "linksign.h"
#include "dsse.h"
#include "elfdigest.h"
#include "util.h"

#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_elf(const unsigned char *img, size_t len)
{
	return len >= 18 && memcmp(img, "\177ELF", 4) == 0;
}

/* e_type says ET_REL: an object, which has no link note to look for
 * (and no program headers for the digest to refuse). */
static int is_object(const unsigned char *img)
{
	unsigned type = img[5] == ELFDATA2MSB ? img[16] << 8 | img[17] :
	    img[17] << 8 | img[16];

	return type == ET_REL;
}

/* The binary key id of KEY: sign.h gives it in hex. */
static void key_id_bin(const struct pv_key *key,
    unsigned char out[PV_SHA256_LEN])
{
	const char *hex = pv_key_id(key);
	unsigned v;
	size_t i;

	for (i = 0; i < PV_SHA256_LEN; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			v = 0;	/* cannot happen: sign.c writes 64 digits */
		out[i] = (unsigned char)v;
	}
}

/* The statement with DIGEST, signed or to be signed, as DSSE's PAE. */
static unsigned char *statement_pae(const struct pv_linknote *n,
    const unsigned char digest[PV_SHA256_LEN], size_t *paelen)
{
	char *st = pv_linknote_statement(n, digest);
	unsigned char *pae;

	pae = pv_dsse_pae(PV_PAYLOAD_TYPE, st, n->statement_len, paelen);
	free(st);
	return pae;
}

/* Find and decode the link note.  *desc is its descriptor's range. */
static enum pv_link_status find_link_note(const unsigned char *img,
    size_t len, struct pv_byte_range *desc, struct pv_linknote *n,
    const char **why)
{
	int rc;

	memset(n, 0, sizeof(*n));
	if (!is_elf(img, len)) {
		*why = "not an ELF file";
		return PV_LINK_UNREADABLE;
	}
	if (is_object(img)) {
		*why = "a relocatable object, not a linked ELF file";
		return PV_LINK_UNREADABLE;
	}
	rc = pv_elf_find_note_mem(img, len, PV_NT_LINK, desc, why);
	if (rc < 0)
		return PV_LINK_MALFORMED;
	if (rc == 0) {
		*why = "no provenance note (" PV_LINK_SECTION ")";
		return PV_LINK_NOPROV;
	}
	/* find_note put the descriptor inside the file. */
	if (pv_linknote_decode(img + desc->off, (size_t)desc->len, n, why) < 0)
		return PV_LINK_MALFORMED;
	return PV_LINK_OK;
}

/* The digest of the image with the slot of the descriptor at DESC read
 * as zero: what the signature covers. */
static int slot_digest(const unsigned char *img, size_t len,
    const struct pv_byte_range *desc, unsigned char out[PV_SHA256_LEN],
    const char **why)
{
	struct pv_byte_range slot = {
		desc->off + PV_LINK_SLOT_OFF, PV_LINK_SLOT_LEN
	};

	return pv_elf_digest_mem(img, len, &slot, 1, out, why);
}

/* Bytes strip would rewrite are not covered by any section; a
 * signature over them would break on the first strip. */
static int check_strip_hazard(const unsigned char *img, size_t len,
    const char **why)
{
	static char msg[160];
	uint64_t count, first;

	if (pv_elf_strip_hazard_mem(img, len, &count, &first, why) < 0)
		return -1;
	if (count == 0)
		return 0;
	snprintf(msg, sizeof(msg), "%llu non-zero bytes outside every "
	    "section (first at offset %llu) would not survive strip",
	    (unsigned long long)count, (unsigned long long)first);
	*why = msg;
	return -1;
}

/* Steps 4 to 6 of signing, the header already in place: digest with
 * the slot zeroed, signature of the statement holding that digest,
 * both into the slot. */
static enum pv_link_status fill_slot(unsigned char *img, size_t len,
    const struct pv_byte_range *desc, const struct pv_linknote *n,
    const struct pv_key *key, const char **why)
{
	unsigned char digest[PV_SHA256_LEN], sig[PV_SIG_LEN], *pae;
	unsigned char *d = img + desc->off;
	size_t paelen;
	int rc;

	if (slot_digest(img, len, desc, digest, why) < 0)
		return PV_LINK_MALFORMED;
	pae = statement_pae(n, digest, &paelen);
	rc = pv_sign(key, pae, paelen, sig, why);
	free(pae);
	if (rc < 0)
		return PV_LINK_FAILED;
	memcpy(d + PV_LINK_SLOT_OFF, digest, PV_SHA256_LEN);
	memcpy(d + PV_LINK_SIG_OFF, sig, PV_SIG_LEN);
	return PV_LINK_OK;
}

enum pv_link_status pv_link_sign_mem(unsigned char *img, size_t len,
    const struct pv_key *key, const char **why)
{
	unsigned char saved[PV_LINK_HEADER], *d;
	struct pv_byte_range desc;
	struct pv_linknote n;
	enum pv_link_status st;

	if (!pv_key_is_private(key)) {
		*why = "not a private key";
		return PV_LINK_FAILED;
	}
	st = find_link_note(img, len, &desc, &n, why);
	if (st != PV_LINK_OK)
		return st;
	if (check_strip_hazard(img, len, why) < 0) {
		pv_linknote_free(&n);
		return PV_LINK_FAILED;
	}
	/* The key id and algorithm are digested: set them first.  A
	 * failure puts the old header back, so the image is unchanged. */
	d = img + desc.off;
	memcpy(saved, d, PV_LINK_HEADER);
	d[2] = (unsigned char)pv_sigalg_of(pv_key_type(key));
	key_id_bin(key, d + PV_LINK_KEYID_OFF);
	memset(d + PV_LINK_SLOT_OFF, 0, PV_LINK_SLOT_LEN);
	st = fill_slot(img, len, &desc, &n, key, why);
	if (st != PV_LINK_OK)
		memcpy(d, saved, PV_LINK_HEADER);
	pv_linknote_free(&n);
	return st;
}

enum pv_link_status pv_link_sign_file(const char *path,
    const struct pv_key *key, const char **why)
{
	enum pv_link_status st = PV_LINK_UNREADABLE;
	unsigned char *img = NULL;
	char *real = realpath(path, NULL);
	struct stat sb;
	size_t len;

	/* Write to the target of a symbolic link, not over the link. */
	if (!real || stat(real, &sb) < 0 ||
	    pv_read_file(real, &img, &len) < 0) {
		*why = strerror(errno);
		goto out;
	}
	st = pv_link_sign_mem(img, len, key, why);
	if (st == PV_LINK_OK && pv_write_file_atomic(real, img, len,
	    sb.st_mode & 07777) < 0) {
		*why = strerror(errno);
		st = PV_LINK_FAILED;
	}
out:
	free(img);
	free(real);
	return st;
}

static enum pv_link_status set_status(struct pv_link_check *c,
    enum pv_link_status st, const char *why)
{
	c->status = st;
	c->why = why;
	return st;
}

/* Steps 4 and 5 of verifying: the note names KEY, and KEY signed it. */
static enum pv_link_status check_key(struct pv_link_check *c,
    const struct pv_key *key)
{
	unsigned char id[PV_SHA256_LEN], *pae;
	enum pv_key_type type;
	const char *why;
	size_t paelen;
	int rc;

	key_id_bin(key, id);
	if (memcmp(id, c->note.keyid, PV_SHA256_LEN) != 0) {
		snprintf(c->reason, sizeof(c->reason),
		    "signed by another key (keyid %.16s...)", c->keyid);
		return set_status(c, PV_LINK_BADSIG, c->reason);
	}
	if (pv_sigalg_key_type(c->note.sigalg, &type) < 0 ||
	    type != pv_key_type(key))
		return set_status(c, PV_LINK_BADSIG,
		    "signature algorithm does not match the key");
	pae = statement_pae(&c->note, c->digest, &paelen);
	rc = pv_verify(key, pae, paelen, c->note.sig, PV_SIG_LEN, &why);
	free(pae);
	if (rc < 0)
		return set_status(c, PV_LINK_BADSIG, "bad signature");
	return set_status(c, PV_LINK_OK, "signature verified");
}

enum pv_link_status pv_link_verify_mem(const void *img, size_t len,
    const struct pv_key *key, struct pv_link_check *c)
{
	struct pv_byte_range desc;
	enum pv_link_status st;
	const char *why = NULL;

	memset(c, 0, sizeof(*c));
	st = find_link_note(img, len, &desc, &c->note, &why);
	if (st != PV_LINK_OK)
		return set_status(c, st, why);
	c->have_note = 1;
	pv_hex(c->note.keyid, PV_SHA256_LEN, c->keyid);
	/* The digest of an unsigned file too, for show. */
	c->have_digest = slot_digest(img, len, &desc, c->digest, &why) == 0;
	if (c->note.sigalg == PV_SIGALG_NONE)
		return set_status(c, PV_LINK_UNSIGNED, "not signed");
	if (!c->have_digest)
		return set_status(c, PV_LINK_MALFORMED, why);
	if (memcmp(c->digest, c->note.digest, PV_SHA256_LEN) != 0)
		return set_status(c, PV_LINK_CHANGED,
		    "content changed since signing");
	if (!key)
		return set_status(c, PV_LINK_OK, "signature not checked");
	return check_key(c, key);
}

enum pv_link_status pv_link_verify_file(const char *path,
    const struct pv_key *key, struct pv_link_check *c)
{
	enum pv_link_status st;
	unsigned char *img;
	size_t len;

	if (pv_read_file(path, &img, &len) < 0) {
		memset(c, 0, sizeof(*c));
		snprintf(c->reason, sizeof(c->reason), "cannot read: %s",
		    strerror(errno));
		return set_status(c, PV_LINK_UNREADABLE, c->reason);
	}
	st = pv_link_verify_mem(img, len, key, c);
	free(img);
	return st;
}

void pv_link_check_free(struct pv_link_check *c)
{
	pv_linknote_free(&c->note);
	c->have_note = 0;
}

char *pv_link_payload(const struct pv_link_check *c)
{
	return pv_linknote_statement(&c->note, c->digest);
}

char *pv_link_envelope(const struct pv_link_check *c, const char **why)
{
	struct pv_dsse_sig sig;
	struct pv_dsse env;
	char *text;

	if (!c->have_note || c->note.sigalg == PV_SIGALG_NONE) {
		*why = "the note is not signed";
		return NULL;
	}
	/* What was signed: the stored digest, not the file's. */
	env.payload_type = (char *)PV_PAYLOAD_TYPE;
	env.payload = (unsigned char *)pv_linknote_statement(&c->note,
	    c->note.digest);
	env.payload_len = c->note.statement_len;
	sig.keyid = (char *)c->keyid;
	sig.sig = (unsigned char *)c->note.sig;
	sig.siglen = PV_SIG_LEN;
	env.sigs = &sig;
	env.nsigs = 1;
	text = pv_dsse_dump(&env);
	free(env.payload);
	if (!text)
		*why = "cannot serialise the envelope";
	return text;
}

const char *pv_sigalg_name(unsigned sigalg)
{
	enum pv_key_type type;

	if (pv_sigalg_key_type(sigalg, &type) < 0)
		return "none";
	return pv_key_type_name(type);
}
