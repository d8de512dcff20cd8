/* sbommodel.c - the collector's component model; see sbommodel.h. */
#define _POSIX_C_SOURCE 200809L	/* gmtime_r */
#include "sbommodel.h"
#include "pkgfacts.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void pv_sbom_init(struct pv_sbom *m, const char *root,
    struct pv_pkgdb *(*open_db)(void))
{
	memset(m, 0, sizeof(*m));
	m->root = root ? pv_xstrdup(root) : NULL;
	m->open_db = open_db;
	m->fileidx = json_object();
	m->pkgidx = json_object();
	m->note_pkgs = json_array();
	m->facts = -1;
}

void pv_sbom_free(struct pv_sbom *m)
{
	size_t i;

	for (i = 0; i < m->narts; i++) {
		free(m->arts[i]->path);
		free(m->arts[i]->name);
		free(m->arts[i]->output_type);
		free(m->arts[i]->edges);
		free(m->arts[i]);
	}
	for (i = 0; i < m->nfiles; i++) {
		free(m->files[i]->path);
		free(m->files[i]->soname);
		free(m->files[i]);
	}
	for (i = 0; i < m->npkgs; i++)
		free(m->pkgs[i]);
	free(m->arts);
	free(m->files);
	free(m->pkgs);
	free(m->root);
	json_decref(m->fileidx);
	json_decref(m->pkgidx);
	json_decref(m->note_pkgs);
	if (m->db)
		pv_pkgdb_close(m->db);
	memset(m, 0, sizeof(*m));
}

static void *grow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? 2 * *cap : 16;
	return pv_xrealloc(p, *cap * size);
}

static struct pv_sbom_pkg *package_of(struct pv_sbom *m,
    const struct pv_pkg *p)
{
	char *key = pv_xasprintf("%s:%s:%s", p->name, p->arch ? p->arch : "",
	    p->version ? p->version : "");
	json_t *v = json_object_get(m->pkgidx, key);
	struct pv_sbom_pkg *sp;

	if (v) {
		free(key);
		return m->pkgs[json_integer_value(v)];
	}
	sp = pv_xcalloc(1, sizeof(*sp));
	sp->pkg = p;
	m->pkgs = grow(m->pkgs, m->npkgs, &m->pkgcap, sizeof(*m->pkgs));
	json_object_set_new(m->pkgidx, key, json_integer((json_int_t)m->npkgs));
	m->pkgs[m->npkgs++] = sp;
	free(key);
	return sp;
}

/* The package the current note names for PATH, or NULL.  Checked by
 * check_facts: the index and the package object are good. */
static struct pv_sbom_pkg *note_owner(struct pv_sbom *m, const char *path)
{
	const json_t *i = json_object_get(m->fact_owners, path), *obj;
	struct pv_sbom_pkg *sp;
	struct pv_pkg p;

	if (!i)
		return NULL;
	obj = json_array_get(m->fact_list, (size_t)json_integer_value(i));
	(void)pv_pkgfacts_from_json(obj, &p);
	sp = package_of(m, &p);
	if (sp->pkg == &p) {	/* new: keep its strings alive */
		json_array_append(m->note_pkgs, (json_t *)obj);
		sp->from_note = p;
		sp->pkg = &sp->from_note;
	}
	return sp;
}

static struct pv_sbom_pkg *local_owner(struct pv_sbom *m, const char *path)
{
	const struct pv_pkg *p;

	if (!m->db_tried && m->open_db) {
		m->db = m->open_db();
		m->db_tried = 1;
	}
	p = m->db ? pv_pkgdb_lookup(m->db, path) : NULL;
	return p ? package_of(m, p) : NULL;
}

static void attribute(struct pv_sbom *m, struct pv_sbom_file *f)
{
	if (f->path[0] != '/') {
		f->origin = PV_SBOM_PROJECT;
		return;
	}
	if (m->facts == PV_PKGFACTS_OK)
		f->pkg = note_owner(m, f->path);
	else if (m->facts != PV_PKGFACTS_NODB)
		f->pkg = local_owner(m, f->path);
	f->origin = f->pkg ? PV_SBOM_PACKAGED : PV_SBOM_UNIDENTIFIED;
	if (f->pkg)
		f->pkg->nfiles++;
}

