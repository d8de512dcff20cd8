/* collect.c - `provcc collect [-o DIR] [--key KEY] [--root DIR] PATH...`:
 * every linked ELF file with a link note among PATH (files, or
 * directories searched recursively) into DIR/sbom.cdx.json,
 * DIR/sbom.spdx.json and DIR/provenance.intoto.jsonl, a DSSE envelope
 * of a SLSA provenance v1 statement (docs/collect.md).
 * Exit status: 0; 2 usage or key; 3, 4, 5, 7 as provcc sbom for a
 * named file (or 5 when no linked file was found); 70 output not
 * written.
 */
#define _DEFAULT_SOURCE	/* realpath */
#include "collect.h"
#include "child.h"
#include "cliopt.h"
#include "dsse.h"
#include "linknote.h"
#include "sbomwrite.h"
#include "toolchain.h"
#include "util.h"
#include "verify.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

static void collect_usage(FILE *to)
{
	fputs("usage: provcc collect [-o DIR] [--key KEY] [--root DIR] "
	    "PATH...\n"
	    "\n"
	    "Collect the link notes of linked ELF files (PATH a file, or a\n"
	    "directory searched recursively) into DIR (default: .):\n"
	    "  sbom.cdx.json               CycloneDX 1.6 SBOM\n"
	    "  sbom.spdx.json              SPDX 2.3 SBOM\n"
	    "  provenance.intoto.jsonl     signed SLSA provenance v1 (DSSE)\n"
	    "\n"
	    "  -o, --output DIR  where to write (created if missing)\n"
	    "  -k, --key KEY     private key signing the provenance\n"
	    "                    (default: $PROVCC_KEY; required)\n"
	    "  -r, --root DIR    the build root (default: $PROVCC_ROOT, else\n"
	    "                    the enclosing git tree)\n"
	    "  -h, --help        show this help\n"
	    "\n"
	    "Exit status: 0 written   2 usage or key   3 unreadable or not\n"
	    "  ELF   4 malformed note   5 no link note (or none found)\n"
	    "  7 changed since signing   70 output not written\n", to);
}

struct walk {
	struct pv_sbom *m;
	json_t *seen;		/* real paths added */
	int rc;
};

static int is_elf(const char *path)
{
	unsigned char b[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, b, 4);
	close(fd);
	return n == 4 && memcmp(b, "\177ELF", 4) == 0;
}

/* Add PATH; NAMED: the user named it, so a missing note is an error. */
static void add_file(struct walk *w, const char *path, int named)
{
	char real[PATH_MAX];
	enum pv_link_status st;
	const char *why;

	if (realpath(path, real) && json_object_get(w->seen, real))
		return;
	if (!named && !is_elf(path))
		return;
	st = pv_sbom_add(w->m, path, &why);
	if (st == PV_LINK_OK) {
		json_object_set_new(w->seen, real, json_true());
		return;
	}
	/* Found by a search: objects and plain ELF files are not ours. */
	if (!named && (st == PV_LINK_NOPROV || st == PV_LINK_UNREADABLE))
		return;
	pv_error("cannot collect", path, why);
	if (w->rc == PV_EXIT_OK)
		w->rc = pv_link_exit_status(st);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* DIR's entries, sorted, not following symbolic links. */
static void walk_dir(struct walk *w, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	char **names = NULL, *p;
	size_t n = 0, cap = 0, i;

	if (!d) {
		pv_error("cannot read directory", dir, strerror(errno));
		w->rc = w->rc ? w->rc : PV_EXIT_BADFILE;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap)
			names = pv_xrealloc(names, (cap = cap ? 2 * cap : 32) *
			    sizeof(*names));
		names[n++] = pv_xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		p = pv_xasprintf("%s/%s", dir, names[i]);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			walk_dir(w, p);
		else if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
			add_file(w, p, 0);
		free(p);
		free(names[i]);
	}
	free(names);
}

static void add_path(struct walk *w, const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		walk_dir(w, path);
	else
		add_file(w, path, 1);
}

/* The first line of `git -C ROOT ARGS...`, or NULL. */
static char *git_line(const char *git, const char *root, const char *a1,
    const char *a2, const char *a3)
{
	char *argv[] = { "git", "-C", (char *)root, (char *)a1, (char *)a2,
	    (char *)a3, NULL };

	return pv_capture_line(git, argv);
}

