/* cliopt.c - subcommand command-line errors; see cliopt.h. */
#include "cliopt.h"
#include "util.h"

#include <stdlib.h>

int pv_usage_error(pv_usage_fn usage, const char *why)
{
	pv_error("bad command line", NULL, why);
	usage(stderr);
	return PV_EXIT_USAGE;
}

int pv_bad_option(pv_usage_fn usage, int c, const char *arg)
{
	char *why = pv_xasprintf("%s '%s'", c == ':' ?
	    "option needs an argument:" : "unknown option", arg);

	pv_usage_error(usage, why);
	free(why);
	return PV_EXIT_USAGE;
}
