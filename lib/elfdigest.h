/* elfdigest.h - the strip-invariant digest of a linked ELF file, which a
 * provenance signature covers, and the search for the note holding it.
 * docs/elf-digest.md is the normative description of these bytes.
 *
 * The digest is SHA-256 over the ELF header fields that strip tools
 * leave alone, every program header, and the file bytes of every
 * segment, with chosen byte ranges (the signature slot) read as zero.
 * Section headers and everything outside the segments are left out, so
 * strip, strip --strip-debug, eu-strip and a debug-info split keep the
 * digest, while any change to loaded bytes or program headers alters it.
 *
 * Functions that can fail return -1 with a one-line reason in *why, for
 * the caller to report with pv_error(); the reason is a static string or
 * one kept until the next call into this module.  A file is read, never
 * mapped, so a file truncated meanwhile gives an error, not a SIGBUS.
 */
#ifndef PROVCC_ELFDIGEST_H
#define PROVCC_ELFDIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

/* The version string that starts the digested message. */
#define PV_ELF_DIGEST_PREFIX "provcc-elf-digest-v1"

/* LEN bytes from file offset OFF. */
struct pv_byte_range {
	uint64_t off;
	uint64_t len;
};

/* The digest of the ELF file at PATH, or of LEN bytes at IMG, with the
 * bytes of ZERO[0..NZERO) read as zero.  The ranges may come in any
 * order and overlap; empty ones are ignored; each maximal run of zeroed
 * bytes must lie within the file bytes of one PT_LOAD segment.  Their
 * offsets and lengths are digested too, so a verifier that zeroes other
 * bytes than the signer did gets another digest.  Returns 0, or -1. */
int pv_elf_digest(const char *path, const struct pv_byte_range *zero,
    size_t nzero, unsigned char out[PV_SHA256_LEN], const char **why);
int pv_elf_digest_mem(const void *img, size_t len,
    const struct pv_byte_range *zero, size_t nzero,
    unsigned char out[PV_SHA256_LEN], const char **why);

/* Find the one provcc note of TYPE (owner "provcc") in a PT_NOTE segment
 * or an SHF_ALLOC SHT_NOTE section, and put the file range of its
 * descriptor in *desc.  Returns 1 when found, 0 when there is no such
 * note, -1 when the file is malformed, a note holding it lies outside
 * the PT_LOAD segments, or there are several (a verifier could not tell
 * which one was signed). */
int pv_elf_find_note(const char *path, unsigned type,
    struct pv_byte_range *desc, const char **why);
int pv_elf_find_note_mem(const void *img, size_t len, unsigned type,
    struct pv_byte_range *desc, const char **why);

/* Count the non-zero digested bytes that no section, the ELF header or
 * the program header table covers: GNU strip, objcopy and eu-strip
 * write such bytes as zero, so a signature over them would not survive
 * stripping.  Linkers leave them zero; a signer should refuse otherwise.
 * *first is the file offset of the first one.  Without section headers
 * nothing can be told and *count is 0.  Returns 0, or -1. */
int pv_elf_strip_hazard(const char *path, uint64_t *count,
    uint64_t *first, const char **why);
int pv_elf_strip_hazard_mem(const void *img, size_t len, uint64_t *count,
    uint64_t *first, const char **why);

#endif
