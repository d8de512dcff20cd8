/* pkgfacts.h - the package facts a link note carries (docs/format.md
 * section 13, "packages"): which Debian package installed each absolute
 * path the link predicate names, looked up on the build machine while
 * the link runs, so that an auditor holding only the binary can name
 * its third-party components (docs/soup.md, "At build time").
 *
 * A link names the same few hundred system files as the link before
 * it, and loading the dpkg database costs tens of milliseconds, so
 * answers are kept in a small cache below pv_cache_dir(), valid for as
 * long as the database files are unchanged.  The database is loaded
 * only when a link names a path no earlier link named.
 */
#ifndef PROVCC_PKGFACTS_H
#define PROVCC_PKGFACTS_H

#include <jansson.h>

#include "pkgdb.h"

enum {
	PV_PKGFACTS_OK = 0,
	PV_PKGFACTS_NODB = 1,	/* no dpkg database: recorded as "none" */
	PV_PKGFACTS_ERROR = 2,	/* a database that cannot be read */
};

/* Add the member "packages" to the link predicate PRED.  Returns OK,
 * NODB (also OK for the note: {"database": "none"} is added), or ERROR
 * with *WHY (valid until the next call) saying why; PRED is then left
 * as it was.  The database is pv_pkgdb_default_admindir()'s. */
int pv_pkgfacts_add(json_t *pred, const char **why);

/* The package object of the note for P: name, version, architecture,
 * source, sourceVersion, upstreamVersion, supplier (split from the
 * Maintainer field), purl,
 * cpe, state; members the database does not give are left out. */
json_t *pv_pkgfacts_json(const struct pv_pkg *p);

/* The other way: *OUT with every string pointing into OBJ (which must
 * outlive it); -1 when OBJ lacks a name, version or purl. */
int pv_pkgfacts_from_json(const json_t *obj, struct pv_pkg *out);

/* PACKAGES (a note's "packages") with the owners of the files table
 * FILES (the predicate's "files") merged into "owners", so that one
 * path -> index object answers for every path; a new reference.  When
 * the two do not fit together, "owners" is null (malformed). */
json_t *pv_pkgfacts_expand(const json_t *packages, const json_t *files);

/* What the predicate PRED (with "packages" expanded) says of the packages of its files:
 * PV_PKGFACTS_OK with *LIST and *OWNERS (borrowed) when they were looked
 * up in a dpkg database, PV_PKGFACTS_NODB when the build machine had
 * none, -1 when the note does not say (made with PROVCC_PACKAGES=off, or
 * by an older provcc), or when what it says is malformed. */
int pv_pkgfacts_of(const json_t *pred, const json_t **list,
    const json_t **owners);

#endif
