/* signcmd.c - `provcc sign [--key KEY] FILE...`: sign the link note of
 * linked ELF files in place, e.g. again after strip or install -s (which
 * keep the digest, so re-signing gives the same bytes) or after a patch
 * of loaded bytes (which does not).
 *
 * The key is --key KEY or else $PROVCC_KEY.  Each file is signed on its
 * own; failures are reported one line each on stderr.  Exit status: that
 * of the first file not signed, 0 when all were; see sign_usage().
 */
#include "verify.h"
#include "cliopt.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void sign_usage(FILE *to)
{
	fputs("usage: provcc sign [--key KEY] FILE...\n"
	    "\n"
	    "Sign the provenance note of linked ELF files in place with the\n"
	    "private key KEY (PEM, from provcc keygen), replacing any earlier\n"
	    "signature.  Only the note's key id and signature slot change; the\n"
	    "file keeps its permissions.\n"
	    "\n"
	    "  -k, --key KEY    private key (default: $PROVCC_KEY)\n"
	    "  -h, --help       show this help\n"
	    "\n"
	    "Exit status (the first file not signed decides):\n"
	    "  0 signed   1 cannot sign or write (strip hazard, key, I/O)\n"
	    "  2 usage or unusable key   3 unreadable or not ELF\n"
	    "  4 malformed note or ELF   5 no provenance note\n", to);
}

static int sign_one(const char *path, const struct pv_key *key)
{
	const char *why = NULL;
	enum pv_link_status st = pv_link_sign_file(path, key, &why);

	if (st != PV_LINK_OK)
		pv_error("cannot sign", path, why);
	return pv_link_exit_status(st);
}

int pv_cmd_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keyfile = NULL, *why;
	struct pv_key *key;
	int c, i, rc = PV_EXIT_OK, frc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:k:h", opts, NULL)) != -1) {
		if (c == 'k')
			keyfile = optarg;
		else if (c == 'h') {
			sign_usage(stdout);
			return PV_EXIT_OK;
		} else
			return pv_bad_option(sign_usage, c, argv[optind - 1]);
	}
	if (!keyfile || !*keyfile)
		keyfile = getenv("PROVCC_KEY");
	if (!keyfile || !*keyfile)
		return pv_usage_error(sign_usage,
		    "no private key (--key KEY or PROVCC_KEY)");
	if (optind == argc)
		return pv_usage_error(sign_usage, "no file named");
	key = pv_key_load_private(keyfile, &why);
	if (!key) {
		pv_error("cannot load private key", keyfile, why);
		return PV_EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		frc = sign_one(argv[i], key);
		if (rc == PV_EXIT_OK)
			rc = frc;
	}
	pv_key_free(key);
	return rc;
}
