/* sbommodel.h - the component model of the collector: what a set of
 * linked ELF files is made of, read from their link notes
 * (docs/format.md sections 9-13) and attributed to Debian packages
 * (pkgdb.h).  docs/collect.md describes the model.
 *
 * Every file a note names (link inputs, archive files, compile sources,
 * headers and response files, toolchain programs, driver, linker, LTO
 * plugin) becomes one pv_sbom_file, deduplicated by path and SHA-256,
 * and is one of:
 *   PROJECT       a relative path in the note: below the build root;
 *   PACKAGED      an absolute path a Debian package installed;
 *   UNIDENTIFIED  an absolute path no package owns (reported, never
 *                 dropped).
 * Which package installed a file is what the note says (its "packages",
 * looked up on the build machine; pkgfacts.h); only for a note that
 * does not say is the dpkg database of this machine asked.
 * Each artifact has edges to the files it was made from, each edge a
 * set of PV_REL_* kinds.  After pv_sbom_finish every array is sorted
 * (artifacts by name then SHA-256, files by path then SHA-256, packages
 * by name, architecture, version), so writers are deterministic.
 */
#ifndef PROVCC_SBOMMODEL_H
#define PROVCC_SBOMMODEL_H

#include <stddef.h>
#include <jansson.h>

#include "hash.h"
#include "linksign.h"
#include "pkgdb.h"

enum pv_sbom_origin {
	PV_SBOM_PROJECT,
	PV_SBOM_PACKAGED,
	PV_SBOM_UNIDENTIFIED,
};

/* Relationship kinds, bits of an edge. */
enum {
	PV_REL_STATIC = 1,	/* an object or archive linked in */
	PV_REL_DYNAMIC = 2,	/* a shared library linked against */
	PV_REL_TOOL = 4,	/* driver, compiler program, linker, plugin */
	PV_REL_SOURCE = 8,	/* source, header, response file, script */
};

struct pv_sbom_pkg;

struct pv_sbom_file {
	char *path;			/* as in the note */
	char sha256[PV_SHA256_HEX];
	enum pv_sbom_origin origin;
	struct pv_sbom_pkg *pkg;	/* PACKAGED */
	char *soname;			/* a shared library's, or NULL */
	unsigned rels;			/* union of the edges' kinds */
	size_t rank;			/* index in the sorted files */
	size_t edge_art;		/* the artifact (serial) whose edge */
	size_t edge_at;			/* ... edges[edge_at] is this file's */
};

struct pv_sbom_pkg {
	const struct pv_pkg *pkg;	/* the pkgdb's, or &from_note */
	struct pv_pkg from_note;	/* strings in pv_sbom.note_pkgs */
	unsigned rels;			/* union over its files */
	size_t nfiles;
	size_t rank;
};

struct pv_sbom_edge {
	struct pv_sbom_file *file;
	unsigned kinds;
};

struct pv_sbom_artifact {
	char *path;			/* as named by the caller */
	char *name;			/* the statement's subject name */
	char sha256[PV_SHA256_HEX];	/* of the file as it is now */
	char elf_digest[PV_SHA256_HEX];	/* provcc-elf-v1 */
	char statement_sha256[PV_SHA256_HEX];	/* of the statement */
	char *output_type;		/* executable, pie, shared, ... */
	const char *signature;		/* "ed25519", "ecdsa-p256", "none" */
	size_t serial;			/* 1, 2, ... in order of adding */
	struct pv_sbom_edge *edges;	/* sorted by file rank */
	size_t nedges, edgecap;
};

struct pv_sbom {
	char *root;			/* build root, or NULL */
	struct pv_pkgdb *(*open_db)(void);	/* NULL: no dpkg */
	struct pv_pkgdb *db;		/* open_db's, once it was needed */
	int db_tried;
	int facts;			/* what the current note says */
	const json_t *fact_list;	/* ... its "packages" list */
	const json_t *fact_owners;	/* ... and owners */
	json_t *note_pkgs;		/* package objects taken from notes */
	struct pv_sbom_artifact **arts;
	size_t narts, artcap;
	struct pv_sbom_file **files;
	size_t nfiles, filecap;
	struct pv_sbom_pkg **pkgs;
	size_t npkgs, pkgcap;
	json_t *fileidx, *pkgidx;	/* key -> index while adding */
	size_t serial;			/* of the last artifact begun */
};

/* An empty model.  ROOT (may be NULL) is the build root that relative
 * note paths are below.  OPEN_DB (may be NULL) opens the local dpkg
 * database, or returns NULL; it is called at most once, and only when a
 * note does not carry package facts.  pv_sbom_free closes what it
 * opened. */
void pv_sbom_init(struct pv_sbom *m, const char *root,
    struct pv_pkgdb *(*open_db)(void));
void pv_sbom_free(struct pv_sbom *m);

/* Add the linked ELF file PATH.  Returns PV_LINK_OK (signed or not),
 * or the status why not (UNREADABLE, MALFORMED, NOPROV, CHANGED) with a
 * reason in *why, valid until the next call. */
enum pv_link_status pv_sbom_add(struct pv_sbom *m, const char *path,
    const char **why);

/* pv_sbom_add in two steps, so that notes can be read on several
 * threads while one merges them in order.  pv_sbom_read reads PATH's
 * note without the model (any thread; never NULL); pv_sbom_merge adds
 * it to M (one thread, in the order the notes should count in) and
 * returns what pv_sbom_add would; then pv_sbom_note_free. */
struct pv_sbom_note;
struct pv_sbom_note *pv_sbom_read(const char *path);
enum pv_link_status pv_sbom_merge(struct pv_sbom *m, struct pv_sbom_note *n,
    const char **why);
void pv_sbom_note_free(struct pv_sbom_note *n);

/* Sort everything; call once after the last pv_sbom_add. */
void pv_sbom_finish(struct pv_sbom *m);

/* Where a file is now: ROOT/PATH for project files, PATH otherwise;
 * malloc'd, or NULL when a project file has no root. */
char *pv_sbom_file_location(const struct pv_sbom *m,
    const struct pv_sbom_file *f);

/* A content-derived UUID (RFC 4122 layout, version 5 and variant bits
 * set over the first 16 bytes of SHA-256 of TEXT), "xxxxxxxx-xxxx-...". */
void pv_sbom_uuid(const char *text, size_t len, char out[37]);

/* $SOURCE_DATE_EPOCH as RFC 3339 UTC ("2024-01-02T03:04:05Z") in OUT;
 * 0 when set and valid, -1 otherwise. */
int pv_sbom_epoch(char out[32]);

/* The relationship kinds KINDS as words: "static,tool".  Static text
 * (no buffer: any thread). */
const char *pv_sbom_rel_names(unsigned kinds);

/* JSON text of J: indented by 2, keys sorted, a final newline;
 * malloc'd. */
char *pv_sbom_dump(const json_t *j);

/* TEXT, an object as pv_sbom_dump writes it, with the string member
 * KEY: VALUE added where pv_sbom_dump would have put it: the same bytes
 * as dumping the object with the member, without dumping it twice (the
 * SBOMs name themselves by the hash of the text without the name). */
char *pv_sbom_dump_with(const char *text, const char *key,
    const char *value);

#endif
