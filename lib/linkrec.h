/* linkrec.h - build the link predicate (docs/format.md, "The link
 * predicate"): the inputs a link used and, once each, every compile
 * record they carry and every file those records name.
 *
 * Compile records are stored compact: each file object ({"path",
 * "sha256"}) is replaced by its index in one table of files shared by
 * all records, so a header read by a hundred translation units costs
 * one entry, and identical records (an object linked twice) are kept
 * once.
 */
#ifndef PROVCC_LINKREC_H
#define PROVCC_LINKREC_H

#include <jansson.h>

struct pv_linkrec {
	json_t *files;		/* [{path, sha256}] in order of first use */
	json_t *file_index;	/* "sha256 path" -> index */
	json_t *compiles;	/* compact records */
	json_t *compile_index;	/* canonical text -> index */
	json_t *inputs;
};

void pv_linkrec_init(struct pv_linkrec *lr);
void pv_linkrec_free(struct pv_linkrec *lr);

/* Add a full compile record (docs/format.md section 4); returns its
 * index in "compiles", or -1 when a file member is malformed. */
long pv_linkrec_add_compile(struct pv_linkrec *lr, const json_t *record);

/* Append INPUT (a reference is stolen) to "inputs". */
void pv_linkrec_add_input(struct pv_linkrec *lr, json_t *input);

/* The predicate {"compiles", "files", "inputs", "link", "version"};
 * LINK is stolen.  LR is left empty. */
json_t *pv_linkrec_predicate(struct pv_linkrec *lr, json_t *link);

#endif
