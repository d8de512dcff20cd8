/* verify.h - `provcc verify` and `provcc sign`: the signature of the
 * link note of linked ELF files. */
#ifndef PROVCC_VERIFY_H
#define PROVCC_VERIFY_H

#include "linksign.h"

/* Exit statuses shared by verify and sign (docs/provcc.1). */
enum {
	PV_EXIT_BADSIG = 1,	/* bad signature, another key; sign: failed */
	PV_EXIT_NOLINK = 5,	/* no link note */
	PV_EXIT_UNSIGNED = 6,
	PV_EXIT_CHANGED = 7,
};

/* The exit status of a pv_link_* status. */
int pv_link_exit_status(enum pv_link_status st);

/* ARGV[0] is "verify" or "sign".  Return the exit status. */
int pv_cmd_verify(int argc, char **argv);
int pv_cmd_sign(int argc, char **argv);

#endif
