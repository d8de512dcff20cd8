/* cliopt.h - command-line errors of the subcommands, reported alike:
 * one error line, then the subcommand's usage on stderr, status 2.
 */
#ifndef PROVCC_CLIOPT_H
#define PROVCC_CLIOPT_H

#include <stdio.h>

typedef void (*pv_usage_fn)(FILE *to);

/* "provcc: error: bad command line: WHY", then USAGE; returns 2. */
int pv_usage_error(pv_usage_fn usage, const char *why);

/* For getopt_long's ':' (missing argument) or '?' (unknown option)
 * result C about the word ARG; getopt's own messages would name the
 * subcommand as the program.  Returns 2. */
int pv_bad_option(pv_usage_fn usage, int c, const char *arg);

#endif