/* The file PATH with SHA256 (64 hex digits), added once. */
static struct pv_sbom_file *file_of(struct pv_sbom *m, const char *path,
    const char *sha256)
{
	char *key = pv_xasprintf("%s %s", sha256, path);
	json_t *v = json_object_get(m->fileidx, key);
	struct pv_sbom_file *f;

	if (v) {
		free(key);
		return m->files[json_integer_value(v)];
	}
	f = pv_xcalloc(1, sizeof(*f));
	f->path = pv_xstrdup(path);
	snprintf(f->sha256, sizeof(f->sha256), "%s", sha256);
	attribute(m, f);
	m->files = grow(m->files, m->nfiles, &m->filecap, sizeof(*m->files));
	json_object_set_new(m->fileidx, key,
	    json_integer((json_int_t)m->nfiles));
	m->files[m->nfiles++] = f;
	free(key);
	return f;
}

static int is_hex64(const char *s)
{
	return s && strspn(s, "0123456789abcdef") == 64 && s[64] == '\0';
}

/* One edge per artifact and file, however often the note names it, so
 * that memory follows distinct files, not references. */
static void add_edge(struct pv_sbom_artifact *a, struct pv_sbom_file *f,
    unsigned kind)
{
	if (f->edge_art == a->serial)
		a->edges[f->edge_at].kinds |= kind;
	else {
		a->edges = grow(a->edges, a->nedges, &a->edgecap,
		    sizeof(*a->edges));
		f->edge_art = a->serial;
		f->edge_at = a->nedges;
		a->edges[a->nedges].file = f;
		a->edges[a->nedges++].kinds = kind;
	}
	f->rels |= kind;
	if (f->pkg)
		f->pkg->rels |= kind;
}

/* ---- reading a note ----
 *
 * Reading a note (the file, its digests, inflating and parsing the
 * statement) is most of the work, and needs no model: pv_sbom_read
 * does it on any thread, and keeps of the parsed statement only what
 * the model takes, one ref per file the note names with the union of
 * how it names it.  The parse tree, which grows with compile records
 * times their inputs, is freed before the note reaches the model. */

/* A file the note names: KINDS is the union over its mentions. */
struct note_ref {
	char *path;
	char sha256[PV_SHA256_HEX];
	char *soname;			/* a shared input's, or NULL */
	unsigned kinds;
};

struct pv_sbom_note {
	enum pv_link_status st;
	char why[256];
	struct pv_sbom_artifact *a;	/* no edges yet */
	json_t *facts;			/* {"packages": ...} of the predicate */
	struct note_ref *refs;
	size_t nrefs, refcap;
};

/* Name PATH with SHA256 as KINDS.  Archive members come in runs of the
 * same archive: a run is one ref. */
static void note_ref(struct pv_sbom_note *n, const char *path,
    const char *sha256, unsigned kinds, const char *soname)
{
	struct note_ref *r = n->nrefs ? &n->refs[n->nrefs - 1] : NULL;

	if (!r || strcmp(r->path, path) != 0 || strcmp(r->sha256, sha256)) {
		n->refs = grow(n->refs, n->nrefs, &n->refcap,
		    sizeof(*n->refs));
		r = &n->refs[n->nrefs++];
		r->path = pv_xstrdup(path);
		memcpy(r->sha256, sha256, PV_SHA256_HEX);
		r->soname = NULL;
		r->kinds = 0;
	}
	r->kinds |= kinds;
	if (soname && !r->soname)
		r->soname = pv_xstrdup(soname);
}

/* A file object {PATHKEY, SHAKEY} of the note as KIND; -1 when it is
 * not one. */
static int obj_ref(struct pv_sbom_note *n, const json_t *o,
    const char *pathkey, const char *shakey, unsigned kind,
    const char *soname)
{
	const char *path = json_string_value(json_object_get(o, pathkey));
	const char *sha = json_string_value(json_object_get(o, shakey));

	if (!path || !*path || !is_hex64(sha))
		return -1;
	note_ref(n, path, sha, kind, soname);
	return 0;
}

