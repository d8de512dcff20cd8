/* verify.c - `provcc verify --key PUB FILE...` and
 * `provcc verify --envelope [--key PUB] FILE`.
 *
 * One line per file on stdout, "FILE: OK (ALG key KEYID16...)" or
 * "FILE: FAILED: REASON".  Exit status: that of the first file that did
 * not verify (pv_link_exit_status), 0 when all did, 2 for a bad command
 * line or an unusable key.
 */
#include "verify.h"
#include "cliopt.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pv_link_exit_status(enum pv_link_status st)
{
	switch (st) {
	case PV_LINK_OK:
		return PV_EXIT_OK;
	case PV_LINK_UNREADABLE:
		return PV_EXIT_BADFILE;
	case PV_LINK_MALFORMED:
		return PV_EXIT_MALFORMED;
	case PV_LINK_NOPROV:
		return PV_EXIT_NOLINK;
	case PV_LINK_UNSIGNED:
		return PV_EXIT_UNSIGNED;
	case PV_LINK_CHANGED:
		return PV_EXIT_CHANGED;
	case PV_LINK_BADSIG:
	case PV_LINK_FAILED:
		break;
	}
	return PV_EXIT_BADSIG;
}

static void verify_usage(FILE *to)
{
	fputs("usage: provcc verify --key PUB FILE...\n"
	    "       provcc verify --envelope [--key PUB] FILE\n"
	    "\n"
	    "Check the signed provenance note of linked ELF files against the\n"
	    "public key PUB (PEM, from provcc keygen).  Prints one line per\n"
	    "file: \"FILE: OK (ALG key KEYID...)\" or \"FILE: FAILED: REASON\".\n"
	    "With --envelope, prints the note as a DSSE envelope (JSON) for\n"
	    "checking with other tools; with --key too, only once verified.\n"
	    "\n"
	    "  -k, --key PUB    public key (PEM SubjectPublicKeyInfo)\n"
	    "  -e, --envelope   print the DSSE envelope of one FILE\n"
	    "  -h, --help       show this help\n"
	    "\n"
	    "Exit status (the first file that did not verify decides):\n"
	    "  0 verified   1 bad signature or another key   2 usage or key\n"
	    "  3 unreadable or not ELF   4 malformed note or ELF\n"
	    "  5 no provenance note   6 unsigned   7 content changed since\n"
	    "  signing (stripping does not count as a change)\n", to);
}

/* The label of a failure, before the reason from linksign.c. */
static const char *failure_label(enum pv_link_status st)
{
	switch (st) {
	case PV_LINK_MALFORMED:
		return "malformed: ";
	default:
		return "";
	}
}

static int verify_one(const char *path, const struct pv_key *key)
{
	struct pv_link_check c;
	enum pv_link_status st = pv_link_verify_file(path, key, &c);

	if (st == PV_LINK_OK)
		printf("%s: OK (%s key %.16s...)\n", path,
		    pv_sigalg_name(c.note.sigalg), c.keyid);
	else
		printf("%s: FAILED: %s%s\n", path, failure_label(st), c.why);
	pv_link_check_free(&c);
	return pv_link_exit_status(st);
}

/* The envelope goes out when the note is signed and unchanged (and,
 * with KEY, verified); otherwise the reason goes to stderr. */
static int print_envelope(const char *path, const struct pv_key *key)
{
	struct pv_link_check c;
	enum pv_link_status st = pv_link_verify_file(path, key, &c);
	const char *why = c.why;
	char *text = NULL;

	if (st == PV_LINK_OK)
		text = pv_link_envelope(&c, &why);
	if (text)
		printf("%s\n", text);
	else {
		pv_error("no envelope", path, why);
		if (st == PV_LINK_OK)
			st = PV_LINK_FAILED;
	}
	free(text);
	pv_link_check_free(&c);
	return pv_link_exit_status(st);
}

static struct pv_key *load_public(const char *file)
{
	const char *why;
	struct pv_key *key = pv_key_load_public(file, &why);

	if (!key)
		pv_error("cannot load public key", file, why);
	return key;
}

int pv_cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "envelope", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keyfile = NULL;
	struct pv_key *key = NULL;
	int c, i, envelope = 0, rc = PV_EXIT_OK, frc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:k:eh", opts, NULL)) != -1) {
		if (c == 'k')
			keyfile = optarg;
		else if (c == 'e')
			envelope = 1;
		else if (c == 'h') {
			verify_usage(stdout);
			return PV_EXIT_OK;
		} else
			return pv_bad_option(verify_usage, c, argv[optind - 1]);
	}
	if (optind == argc)
		return pv_usage_error(verify_usage, "no file named");
	if (envelope && argc - optind != 1)
		return pv_usage_error(verify_usage,
		    "--envelope takes exactly one file");
	if (!envelope && !keyfile)
		return pv_usage_error(verify_usage, "no public key (--key PUB)");
	if (keyfile && (key = load_public(keyfile)) == NULL)
		return PV_EXIT_USAGE;
	if (envelope)
		rc = print_envelope(argv[optind], key);
	for (i = optind; !envelope && i < argc; i++) {
		frc = verify_one(argv[i], key);
		if (rc == PV_EXIT_OK)
			rc = frc;
	}
	if (fflush(stdout) != 0 && rc == PV_EXIT_OK)
		rc = PV_EXIT_BADSIG;
	pv_key_free(key);
	return rc;
}
