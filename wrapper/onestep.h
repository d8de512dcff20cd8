/* onestep.h - a one-step build (`gcc main.c util.c -o prog`, make's
 * built-in rule for a program of one source): provcc compiles each
 * source itself first, through its own compile path, so that every
 * object carries a compile record, then has the driver link those
 * objects in place of the sources.  docs/design.md ("One-step builds")
 * says when this is done and why the output is the same.
 */
#ifndef PROVCC_ONESTEP_H
#define PROVCC_ONESTEP_H

#include <jansson.h>

#include "argv.h"
#include "rspfile.h"

/* The variable that tells the compiling provcc which command to record
 * (a file holding {"argv", "responseFiles", "output"}). */
#define PV_ONESTEP_ENV "PROVCC_ONESTEP"

struct pv_onestep {
	char **link_argv;	/* the driver's argv for the link */
	json_t *objects;	/* paths of the objects made, to link */
};

/* Whether the command X (classified as CL, a link with sources) can be
 * split without changing what it writes: NULL when it can, else why
 * not (for the documentation's and the tests' sake). */
const char *pv_onestep_refusal(const struct pv_cmdline *cl,
    const struct pv_expanded *x);

/* Compile every source of X into DIR through provcc, with DRIVER (the
 * compiler's path), recording the command ARGV0 X[1..] and OUTPUT (the
 * link output).  Returns 0 with OS filled in, the wait status of the
 * first compile that failed (the build's failure: nothing is linked),
 * or -1 when provcc itself could not run them (errno). */
int pv_onestep_compile(const char *driver, const char *argv0,
    const struct pv_cmdline *cl, const struct pv_expanded *x,
    const char *output, const char *dir, struct pv_onestep *os);

void pv_onestep_free(struct pv_onestep *os);

/* For the compiling provcc: the command to record instead of its own,
 * from $PROVCC_ONESTEP; NULL when it is not set. */
json_t *pv_onestep_recorded(void);

#endif