static int read_inputs(struct pv_sbom_note *n, const json_t *inputs)
{
	const char *kind;
	size_t i;
	json_t *in;

	json_array_foreach(inputs, i, in) {
		kind = json_string_value(json_object_get(in, "kind"));
		if (!kind)
			return -1;
		if (json_is_true(json_object_get(in, "temporary")))
			continue;	/* compiled for the link: its sources count */
		if (strcmp(kind, "member") == 0) {
			if (obj_ref(n, in, "path", "archiveSha256",
			    PV_REL_STATIC, NULL) < 0)
				return -1;
		} else if (strcmp(kind, "shared") == 0) {
			if (obj_ref(n, in, "path", "sha256", PV_REL_DYNAMIC,
			    json_string_value(json_object_get(in,
			    "soname"))) < 0)
				return -1;
		} else if (obj_ref(n, in, "path", "sha256",
		    strcmp(kind, "object") == 0 ? PV_REL_STATIC : PV_REL_SOURCE,
		    NULL) < 0)
			return -1;
	}
	return 0;
}

static int read_link(struct pv_sbom_note *n, const json_t *link)
{
	const json_t *o;
	size_t i;
	json_t *p;

	if (!json_is_object(link))
		return -1;
	if ((o = json_object_get(link, "driver")) != NULL &&
	    obj_ref(n, o, "path", "sha256", PV_REL_TOOL, NULL) < 0)
		return -1;
	if ((o = json_object_get(link, "linker")) != NULL &&
	    obj_ref(n, o, "path", "sha256", PV_REL_TOOL, NULL) < 0)
		return -1;
	json_array_foreach(json_object_get(link, "plugins"), i, p)
		if (obj_ref(n, p, "path", "sha256", PV_REL_TOOL, NULL) < 0)
			return -1;
	return 0;
}

/* How the compile records name each entry of the note's files table:
 * records repeat the same indices (every unit names the same system
 * headers), so they only set bits here, and each entry named becomes
 * one ref.  The table grows with the highest index named. */
struct table {
	unsigned *kinds;
	size_t n, cap;
	size_t limit;		/* indices must be below it */
};

/* Index J of a compact record into the table, as KIND. */
static int read_index(struct table *t, const json_t *j, unsigned kind)
{
	json_int_t v;
	size_t i, cap;

	if (!json_is_integer(j))
		return -1;
	v = json_integer_value(j);
	if (v < 0 || (size_t)v >= t->limit)
		return -1;
	i = (size_t)v;
	if (i >= t->cap) {
		cap = t->cap ? 2 * t->cap : 256;
		cap = cap > i ? cap : i + 1;
		t->kinds = pv_xrealloc(t->kinds, cap * sizeof(*t->kinds));
		memset(t->kinds + t->cap, 0, (cap - t->cap) * sizeof(*t->kinds));
		t->cap = cap;
	}
	if (i >= t->n)
		t->n = i + 1;
	t->kinds[i] |= kind;
	return 0;
}

static int read_indices(struct table *t, const json_t *arr, unsigned kind)
{
	size_t i;
	json_t *j;

	if (!json_is_array(arr))
		return -1;
	json_array_foreach(arr, i, j)
		if (read_index(t, j, kind) < 0)
			return -1;
	return 0;
}

static int read_compile(struct table *t, const json_t *c)
{
	const json_t *tc = json_object_get(c, "toolchain");
	const json_t *l;

	if (read_index(t, json_object_get(c, "source"), PV_REL_SOURCE) < 0 ||
	    read_indices(t, json_object_get(c, "inputs"),
	    PV_REL_SOURCE) < 0 ||
	    read_indices(t, json_object_get(c, "responseFiles"),
	    PV_REL_SOURCE) < 0 ||
	    read_index(t, json_object_get(tc, "driver"), PV_REL_TOOL) < 0 ||
	    read_indices(t, json_object_get(tc, "programs"), PV_REL_TOOL) < 0)
		return -1;
	l = json_object_get(tc, "launcher");
	return l ? read_index(t, l, PV_REL_TOOL) : 0;
}

/* COMPILES (those not read yet) into T, then a ref for each entry of
 * FILES named. */
static int read_compiles(struct pv_sbom_note *n, struct table *t,
    const json_t *files, const json_t *compiles)
{
	size_t i;
	json_t *c;

	t->limit = json_array_size(files);
	if (t->n > t->limit)	/* streamed records named a missing entry */
		return -1;
	json_array_foreach(compiles, i, c)
		if (read_compile(t, c) < 0)
			return -1;
	/* Only the entries named are checked, as when each was looked up. */
	for (i = 0; i < t->n; i++)
		if (t->kinds[i] && obj_ref(n, json_array_get(files, i), "path",
		    "sha256", t->kinds[i], NULL) < 0)
			return -1;
	return 0;
}

