/* linknote.h - the link note: the signed provenance statement that every
 * linked ELF output carries (note type 2, section .note.provcc.link).
 * docs/format.md ("The link note") is the normative description.
 *
 * The descriptor is a fixed 144-byte header and a zlib stream:
 *
 *   off size
 *   0   1   version      1
 *   1   1   compression  1 = zlib
 *   2   1   sigalg       0 = unsigned, 1 = ed25519, 2 = ecdsa-p256
 *   3   1   reserved     0
 *   4   4   rawlen       statement length in bytes, little-endian
 *   8   4   digestoff    offset in the statement of the 64 hexadecimal
 *                        digits of the subject digest, little-endian
 *   12  4   reserved     0
 *   16  32  keyid        SHA-256 of the signing key's SubjectPublicKeyInfo
 *                        DER (all zero when unsigned)
 *   48  32  digest       the provcc ELF digest of the file        \ the
 *   80  64  signature    raw signature (sign.h) of the DSSE PAE   / slot
 *   144 ... zlib stream  the statement, with the 64 digest digits
 *                        written as '0'
 *
 * The slot, descriptor bytes [48, 144), is what the ELF digest reads as
 * zero (docs/elf-digest.md section 3.4), so that the digest can be put
 * into it, and the signature computed, after the link.  The statement
 * (the DSSE payload) is the inflated stream with the 64 '0' digits at
 * digestoff replaced by the lowercase hex of the digest.
 */
#ifndef PROVCC_LINKNOTE_H
#define PROVCC_LINKNOTE_H

#include <stddef.h>
#include <jansson.h>

#include "hash.h"
#include "provcc/provcc.h"
#include "sign.h"

#define PV_NT_LINK PROVCC_NT_LINK
#define PV_LINK_SECTION PROVCC_LINK_SECTION

#define PV_LINK_HEADER 144	/* fixed part of the descriptor */
#define PV_LINK_KEYID_OFF 16
#define PV_LINK_SLOT_OFF 48	/* digest, then signature */
#define PV_LINK_SLOT_LEN 96
#define PV_LINK_SIG_OFF 80

#define PV_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define PV_PAYLOAD_TYPE "application/vnd.in-toto+json"
#define PV_LINK_PREDICATE_TYPE PROVCC_LINK_PREDICATE_TYPE
#define PV_ELF_DIGEST_NAME PROVCC_ELF_DIGEST_NAME

enum pv_sigalg {
	PV_SIGALG_NONE = 0,
	PV_SIGALG_ED25519 = 1,
	PV_SIGALG_ECDSA_P256 = 2,
};

struct pv_linknote {
	unsigned sigalg;
	unsigned char keyid[PV_SHA256_LEN];
	unsigned char digest[PV_SHA256_LEN];
	unsigned char sig[PV_SIG_LEN];
	char *statement;	/* inflated, NUL-terminated, digits '0' */
	size_t statement_len;
	size_t digest_off;
};

/* The statement of an in-toto Statement v1 whose one subject is NAME
 * with digest {"provccElfV1": 64 x '0'} and whose predicate is
 * PREDICATE of type PV_LINK_PREDICATE_TYPE: canonical JSON (compact,
 * keys sorted, ASCII), malloc'd; *digest_off is where the 64 digits
 * are.  NULL when PREDICATE cannot be serialised. */
char *pv_statement_build(const char *name, const json_t *predicate,
    size_t *len, size_t *digest_off);

/* An unsigned descriptor (slot, keyid and sigalg zero) holding STATEMENT,
 * compressed at zlib level 9.  Returns 0 and a malloc'd buffer, or -1
 * when the statement is too large or its digits are not at DIGEST_OFF. */
int pv_linknote_encode(const char *statement, size_t len, size_t digest_off,
    unsigned char **desc, size_t *desclen);

/* Parse a descriptor.  Returns 0, or -1 with a static reason in *why
 * when any byte is out of place (version, reserved bytes, lengths,
 * the zlib stream not filling the descriptor exactly, digits not '0'). */
int pv_linknote_decode(const unsigned char *desc, size_t len,
    struct pv_linknote *n, const char **why);
void pv_linknote_free(struct pv_linknote *n);

/* The statement as signed: N's statement with the digest digits set to
 * DIGEST in lowercase hex.  malloc'd, NUL-terminated, N->statement_len
 * bytes. */
char *pv_linknote_statement(const struct pv_linknote *n,
    const unsigned char digest[PV_SHA256_LEN]);

/* The key type of SIGALG, or -1 for PV_SIGALG_NONE and unknown values;
 * and the sigalg of a key type. */
int pv_sigalg_key_type(unsigned sigalg, enum pv_key_type *type);
unsigned pv_sigalg_of(enum pv_key_type type);

#endif
