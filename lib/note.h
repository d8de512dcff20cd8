/* note.h - the provenance note codec: JSON payload <-> note descriptor.
 * docs/format.md is the normative description of these bytes.
 */
#ifndef PROVCC_NOTE_H
#define PROVCC_NOTE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "provcc/provcc.h"

#define PV_NOTE_OWNER PROVCC_NOTE_OWNER
#define PV_NT_COMPILE PROVCC_NT_COMPILE
#define PV_COMPILE_SECTION PROVCC_COMPILE_SECTION

#define PV_DESC_VERSION PROVCC_DESC_VERSION
#define PV_DESC_JSON PROVCC_ENCODING_JSON
#define PV_COMPRESS_NONE PROVCC_COMPRESSION_NONE
#define PV_COMPRESS_ZLIB PROVCC_COMPRESSION_ZLIB
#define PV_DESC_HEADER PROVCC_DESC_HEADER_SIZE
#define PV_PAYLOAD_MAX (64u << 20)	/* refuse larger payloads */

/* Encode J as a descriptor: canonical JSON (compact, keys sorted),
 * stored as is (PV_COMPRESS_NONE) or zlib-compressed at the fastest
 * level (PV_COMPRESS_ZLIB).  Returns 0 and a malloc'd buffer, or -1. */
int pv_desc_encode(const json_t *j, int compression, unsigned char **desc,
    size_t *len);

/* The same for JSON text already in canonical form (TLEN bytes). */
int pv_desc_encode_text(const char *text, size_t tlen, int compression,
    unsigned char **desc, size_t *len);

/* Decode a descriptor.  Returns the JSON value, or NULL with a short
 * reason in *why (a static string) when the bytes are malformed. */
json_t *pv_desc_decode(const unsigned char *desc, size_t len,
    const char **why);

/* Inflate the zlib stream of exactly ZLEN bytes at Z, which must give
 * exactly RAWLEN bytes: a malloc'd, NUL-terminated buffer, or NULL with
 * a static reason in *why. */
char *pv_inflate_exact(const unsigned char *z, size_t zlen, uint32_t rawlen,
    const char **why);

/* Little-endian 32-bit numbers of descriptor headers. */
void pv_put_le32(unsigned char *p, uint32_t v);
uint32_t pv_get_le32(const unsigned char *p);

/* A whole ELF note (namesz, descsz, type, owner, descriptor, padding),
 * with the three header words in the byte order of the ELF file
 * (big_endian != 0 for ELFDATA2MSB). */
int pv_note_build(unsigned type, const unsigned char *desc, size_t desclen,
    int big_endian, unsigned char **note, size_t *len);

#endif
