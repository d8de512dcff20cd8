/* link.h - links through provcc: the driver side, which runs gcc or
 * clang so that they find provcc as their linker, and the linker side,
 * which runs the real linker with provcc's plugin and puts the signed
 * link note into the output.  See link.c and docs/design.md.
 */
#ifndef PROVCC_LINK_H
#define PROVCC_LINK_H

#include <jansson.h>

#include "buildroot.h"
#include "argv.h"
#include "rspfile.h"

struct pv_link_driver {
	const char *driver;	/* path of the compiler driver to run */
	char **run_argv;	/* its argv, as run */
	const char *argv0;	/* argv[0] as the build gave it */
	const struct pv_expanded *x;	/* argv, response files expanded */
	const char *output;	/* -o, or NULL */
	const char *target;	/* --target, or NULL */
	size_t nsources;	/* sources the driver compiles first */
	const struct pv_cmdline *cl;	/* the command, classified */
	int launched;		/* run through a launcher (ccache, ...) */
};

/* Whether BASE (a file name) names a linker: ld, ld.bfd, ld.gold,
 * ld.lld, mold, also with a target prefix (arm-none-eabi-ld). */
int pv_is_linker_name(const char *base);

/* provcc as the linker LINKER (a name to look up, or a path), with
 * ARGV[0..ARGC).  Returns an exit status, or exits like the linker. */
int pv_ld_main(const char *linker, int argc, char **argv);

/* A driver link.  Does not return, except with -1 when the command is
 * to be passed through untouched (a relocatable link, or a failure in
 * PROVCC_ON_ERROR=warn mode), or with an exit status. */
int pv_link_driver_main(const struct pv_link_driver *d);

/* The allowlisted environment as recorded (docs/format.md section 6). */
json_t *pv_link_env_json(const struct pv_buildroot *br);

#endif