static int read_predicate(struct pv_sbom_note *n, struct table *t,
    const json_t *pred)
{
	const json_t *files = json_object_get(pred, "files");
	const json_t *link = json_object_get(pred, "link");
	const json_t *pkgs = json_object_get(pred, "packages");
	const char *type = json_string_value(json_object_get(link,
	    "outputType"));

	if (!json_is_array(files) || !type ||
	    !json_is_array(json_object_get(pred, "compiles")) ||
	    !json_is_array(json_object_get(pred, "inputs")))
		return -1;
	n->a->output_type = pv_xstrdup(type);
	/* Checked against the model's packages when the note is merged. */
	n->facts = json_object();
	if (pkgs)
		json_object_set_new(n->facts, "packages",
		    pv_pkgfacts_expand(pkgs, files));
	if (read_link(n, link) < 0 ||
	    read_inputs(n, json_object_get(pred, "inputs")) < 0)
		return -1;
	return read_compiles(n, t, files, json_object_get(pred, "compiles"));
}

/* provcc writes a statement canonically (docs/format.md section 11:
 * compact, members sorted), so the compile records, the bulk of a
 * note, come first, right after this. */
#define COMPILES_AT "{\"_type\":\"https://in-toto.io/Statement/v1\"," \
	"\"predicate\":{\"compiles\":["

/* Read the compile records of TEXT into T one at a time, so that only
 * one record's parse tree exists at once (a whole note's tree grows with
 * records times their headers, ~35 MB for 5,000 units).  Returns the
 * offset of the ']' ending them, or 0 when TEXT is not laid out so, or
 * a record is wrong: TEXT is then parsed whole, as any JSON, and that
 * decides what is wrong. */
static size_t stream_compiles(struct table *t, const char *text,
    size_t len)
{
	size_t at = sizeof(COMPILES_AT) - 1;
	json_error_t e;
	json_t *c;
	int rc;

	if (len <= at || memcmp(text, COMPILES_AT, at) != 0)
		return 0;
	/* No entry is named before the table is read: it cannot have more
	 * entries than the text has bytes. */
	t->limit = len;
	if (text[at] == ']')
		return at;
	for (;;) {
		c = json_loadb(text + at, len - at,
		    JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &e);
		rc = c ? read_compile(t, c) : -1;
		json_decref(c);
		if (rc < 0 || e.position <= 0 || (size_t)e.position >= len - at)
			return 0;
		at += (size_t)e.position;	/* just past the record */
		if (text[at] == ']')
			return at;
		if (text[at] != ',')
			return 0;
		at++;
	}
}

/* TEXT with the compile records from the prefix to END cut out. */
static char *without_compiles(const char *text, size_t len, size_t end,
    size_t *outlen)
{
	size_t at = sizeof(COMPILES_AT) - 1;
	char *s = pv_xmalloc(at + (len - end) + 1);

	memcpy(s, text, at);
	memcpy(s + at, text + end, len - end);
	s[at + len - end] = '\0';
	*outlen = at + len - end;
	return s;
}

static int read_statement(struct pv_sbom_note *n, const char *text,
    size_t len)
{
	struct table t = { NULL, 0, 0, 0 };
	size_t end = stream_compiles(&t, text, len), restlen;
	char *rest = NULL;
	json_t *st;
	const char *name;
	int rc = -1;

	if (end) {
		rest = without_compiles(text, len, end, &restlen);
		st = json_loadb(rest, restlen, JSON_REJECT_DUPLICATES, NULL);
	} else {
		/* From the start, on the whole text. */
		if (t.cap)
			memset(t.kinds, 0, t.cap * sizeof(*t.kinds));
		t.n = 0;
		st = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	}
	name = json_string_value(json_object_get(json_array_get(
	    json_object_get(st, "subject"), 0), "name"));
	if (st && name && strcmp(json_string_value(json_object_get(st,
	    "predicateType")) ? json_string_value(json_object_get(st,
	    "predicateType")) : "", PV_LINK_PREDICATE_TYPE) == 0) {
		n->a->name = pv_xstrdup(name);
		rc = read_predicate(n, &t, json_object_get(st, "predicate"));
	}
	json_decref(st);
	free(rest);
	free(t.kinds);
	return rc;
}

