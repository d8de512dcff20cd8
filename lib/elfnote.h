/* elfnote.h - put a provenance note section into an ELF object, and
 * find provenance notes in objects and static archives.
 */
#ifndef PROVCC_ELFNOTE_H
#define PROVCC_ELFNOTE_H

#include <stddef.h>

/* Add section SECNAME (SHT_NOTE, SHF_EXCLUDE, alignment 4) holding one
 * provcc note of TYPE with descriptor DESC to the ELF object at PATH.
 * An existing section of that name is replaced.  Every other section
 * keeps its bytes.  A compiler's object is extended in place (appended
 * to, then its header switched over); other files are rewritten through
 * a temporary file and a rename.  Either way a failure leaves the file
 * as it was.  Returns 0, or -1 with a static reason in *why. */
int pv_elf_put_note(const char *path, const char *secname, unsigned type,
    const unsigned char *desc, size_t desclen, const char **why);

/* Called for each provcc note found.  MEMBER is the archive member name
 * or NULL for a plain ELF file.  Return non-zero to stop. */
typedef int (*pv_note_fn)(void *ctx, const char *member, unsigned type,
    const unsigned char *desc, size_t desclen);

/* Also called once per ELF file or member, before its notes, so that a
 * caller can list members without provenance.  May be NULL. */
typedef void (*pv_elf_fn)(void *ctx, const char *member);

enum pv_scan_status {
	PV_SCAN_OK = 0,
	PV_SCAN_UNREADABLE = -1,	/* open/read failed: errno */
	PV_SCAN_NOT_ELF = -2,		/* neither ELF nor ar archive */
	PV_SCAN_BAD_ELF = -3,		/* libelf refused the contents */
	PV_SCAN_BAD_NOTE = -4,		/* a note section does not parse */
};

int pv_elf_scan_notes(const char *path, pv_elf_fn on_elf, pv_note_fn on_note,
    void *ctx);

/* The same for one ELF object of LEN bytes at IMG (an archive member
 * read into memory). */
int pv_elf_scan_notes_mem(const void *img, size_t len, pv_note_fn on_note,
    void *ctx);

#endif
