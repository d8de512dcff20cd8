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
#include <pthread.h>
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

/* What the walk found, in order: a file to add (named, or an ELF file
 * found by a search), or a directory that could not be read (ERR),
 * reported in its turn. */
struct item {
	char *path;
	int named;		/* the user named it: no note is an error */
	int err;		/* errno of opendir, or 0 */
	struct pv_sbom_note *note;	/* read; NULL for ERR */
	int done;		/* read */
};

struct walk {
	struct item *items;
	size_t n, cap;
};

static void add_item(struct walk *w, const char *path, int named, int err)
{
	if (w->n == w->cap)
		w->items = pv_xrealloc(w->items, (w->cap = w->cap ?
		    2 * w->cap : 64) * sizeof(*w->items));
	memset(&w->items[w->n], 0, sizeof(w->items[w->n]));
	w->items[w->n].path = pv_xstrdup(path);
	w->items[w->n].named = named;
	w->items[w->n++].err = err;
}

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
		add_item(w, dir, 0, errno);
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
		else if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    is_elf(p))
			add_item(w, p, 0, 0);
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
		add_item(w, path, 1, 0);
}

/* ---- reading notes on several threads ----
 *
 * Reading a note (inflating and parsing its statement) is most of
 * collect's work, and needs no model, so helper threads and the main
 * one read the items while the main thread merges them into the model
 * in the walk's order: the output is the same whichever thread read
 * what.  Readers stay at most WINDOW items ahead of the merge: a note
 * in flight holds its statement's text (megabytes for thousands of
 * compile records), so memory stays at a few notes. */