static void artifact_free(struct pv_sbom_artifact *a)
{
	if (!a)
		return;
	free(a->path);
	free(a->name);
	free(a->output_type);
	free(a->edges);
	free(a);
}

static pthread_mutex_t verify_lock = PTHREAD_MUTEX_INITIALIZER;

struct pv_sbom_note *pv_sbom_read(const char *path)
{
	struct pv_sbom_note *n = pv_xcalloc(1, sizeof(*n));
	struct pv_link_check c;
	struct pv_sbom_artifact *a;
	char *text, hex[PV_SHA256_HEX];
	int hashed;

	/* Checking the note (libelf, the hash cache, messages in static
	 * buffers) is done by one thread at a time; it is a small part of
	 * reading a note. */
	pthread_mutex_lock(&verify_lock);
	(void)pv_sha256_md();	/* fetched once, before threads hash */
	n->st = pv_link_verify_file(path, NULL, &c);
	if (n->st != PV_LINK_OK && n->st != PV_LINK_UNSIGNED) {
		snprintf(n->why, sizeof(n->why), "%s", c.why);
		pv_link_check_free(&c);
		pthread_mutex_unlock(&verify_lock);
		return n;
	}
	n->a = a = pv_xcalloc(1, sizeof(*a));
	a->path = pv_xstrdup(path);
	a->signature = pv_sigalg_name(c.note.sigalg);
	pv_hex(c.digest, PV_SHA256_LEN, a->elf_digest);
	hashed = pv_sha256_file_hex(path, a->sha256);
	pthread_mutex_unlock(&verify_lock);
	/* The signed payload: the digest written into the statement in
	 * place (pv_link_payload would copy megabytes). */
	text = c.note.statement;
	pv_hex(c.digest, PV_SHA256_LEN, hex);
	memcpy(text + c.note.digest_off, hex, PV_SHA256_HEX - 1);
	pv_sha256_buf_hex(text, c.note.statement_len, a->statement_sha256);
	if (hashed < 0 || read_statement(n, text, c.note.statement_len) < 0) {
		snprintf(n->why, sizeof(n->why), "%s",
		    "the link statement is not one this provcc reads");
		n->st = PV_LINK_MALFORMED;
	}
	pv_link_check_free(&c);
	return n;
}

void pv_sbom_note_free(struct pv_sbom_note *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nrefs; i++) {
		free(n->refs[i].path);
		free(n->refs[i].soname);
	}
	free(n->refs);
	artifact_free(n->a);
	json_decref(n->facts);
	free(n);
}

/* ---- merging a note into the model ---- */

/* Take the package facts of PRED for the files that follow; -1 when
 * the note has them but they do not hold together. */
static int check_facts(struct pv_sbom *m, const json_t *pred)
{
	const json_t *v;
	const char *path;
	struct pv_pkg p;
	json_int_t i;
	size_t k;

	m->facts = pv_pkgfacts_of(pred, &m->fact_list, &m->fact_owners);
	if (m->facts < 0)
		return json_object_get(pred, "packages") ? -1 : 0;
	if (m->facts != PV_PKGFACTS_OK)
		return 0;
	json_array_foreach(m->fact_list, k, v)
		if (pv_pkgfacts_from_json(v, &p) < 0)
			return -1;
	json_object_foreach((json_t *)m->fact_owners, path, v) {
		i = json_integer_value(v);
		if (!json_is_integer(v) || i < 0 ||
		    (size_t)i >= json_array_size(m->fact_list))
			return -1;
	}
	return 0;
}

enum pv_link_status pv_sbom_merge(struct pv_sbom *m, struct pv_sbom_note *n,
    const char **why)
{
	static char reason[256];
	struct pv_sbom_artifact *a = n->a;
	struct pv_sbom_file *f;
	size_t i;

	if (n->st == PV_LINK_OK || n->st == PV_LINK_UNSIGNED) {
		a->serial = ++m->serial;
		if (check_facts(m, n->facts) < 0) {
			n->st = PV_LINK_MALFORMED;
			snprintf(n->why, sizeof(n->why), "%s",
			    "the link statement is not one this provcc reads");
		}
	}
	if (n->st != PV_LINK_OK && n->st != PV_LINK_UNSIGNED) {
		snprintf(reason, sizeof(reason), "%s", n->why);
		*why = reason;
		return n->st;
	}
	for (i = 0; i < n->nrefs; i++) {
		f = file_of(m, n->refs[i].path, n->refs[i].sha256);
		add_edge(a, f, n->refs[i].kinds);
		if (n->refs[i].soname && !f->soname)
			f->soname = pv_xstrdup(n->refs[i].soname);
	}
	m->arts = grow(m->arts, m->narts, &m->artcap, sizeof(*m->arts));
	m->arts[m->narts++] = a;
	n->a = NULL;
	return PV_LINK_OK;
}

