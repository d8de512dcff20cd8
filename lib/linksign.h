/* linksign.h - sign and verify the link note of a linked ELF file.
 *
 * Signing (docs/verify.md has the protocol for auditors):
 *   1. find the one link note (elfdigest.h) and decode it (linknote.h);
 *   2. set its sigalg and key id, zero its slot;
 *   3. refuse when strip would change digested bytes (strip hazard);
 *   4. D = the ELF digest with the slot read as zero;
 *   5. sig = sign(PAE("application/vnd.in-toto+json", statement with D));
 *   6. write D and sig into the slot.
 * Only descriptor bytes 2 and [16, 144) change.
 *
 * Verifying undoes it: decode, recompute D with the slot zeroed, compare
 * with the stored digest (CHANGED when they differ: the loaded content
 * or program headers changed since signing), then check key id, algorithm
 * and signature against the caller's public key (BADSIG).
 *
 * The digest is compared before the signature so that a stripped or
 * patched file is told apart from one signed by another key; both fail.
 */
#ifndef PROVCC_LINKSIGN_H
#define PROVCC_LINKSIGN_H

#include <stddef.h>

#include "hash.h"
#include "linknote.h"
#include "sign.h"

enum pv_link_status {
	PV_LINK_OK,		/* signed, digest matches (and key, if given) */
	PV_LINK_BADSIG,		/* wrong signature, key or algorithm */
	PV_LINK_UNREADABLE,	/* cannot be read, or not an ELF file */
	PV_LINK_MALFORMED,	/* ELF or link note refused */
	PV_LINK_NOPROV,		/* no link note */
	PV_LINK_UNSIGNED,	/* a link note, never signed */
	PV_LINK_CHANGED,	/* digest differs from the signed one */
	PV_LINK_FAILED,		/* sign: could not sign or write */
};

/* What was found in a file.  NOTE is decoded when HAVE_NOTE is set;
 * DIGEST is the file's digest with the slot zeroed when HAVE_DIGEST. */
struct pv_link_check {
	enum pv_link_status status;
	const char *why;	/* static, or REASON */
	char reason[160];
	int have_note, have_digest;
	struct pv_linknote note;
	unsigned char digest[PV_SHA256_LEN];
	char keyid[PV_KEYID_LEN];	/* hex of note.keyid */
};

/* Sign the image (LEN bytes at IMG, changed in place) or the file at
 * PATH with private KEY.  The file keeps its permission bits; a
 * symbolic link's target is signed.  Returns PV_LINK_OK, or another
 * status (UNREADABLE, MALFORMED, NOPROV, FAILED) with a reason; the
 * image or file is then unchanged. */
enum pv_link_status pv_link_sign_mem(unsigned char *img, size_t len,
    const struct pv_key *key, const char **why);
enum pv_link_status pv_link_sign_file(const char *path,
    const struct pv_key *key, const char **why);

/* Check the image or file.  With KEY, the full verification; without
 * (NULL), the signature is NOT checked: PV_LINK_OK then only means
 * "signed, and the digest matches", for display.  C is filled in either
 * way and must be released with pv_link_check_free. */
enum pv_link_status pv_link_verify_mem(const void *img, size_t len,
    const struct pv_key *key, struct pv_link_check *c);
enum pv_link_status pv_link_verify_file(const char *path,
    const struct pv_key *key, struct pv_link_check *c);
void pv_link_check_free(struct pv_link_check *c);

/* The statement with D in it, malloc'd: the payload that was signed
 * when C's status is OK. */
char *pv_link_payload(const struct pv_link_check *c);

/* The DSSE envelope of a signed note that C decoded: the statement with
 * the stored digest, the stored signature and key id; canonical JSON
 * (dsse.h), malloc'd.  NULL with a reason when the note is unsigned. */
char *pv_link_envelope(const struct pv_link_check *c, const char **why);

/* "ed25519", "ecdsa-p256", or "none" for a sigalg value. */
const char *pv_sigalg_name(unsigned sigalg);

#endif