/* externalParameters.source: the build root's git facts, or NULL. */
static json_t *git_source(const char *root)
{
	char *git = root ? pv_find_program("git") : NULL;
	char *commit, *dirty, *describe, *uri;
	json_t *s;

	if (!git)
		return NULL;
	commit = git_line(git, root, "rev-parse", "--verify", "HEAD");
	if (!commit) {
		free(git);
		return NULL;
	}
	dirty = git_line(git, root, "status", "--porcelain",
	    "--untracked-files=no");
	describe = git_line(git, root, "describe", "--always", "--dirty");
	uri = git_line(git, root, "config", "--get", "remote.origin.url");
	s = json_pack("{s:s,s:b}", "commit", commit, "dirty",
	    dirty && *dirty);
	if (describe)
		json_object_set_new(s, "describe", json_string(describe));
	if (uri)
		json_object_set_new(s, "uri", json_string(uri));
	free(commit);
	free(dirty);
	free(describe);
	free(uri);
	free(git);
	return s;
}

static int write_one(const char *dir, const char *name, const char *text,
    size_t len)
{
	char *path = pv_xasprintf("%s/%s", dir, name);
	int rc = PV_EXIT_OK;

	if (pv_write_file_atomic(path, text, len, 0644) < 0) {
		pv_error("cannot write", path, strerror(errno));
		rc = PV_EXIT_PROVENANCE;
	}
	free(path);
	return rc;
}

/* The envelope as one line, or NULL after an error. */
static char *provenance(const struct pv_sbom *m, const struct pv_key *key,
    const char *root)
{
	json_t *src = git_source(root);
	size_t len;
	char *st = pv_slsa_statement(m, PROVCC_VERSION, src, &len), *env, *line;
	const char *why;

	json_decref(src);
	env = pv_dsse_sign(key, PV_PAYLOAD_TYPE, st, len, &why);
	free(st);
	if (!env) {
		pv_error("cannot sign the provenance", NULL, why);
		return NULL;
	}
	line = pv_xasprintf("%s\n", env);
	free(env);
	return line;
}

static int write_all(const struct pv_sbom *m, const struct pv_key *key,
    const char *dir, const char *root)
{
	char *cdx, *spdx, *prov;
	int rc;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		pv_error("cannot create directory", dir, strerror(errno));
		return PV_EXIT_PROVENANCE;
	}
	if ((prov = provenance(m, key, root)) == NULL)
		return PV_EXIT_PROVENANCE;
	cdx = pv_sbom_cyclonedx(m, PROVCC_VERSION);
	spdx = pv_sbom_spdx(m, PROVCC_VERSION);
	rc = write_one(dir, "sbom.cdx.json", cdx, strlen(cdx));
	if (rc == PV_EXIT_OK)
		rc = write_one(dir, "sbom.spdx.json", spdx, strlen(spdx));
	if (rc == PV_EXIT_OK)
		rc = write_one(dir, "provenance.intoto.jsonl", prov,
		    strlen(prov));
	free(cdx);
	free(spdx);
	free(prov);
	return rc;
}

static int run_collect(char **paths, int n, const char *dir,
    const struct pv_key *key, const char *rootopt)
{
	struct pv_sbom m;
	char *root = pv_collect_root(rootopt);
	struct walk w = { &m, json_object(), PV_EXIT_OK };
	int i;

	pv_sbom_init(&m, root, pv_collect_pkgdb);
	for (i = 0; i < n; i++)
		add_path(&w, paths[i]);
	if (w.rc == PV_EXIT_OK && m.narts == 0) {
		pv_error("nothing to collect", NULL,
		    "no linked ELF file with a link note found");
		w.rc = PV_EXIT_NOLINK;
	}
	if (w.rc == PV_EXIT_OK) {
		pv_sbom_finish(&m);
		w.rc = write_all(&m, key, dir, root);
	}
	json_decref(w.seen);
	pv_sbom_free(&m);
	free(root);
	return w.rc;
}

int pv_cmd_collect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "key", required_argument, NULL, 'k' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *keyfile = getenv("PROVCC_KEY"), *root = NULL;
	const char *why;
	struct pv_key *key;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:o:k:r:h", opts, NULL)) != -1) {
		if (c == 'o')
			dir = optarg;
		else if (c == 'k')
			keyfile = optarg;
		else if (c == 'r')
			root = optarg;
		else if (c == 'h') {
			collect_usage(stdout);
			return PV_EXIT_OK;
		} else
			return pv_bad_option(collect_usage, c, argv[optind - 1]);
	}
	if (optind == argc)
		return pv_usage_error(collect_usage, "no PATH named");
	if (!keyfile || !*keyfile)
		return pv_usage_error(collect_usage,
		    "no signing key (--key KEY or $PROVCC_KEY)");
	if ((key = pv_key_load_private(keyfile, &why)) == NULL) {
		pv_error("cannot load private key", keyfile, why);
		return PV_EXIT_USAGE;
	}
	rc = run_collect(argv + optind, argc - optind, dir, key, root);
	pv_key_free(key);
	return rc;
}
