/* sbomcmd.c - `provcc sbom [--format cyclonedx|spdx] [-o FILE] BINARY`:
 * the SBOM of one linked binary from its link note.  Package facts come
 * from the dpkg database of the machine running it (docs/collect.md).
 * Exit status: 0; 2 usage; 3 unreadable or not ELF; 4 malformed;
 * 5 no link note; 7 changed since signing; 70 the output not written.
 */
#define _DEFAULT_SOURCE	/* realpath */
#include "collect.h"
#include "cliopt.h"
#include "sbomwrite.h"
#include "util.h"
#include "verify.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PROVCC_VERSION
#define PROVCC_VERSION "0"
#endif

static void sbom_usage(FILE *to)
{
	fputs("usage: provcc sbom [--format cyclonedx|spdx] [-o FILE] "
	    "[--root DIR] BINARY\n"
	    "\n"
	    "Write the SBOM of one linked binary, read from its link note:\n"
	    "the binary, the Debian packages that supplied its libraries,\n"
	    "headers and toolchain (purl, CPE, supplier, from this machine's\n"
	    "dpkg database), the project's own files, and every other file\n"
	    "as unidentified.\n"
	    "\n"
	    "  -f, --format F   cyclonedx (CycloneDX 1.6, the default) or\n"
	    "                   spdx (SPDX 2.3), both JSON\n"
	    "  -o, --output F   write F (through a temporary file) instead\n"
	    "                   of standard output\n"
	    "  -r, --root DIR   the build root (default: $PROVCC_ROOT, else\n"
	    "                   the enclosing git tree)\n"
	    "  -h, --help       show this help\n"
	    "\n"
	    "Exit status: 0 written   2 usage   3 unreadable or not ELF\n"
	    "  4 malformed note   5 no link note   7 changed since signing\n"
	    "  70 output not written\n", to);
}

char *pv_collect_root(const char *root)
{
	char buf[PATH_MAX], *dir, *git, *slash;
	struct stat st;

	if (!root || !*root)
		root = getenv("PROVCC_ROOT");
	if (root && *root)
		return realpath(root, buf) ? pv_xstrdup(buf) : pv_xstrdup(root);
	if (!getcwd(buf, sizeof(buf)))
		return NULL;
	dir = pv_xstrdup(buf);
	for (;;) {
		git = pv_xasprintf("%s/.git", *dir ? dir : "");
		if (lstat(git, &st) == 0) {
			free(git);
			if (!*dir)
				strcpy(dir, "/");
			return dir;
		}
		free(git);
		if ((slash = strrchr(dir, '/')) == NULL || !*dir)
			break;
		*slash = '\0';
	}
	free(dir);
	return NULL;
}

struct pv_pkgdb *pv_collect_pkgdb(void)
{
	struct pv_pkgdb *db = NULL;
	const char *why;

	if (pv_pkgdb_open(NULL, &db, &why) != PV_PKGDB_OK) {
		pv_warning("no package database", NULL, why);
		fputs("provcc: warning: files outside the build root that "
		    "the notes do not attribute are reported as "
		    "unidentified\n", stderr);
		return NULL;
	}
	return db;
}

static int write_out(const char *out, const char *text)
{
	if (!out || strcmp(out, "-") == 0) {
		if (fputs(text, stdout) == EOF || fflush(stdout) != 0) {
			pv_error("cannot write", "stdout", "write error");
			return PV_EXIT_PROVENANCE;
		}
		return PV_EXIT_OK;
	}
	if (pv_write_file_atomic(out, text, strlen(text), 0644) < 0) {
		pv_error("cannot write", out, strerror(errno));
		return PV_EXIT_PROVENANCE;
	}
	return PV_EXIT_OK;
}

static int run_sbom(const char *bin, int spdx, const char *out,
    const char *rootopt)
{
	struct pv_sbom m;
	char *root = pv_collect_root(rootopt), *text;
	enum pv_link_status st;
	const char *why;
	int rc;

	pv_sbom_init(&m, root, pv_collect_pkgdb);
	if ((st = pv_sbom_add(&m, bin, &why)) != PV_LINK_OK) {
		pv_error("no SBOM", bin, why);
		rc = pv_link_exit_status(st);
	} else {
		pv_sbom_finish(&m);
		text = spdx ? pv_sbom_spdx(&m, PROVCC_VERSION) :
		    pv_sbom_cyclonedx(&m, PROVCC_VERSION);
		rc = write_out(out, text);
		free(text);
	}
	pv_sbom_free(&m);
	free(root);
	return rc;
}

int pv_cmd_sbom(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *root = NULL;
	int c, spdx = 0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:f:o:r:h", opts, NULL)) != -1) {
		if (c == 'f' && strcmp(optarg, "spdx") == 0)
			spdx = 1;
		else if (c == 'f' && strcmp(optarg, "cyclonedx") == 0)
			spdx = 0;
		else if (c == 'f')
			return pv_usage_error(sbom_usage,
			    "--format is cyclonedx or spdx");
		else if (c == 'o')
			out = optarg;
		else if (c == 'r')
			root = optarg;
		else if (c == 'h') {
			sbom_usage(stdout);
			return PV_EXIT_OK;
		} else
			return pv_bad_option(sbom_usage, c, argv[optind - 1]);
	}
	if (argc - optind != 1)
		return pv_usage_error(sbom_usage, "name exactly one BINARY");
	return run_sbom(argv[optind], spdx, out, root);
}