enum pv_link_status pv_sbom_add(struct pv_sbom *m, const char *path,
    const char **why)
{
	struct pv_sbom_note *n = pv_sbom_read(path);
	enum pv_link_status st = pv_sbom_merge(m, n, why);

	pv_sbom_note_free(n);
	return st;
}

/* ---- sorting ---- */

/* qsort, which may not be given a null base even for no elements. */
static void sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_file(const void *x, const void *y)
{
	const struct pv_sbom_file *a = *(struct pv_sbom_file *const *)x;
	const struct pv_sbom_file *b = *(struct pv_sbom_file *const *)y;
	int c = strcmp(a->path, b->path);

	return c ? c : strcmp(a->sha256, b->sha256);
}

static int cmp_pkg(const void *x, const void *y)
{
	const struct pv_pkg *a = (*(struct pv_sbom_pkg *const *)x)->pkg;
	const struct pv_pkg *b = (*(struct pv_sbom_pkg *const *)y)->pkg;
	int c = strcmp0(a->name, b->name);

	if (!c)
		c = strcmp0(a->arch, b->arch);
	return c ? c : strcmp0(a->version, b->version);
}

static int cmp_art(const void *x, const void *y)
{
	const struct pv_sbom_artifact *a = *(struct pv_sbom_artifact *const *)x;
	const struct pv_sbom_artifact *b = *(struct pv_sbom_artifact *const *)y;
	int c = strcmp(a->name, b->name);

	if (!c)
		c = strcmp(a->sha256, b->sha256);
	return c ? c : strcmp(a->path, b->path);
}

static int cmp_edge(const void *x, const void *y)
{
	const struct pv_sbom_edge *a = x, *b = y;

	return (a->file->rank > b->file->rank) - (a->file->rank < b->file->rank);
}

/* Sort an artifact's edges and merge those to the same file. */
static void merge_edges(struct pv_sbom_artifact *a)
{
	size_t i, n = 0;

	sort(a->edges, a->nedges, sizeof(*a->edges), cmp_edge);
	for (i = 0; i < a->nedges; i++) {
		if (n > 0 && a->edges[n - 1].file == a->edges[i].file)
			a->edges[n - 1].kinds |= a->edges[i].kinds;
		else
			a->edges[n++] = a->edges[i];
	}
	a->nedges = n;
}

void pv_sbom_finish(struct pv_sbom *m)
{
	size_t i;

	sort(m->files, m->nfiles, sizeof(*m->files), cmp_file);
	sort(m->pkgs, m->npkgs, sizeof(*m->pkgs), cmp_pkg);
	sort(m->arts, m->narts, sizeof(*m->arts), cmp_art);
	for (i = 0; i < m->nfiles; i++)
		m->files[i]->rank = i;
	for (i = 0; i < m->npkgs; i++)
		m->pkgs[i]->rank = i;
	for (i = 0; i < m->narts; i++)
		merge_edges(m->arts[i]);
}

char *pv_sbom_file_location(const struct pv_sbom *m,
    const struct pv_sbom_file *f)
{
	if (f->path[0] == '/')
		return pv_xstrdup(f->path);
	if (!m->root)
		return NULL;
	return pv_xasprintf("%s/%s", m->root, f->path);
}

void pv_sbom_uuid(const char *text, size_t len, char out[37])
{
	unsigned char h[PV_SHA256_LEN];
	char hex[PV_SHA256_HEX];

	pv_sha256_buf(text, len, h);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x50);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	pv_hex(h, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
	    hex + 16, hex + 20);
}

struct dumpbuf {
	char *s;
	size_t len, cap;
};

static int dump_to(const char *buf, size_t size, void *arg)
{
	struct dumpbuf *b = arg;

	if (b->cap - b->len < size + 2) {
		while (b->cap - b->len < size + 2)
			b->cap = b->cap ? 2 * b->cap : 65536;
		b->s = pv_xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, buf, size);
	b->len += size;
	return 0;
}

