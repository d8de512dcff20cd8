/* record.h - the compile record: what one compile of one source read,
 * ran and was told.  docs/format.md defines its JSON form.
 */
#ifndef PROVCC_RECORD_H
#define PROVCC_RECORD_H

#include <stddef.h>
#include <jansson.h>

#include "hash.h"

struct pv_file {
	char *path;		/* root-relative, or absolute outside root */
	char sha256[PV_SHA256_HEX];
};

struct pv_filelist {
	struct pv_file *v;
	size_t n, cap;
};

struct pv_envvar {
	char *name, *value;
};

struct pv_record {
	char *language;
	struct pv_file source;
	char *output;
	char *cwd;
	char **argv;
	size_t argc;
	struct pv_filelist response_files;
	struct pv_filelist inputs;	/* headers and other files read */
	char *header_method;	/* "depfile", "user-depfile", "trace" */

	struct pv_file driver;
	char *version;		/* first line of the driver's --version */
	char *target;		/* triple, from -dumpmachine */
	struct pv_filelist programs;	/* cc1, as, ... in order run */
	struct pv_file launcher;	/* ccache, distcc, ...; path NULL if none */

	struct pv_envvar *env;
	size_t nenv;
};

void pv_filelist_add(struct pv_filelist *l, const char *path,
    const char *sha256hex);
/* Sort by path and drop exact duplicates, so records are canonical. */
void pv_filelist_sort_unique(struct pv_filelist *l);
void pv_filelist_free(struct pv_filelist *l);

void pv_record_free(struct pv_record *r);

/* The record as a JSON object (a new reference), and back.  from_json
 * returns 0, or -1 when a required member is missing or mistyped. */
json_t *pv_record_to_json(const struct pv_record *r);
int pv_record_from_json(const json_t *j, struct pv_record *r);

/* The same bytes json_dumps() writes for pv_record_to_json() with the
 * note's flags (compact, sorted keys, ASCII), written directly; NULL
 * when a string holds a non-ASCII byte (jansson must judge it) or the
 * record lacks a required member. */
char *pv_record_to_ascii_json(const struct pv_record *r);

#endif
