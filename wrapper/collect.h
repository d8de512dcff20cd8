/* collect.h - `provcc sbom` and `provcc collect`: SBOMs and SLSA
 * provenance from the link notes of linked ELF files (docs/collect.md). */
#ifndef PROVCC_COLLECT_H
#define PROVCC_COLLECT_H

#include "pkgdb.h"

/* ARGV[0] is "sbom" or "collect".  Return the exit status. */
int pv_cmd_sbom(int argc, char **argv);
int pv_cmd_collect(int argc, char **argv);

/* The build root that relative note paths are below: ROOT when given,
 * else $PROVCC_ROOT, else the nearest directory at or above the working
 * directory with a .git entry; NULL for none.  malloc'd, absolute. */
char *pv_collect_root(const char *root);

/* This machine's dpkg database, or NULL with a warning that absolute
 * paths will be reported unidentified. */
struct pv_pkgdb *pv_collect_pkgdb(void);

#endif
