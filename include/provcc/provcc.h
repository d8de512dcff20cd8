/* provcc.h - public constants of the provcc provenance format.
 *
 * Everything here is fixed by docs/format.md; a reader of provcc notes
 * needs nothing else from this project.
 */
#ifndef PROVCC_PROVCC_H
#define PROVCC_PROVCC_H

/* The ELF note owner ("name") of every provcc note, NUL included. */
#define PROVCC_NOTE_OWNER "provcc"

/* Note types. */
#define PROVCC_NT_COMPILE 1	/* descriptor: one compile record */
#define PROVCC_NT_LINK 2	/* descriptor: the signed link statement */

/* The section that carries compile records in relocatable objects:
 * SHT_NOTE, SHF_EXCLUDE, alignment 4. */
#define PROVCC_COMPILE_SECTION ".note.provcc.compile"

/* The section that carries the link note in linked outputs: SHT_NOTE,
 * SHF_ALLOC, alignment 4, inside a PT_LOAD segment. */
#define PROVCC_LINK_SECTION ".note.provcc.link"

/* The in-toto predicate type of the link statement, and the name of the
 * provcc ELF digest (docs/elf-digest.md) in its subject's digest set. */
#define PROVCC_LINK_PREDICATE_TYPE "https://provcc.dev/attestation/link/v1"
#define PROVCC_ELF_DIGEST_NAME "provcc-elf-v1"

/* Compile note descriptor header: 8 bytes, then the payload. */
#define PROVCC_DESC_HEADER_SIZE 8
#define PROVCC_DESC_VERSION 1		/* byte 0 */
#define PROVCC_ENCODING_JSON 1		/* byte 1 */
#define PROVCC_COMPRESSION_NONE 0	/* byte 2 */
#define PROVCC_COMPRESSION_ZLIB 1	/* byte 2 */
/* byte 3: zero; bytes 4-7: payload length before compression, LE. */

#endif
