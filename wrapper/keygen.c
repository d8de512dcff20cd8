/* keygen.c - `provcc keygen [--type ed25519|ecdsa-p256] [--force] FILE`.
 *
 * Writes a new private key to FILE (PKCS#8 PEM, mode 0600) and its
 * public key to FILE.pub (SubjectPublicKeyInfo PEM, mode 0644), then
 * prints the key id (sign.h) on standard output.
 *
 * Exit status: 0 done; 1 a key could not be made or written, or FILE or
 * FILE.pub exists without --force; 2 bad command line.
 */
#define _GNU_SOURCE
#include "keygen.h"
#include "sign.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEYGEN_EXIT_FAIL 1

static void keygen_usage(FILE *to)
{
	fputs("usage: provcc keygen [--type ed25519|ecdsa-p256] [--force] "
	    "FILE\n"
	    "\n"
	    "Make a key pair for signing provenance: the private key goes to\n"
	    "FILE (PKCS#8 PEM, mode 0600), the public key to FILE.pub\n"
	    "(SubjectPublicKeyInfo PEM).  Prints the key id: the SHA-256 of\n"
	    "the public key's DER SubjectPublicKeyInfo, in hex.\n"
	    "\n"
	    "  -t, --type TYPE  ed25519 (default) or ecdsa-p256 (NIST P-256)\n"
	    "  -f, --force      replace FILE and FILE.pub when they exist\n"
	    "  -h, --help       show this help\n", to);
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	pv_error("bad command line", NULL, msg ? msg : fmt);
	free(msg);
	return PV_EXIT_USAGE;
}

/* getopt's own messages would name "keygen" as the program. */
static int bad_option(int c, int argc, char **argv)
{
	const char *arg = optind - 1 < argc ? argv[optind - 1] : "";

	if (c == ':')
		return usage_error("option '%s' needs an argument", arg);
	if (optopt)
		return usage_error("unknown option '-%c'", optopt);
	return usage_error("unknown option '%s'", arg);
}

static int write_keys(enum pv_key_type type, const char *file, int force)
{
	char *pubfile = pv_xasprintf("%s.pub", file);
	const char *why, *bad = file;
	struct pv_key *key;
	int rc = KEYGEN_EXIT_FAIL;

	key = pv_key_generate(type, &why);
	if (!key)
		pv_error("cannot make a key", NULL, why);
	else if (pv_key_write_pair(key, file, pubfile, force, &bad, &why) < 0)
		pv_error(errno == EEXIST ? "refusing to replace a key file" :
		    "cannot write key file", bad, errno == EEXIST ?
		    "it exists; --force replaces it" : why);
	else if (printf("%s\n", pv_key_id(key)) < 0 || fflush(stdout) != 0)
		pv_error("cannot print the key id", NULL, strerror(errno));
	else
		rc = PV_EXIT_OK;
	pv_key_free(key);
	free(pubfile);
	return rc;
}

int pv_cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum pv_key_type type = PV_KEY_ED25519;
	int c, force = 0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:t:fh", opts, NULL)) != -1) {
		if (c == 't' && pv_key_type_from_name(optarg, &type) < 0)
			return usage_error("unknown key type '%s' (ed25519 or "
			    "ecdsa-p256)", optarg);
		else if (c == 'f')
			force = 1;
		else if (c == 'h') {
			keygen_usage(stdout);
			return PV_EXIT_OK;
		} else if (c != 't')
			return bad_option(c, argc, argv);
	}
	if (optind == argc)
		return usage_error("no key file named");
	if (argc - optind > 1)
		return usage_error("more than one key file named ('%s', '%s')",
		    argv[optind], argv[optind + 1]);
	if (!argv[optind][0])
		return usage_error("empty key file name");
	return write_keys(type, argv[optind], force);
}