char *pv_sbom_dump(const json_t *j)
{
	struct dumpbuf b = { NULL, 0, 0 };

	/* Into one buffer of ours: json_dumps copies its whole text once
	 * more at the end, megabytes here. */
	if (json_dump_callback(j, dump_to, &b, JSON_INDENT(2) |
	    JSON_SORT_KEYS) != 0) {
		pv_error("out of memory", NULL, "cannot serialise JSON");
		exit(70);
	}
	dump_to("\n", 2, &b);	/* the final newline and a NUL */
	return b.s;
}

/* V as JSON text, as json_dumps writes a string. */
static char *json_text(const char *v)
{
	json_t *j = json_string(v);
	char *s = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

	json_decref(j);
	if (!s) {
		pv_error("out of memory", NULL, "cannot serialise JSON");
		exit(70);
	}
	return s;
}

/* KEYS compares as JSON_SORT_KEYS does: strcmp, here of a key of LEN
 * bytes at K. */
static int key_cmp(const char *k, size_t len, const char *key)
{
	size_t klen = strlen(key);
	int c = strncmp(k, key, len < klen ? len : klen);

	return c ? c : (len > klen) - (len < klen);
}

/* Where member KEY goes among the top-level members of TEXT: before
 * the first whose key sorts after it (the offset just past the newline
 * before it), else 0 (at the end).  In pv_sbom_dump's text a top-level
 * member, and only one, starts a line with exactly two spaces and a
 * quote: deeper lines are indented further, and strings hold no raw
 * newline.  The documents' top-level keys are plain words (no escapes). */
static size_t member_slot(const char *text, const char *key)
{
	const char *p = text, *k, *q;

	while ((p = strstr(p, "\n  \"")) != NULL) {
		k = p + 4;
		if ((q = strchr(k, '"')) == NULL)
			break;
		if (key_cmp(k, (size_t)(q - k), key) > 0)
			return (size_t)(p + 1 - text);
		p = q;
	}
	return 0;
}

/* The concatenation of the N strings PARTS. */
static char *concat(const char *const *parts, const size_t *lens, size_t n)
{
	size_t i, len = 0;
	char *out, *o;

	for (i = 0; i < n; i++)
		len += lens[i];
	o = out = pv_xmalloc(len + 1);
	for (i = 0; i < n; i++) {
		memcpy(o, parts[i], lens[i]);
		o += lens[i];
	}
	*o = '\0';
	return out;
}

char *pv_sbom_dump_with(const char *text, const char *key, const char *value)
{
	char *k = json_text(key), *v = json_text(value), *out;
	size_t at = member_slot(text, key), len = strlen(text);
	const char *mid[] = { text, "  ", k, ": ", v, ",\n", text + at };
	const char *end[] = { text, ",\n  ", k, ": ", v, "\n}\n" };
	size_t midlen[] = { at, 2, strlen(k), 2, strlen(v), 2, len - at };
	size_t endlen[] = { len - 3, 4, strlen(k), 2, strlen(v), 3 };

	/* Memcpy, not printf: these are megabytes. */
	if (at > 0)
		out = concat(mid, midlen, 7);
	else	/* the last member: the one before it gets a comma */
		out = concat(end, endlen, 6);
	free(k);
	free(v);
	return out;
}

int pv_sbom_epoch(char out[32])
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	unsigned long long v;
	time_t t;
	struct tm tm;

	if (!s || !*s)
		return -1;
	v = strtoull(s, &end, 10);
	if (*end || s[0] == '-' || v > 253402300799ULL)
		return -1;
	t = (time_t)v;
	if (!gmtime_r(&t, &tm))
		return -1;
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

const char *pv_sbom_rel_names(unsigned kinds)
{
	/* Every combination spelled out: no buffer, so the writers may run
	 * on threads of their own. */
	static const char *const names[16] = { "", "static", "dynamic",
	    "static,dynamic", "tool", "static,tool", "dynamic,tool",
	    "static,dynamic,tool", "source", "static,source",
	    "dynamic,source", "static,dynamic,source", "tool,source",
	    "static,tool,source", "dynamic,tool,source",
	    "static,dynamic,tool,source" };

	return names[kinds & 15];
}