struct queue {
	struct item *items;
	size_t n;
	size_t next;		/* the next item nobody reads yet */
	size_t merged;		/* items before it are merged */
	size_t window;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void read_item(struct item *it)
{
	if (!it->err)
		it->note = pv_sbom_read(it->path);
}

/* Read the item IT claimed (Q->mu held, and held again on return). */
static void read_claimed(struct queue *q, struct item *it)
{
	pthread_mutex_unlock(&q->mu);
	read_item(it);
	pthread_mutex_lock(&q->mu);
	it->done = 1;
	pthread_cond_broadcast(&q->cv);
}

/* Whether an item is there to read, within the window (Q->mu held). */
static int can_claim(const struct queue *q)
{
	return q->next < q->n && q->next < q->merged + q->window;
}

static void *reader(void *arg)
{
	struct queue *q = arg;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (q->next < q->n && !can_claim(q))
			pthread_cond_wait(&q->cv, &q->mu);
		if (q->next >= q->n)
			break;
		read_claimed(q, &q->items[q->next++]);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Item I, read.  While it is not, the main thread reads the next items
 * itself rather than wait. */
static struct item *item_read(struct queue *q, size_t i)
{
	struct item *it = &q->items[i];

	pthread_mutex_lock(&q->mu);
	while (!it->done) {
		if (can_claim(q))
			read_claimed(q, &q->items[q->next++]);
		else
			pthread_cond_wait(&q->cv, &q->mu);
	}
	pthread_mutex_unlock(&q->mu);
	return it;
}

static void item_merged(struct queue *q, size_t i)
{
	pthread_mutex_lock(&q->mu);
	q->merged = i + 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* Helper threads: one fewer than the CPUs (the main thread reads too),
 * at most 3 (more notes in flight, more memory, for little). */
static size_t helpers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n <= 1 ? 0 : n > 4 ? 3 : (size_t)n - 1;
}

/* Merge the read item IT (as the walk found it) into M. */
static void merge_item(struct pv_sbom *m, json_t *seen, struct item *it,
    int *rc)
{
	char real[PATH_MAX];
	enum pv_link_status st;
	const char *why;
	int have_real;

	if (it->err) {
		pv_error("cannot read directory", it->path, strerror(it->err));
		*rc = *rc ? *rc : PV_EXIT_BADFILE;
		return;
	}
	have_real = realpath(it->path, real) != NULL;
	if ((have_real && json_object_get(seen, real)) || !it->note)
		return;		/* named twice, or not a linked ELF file */
	st = pv_sbom_merge(m, it->note, &why);
	if (st == PV_LINK_OK) {
		if (have_real)
			json_object_set_new(seen, real, json_true());
		return;
	}
	/* Found by a search: objects and plain ELF files are not ours. */
	if (!it->named && (st == PV_LINK_NOPROV || st == PV_LINK_UNREADABLE))
		return;
	pv_error("cannot collect", it->path, why);
	if (*rc == PV_EXIT_OK)
		*rc = pv_link_exit_status(st);
}

/* Read and merge the items of W into M; the exit status so far. */
static int add_items(struct pv_sbom *m, struct walk *w)
{
	struct queue q = { w->items, w->n, 0, 0, 0,
	    PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER };
	pthread_t t[3];
	size_t i, nt, want = helpers();
	json_t *seen = json_object();	/* real paths added */
	int rc = PV_EXIT_OK;

	q.window = want + 2;
	for (nt = 0; nt < want; nt++)
		if (pthread_create(&t[nt], NULL, reader, &q) != 0)
			break;	/* fewer helpers: the main thread reads */
	for (i = 0; i < w->n; i++) {
		merge_item(m, seen, item_read(&q, i), &rc);
		pv_sbom_note_free(w->items[i].note);
		w->items[i].note = NULL;
		item_merged(&q, i);
	}
	for (i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	json_decref(seen);
	return rc;
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

/* The envelope of the statement of M and SRC as one line, or NULL
 * after an error. */
static char *provenance(const struct pv_sbom *m, const struct pv_key *key,
    const json_t *src)
{
	size_t len;
	char *st = pv_slsa_statement(m, PROVCC_VERSION, src, &len), *env;
	const char *why;

	env = pv_dsse_sign(key, PV_PAYLOAD_TYPE, st, len, &why);
	free(st);
	if (!env) {
		pv_error("cannot sign the provenance", NULL, why);
		return NULL;
	}
	len = strlen(env);
	env = pv_xrealloc(env, len + 2);
	memcpy(env + len, "\n", 2);
	return env;
}

/* An SBOM written on a thread of its own: the three documents only
 * read the finished model, and each takes a good part of the time. */
struct sbom_job {
	const struct pv_sbom *m;
	char *(*write)(const struct pv_sbom *, const char *);
	char *text;
	pthread_t t;
	int threaded;
};

static void *sbom_job_run(void *arg)
{
	struct sbom_job *j = arg;

	j->text = j->write(j->m, PROVCC_VERSION);
	return NULL;
}

static void sbom_job_start(struct sbom_job *j)
{
	j->threaded = pthread_create(&j->t, NULL, sbom_job_run, j) == 0;
}

/* The text of J, written here if no thread could. */
static char *sbom_job_end(struct sbom_job *j)
{
	if (j->threaded)
		pthread_join(j->t, NULL);
	else
		sbom_job_run(j);
	return j->text;
}

static int write_all(const struct pv_sbom *m, const struct pv_key *key,
    const char *dir, const char *root)
{
	struct sbom_job cdx = { .m = m, .write = pv_sbom_cyclonedx };
	struct sbom_job spdx = { .m = m, .write = pv_sbom_spdx };
	json_t *src;
	char *prov;
	int rc;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		pv_error("cannot create directory", dir, strerror(errno));
		return PV_EXIT_PROVENANCE;
	}
	src = git_source(root);		/* runs git: before any thread */
	sbom_job_start(&cdx);
	sbom_job_start(&spdx);
	prov = provenance(m, key, src);
	json_decref(src);
	sbom_job_end(&cdx);
	sbom_job_end(&spdx);
	rc = prov ? PV_EXIT_OK : PV_EXIT_PROVENANCE;
	if (rc == PV_EXIT_OK)
		rc = write_one(dir, "sbom.cdx.json", cdx.text,
		    strlen(cdx.text));
	if (rc == PV_EXIT_OK)
		rc = write_one(dir, "sbom.spdx.json", spdx.text,
		    strlen(spdx.text));
	if (rc == PV_EXIT_OK)
		rc = write_one(dir, "provenance.intoto.jsonl", prov,
		    strlen(prov));
	free(cdx.text);
	free(spdx.text);
	free(prov);
	return rc;
}

static int run_collect(char **paths, int n, const char *dir,
    const struct pv_key *key, const char *rootopt)
{
	struct pv_sbom m;
	char *root = pv_collect_root(rootopt);
	struct walk w = { NULL, 0, 0 };
	size_t j;
	int i, rc;

	pv_sbom_init(&m, root, pv_collect_pkgdb);
	for (i = 0; i < n; i++)
		add_path(&w, paths[i]);
	rc = add_items(&m, &w);
	if (rc == PV_EXIT_OK && m.narts == 0) {
		pv_error("nothing to collect", NULL,
		    "no linked ELF file with a link note found");
		rc = PV_EXIT_NOLINK;
	}
	if (rc == PV_EXIT_OK) {
		pv_sbom_finish(&m);
		rc = write_all(&m, key, dir, root);
	}
	for (j = 0; j < w.n; j++)
		free(w.items[j].path);
	free(w.items);
	pv_sbom_free(&m);
	free(root);
	return rc;
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
