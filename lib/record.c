/* record.c - compile record to and from JSON; see record.h. */
#include "record.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_VERSION 1

void pv_filelist_add(struct pv_filelist *l, const char *path,
    const char *sha256hex)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = pv_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n].path = pv_xstrdup(path);
	snprintf(l->v[l->n].sha256, sizeof(l->v[l->n].sha256), "%s",
	    sha256hex);
	l->n++;
}

static int cmp_file(const void *a, const void *b)
{
	const struct pv_file *fa = a, *fb = b;
	int c = strcmp(fa->path, fb->path);

	return c ? c : strcmp(fa->sha256, fb->sha256);
}

void pv_filelist_sort_unique(struct pv_filelist *l)
{
	size_t i, o = 0;

	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof(*l->v), cmp_file);
	for (i = 1; i < l->n; i++) {
		if (cmp_file(&l->v[o], &l->v[i]) == 0)
			free(l->v[i].path);
		else
			l->v[++o] = l->v[i];
	}
	l->n = o + 1;
}

void pv_filelist_free(struct pv_filelist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void pv_record_free(struct pv_record *r)
{
	size_t i;

	free(r->language);
	free(r->source.path);
	free(r->output);
	free(r->cwd);
	for (i = 0; i < r->argc; i++)
		free(r->argv[i]);
	free(r->argv);
	pv_filelist_free(&r->response_files);
	pv_filelist_free(&r->inputs);
	free(r->header_method);
	free(r->driver.path);
	free(r->launcher.path);
	free(r->version);
	free(r->target);
	pv_filelist_free(&r->programs);
	for (i = 0; i < r->nenv; i++) {
		free(r->env[i].name);
		free(r->env[i].value);
	}
	free(r->env);
	memset(r, 0, sizeof(*r));
}

static json_t *file_to_json(const struct pv_file *f)
{
	return json_pack("{s:s, s:s}", "path", f->path, "sha256", f->sha256);
}

static json_t *filelist_to_json(const struct pv_filelist *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, file_to_json(&l->v[i]));
	return a;
}

json_t *pv_record_to_json(const struct pv_record *r)
{
	json_t *argv = json_array(), *env = json_object(), *tool;
	size_t i;

	for (i = 0; i < r->argc; i++)
		json_array_append_new(argv, json_string(r->argv[i]));
	for (i = 0; i < r->nenv; i++)
		json_object_set_new(env, r->env[i].name,
		    json_string(r->env[i].value));
	tool = json_pack("{s:o, s:s, s:s, s:o}",
	    "driver", file_to_json(&r->driver),
	    "version", r->version ? r->version : "",
	    "target", r->target ? r->target : "",
	    "programs", filelist_to_json(&r->programs));
	if (r->launcher.path)	/* optional: absent keeps old records */
		json_object_set_new(tool, "launcher",
		    file_to_json(&r->launcher));
	return json_pack("{s:i, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:s,"
	    " s:o, s:o}",
	    "version", RECORD_VERSION,
	    "language", r->language,
	    "source", file_to_json(&r->source),
	    "output", r->output,
	    "cwd", r->cwd,
	    "argv", argv,
	    "responseFiles", filelist_to_json(&r->response_files),
	    "inputs", filelist_to_json(&r->inputs),
	    "headerMethod", r->header_method,
	    "toolchain", tool,
	    "env", env);
}

/* --- the record as text, without jansson --------------------------------
 *
 * Building the record as jansson values and dumping them took most of
 * provcc's own CPU time per compile (about a million instructions for a
 * 70-header record: allocation, UTF-8 iteration per character, key
 * sorting).  For a record whose strings are all ASCII, the bytes that
 * json_dumps(JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) writes
 * are simple to write directly: keys in strcmp order, no spaces, and in
 * strings only '"', '\\' and control characters escaped (\b \f \n \r
 * \t, others as \u00XX with capital hex digits).  Any other byte sends
 * the record back to jansson, which then decides, as before, how to
 * escape it or whether it is valid at all.  tests/unit/test_record.c
 * holds the two to the same bytes. */

struct text {
	char *s;
	size_t n, cap;
	int non_ascii;
};

static void put_mem(struct text *t, const char *p, size_t n)
{
	if (t->n + n + 1 > t->cap) {
		while (t->n + n + 1 > t->cap)
			t->cap = t->cap ? 2 * t->cap : 4096;
		t->s = pv_xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->n, p, n);
	t->n += n;
	t->s[t->n] = '\0';
}

static void put_lit(struct text *t, const char *p)
{
	put_mem(t, p, strlen(p));
}

/* Bytes that end a run copied as it is: the end, control characters,
 * '"', '\\', and non-ASCII bytes (which send the record to jansson). */
static int ends_run(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

static void put_escape(struct text *t, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
	size_t n = 2;

	switch (c) {
	case '"': esc[1] = '"'; break;
	case '\\': esc[1] = '\\'; break;
	case '\b': esc[1] = 'b'; break;
	case '\f': esc[1] = 'f'; break;
	case '\n': esc[1] = 'n'; break;
	case '\r': esc[1] = 'r'; break;
	case '\t': esc[1] = 't'; break;
	default: n = 6;
	}
	put_mem(t, esc, n);
}

static void put_str(struct text *t, const char *p)
{
	put_mem(t, "\"", 1);
	for (;;) {
		const char *run = p;
		unsigned char c;

		while (!ends_run((unsigned char)*p))
			p++;
		put_mem(t, run, (size_t)(p - run));
		c = (unsigned char)*p++;
		if (c == '\0')
			break;
		if (c >= 0x80) {
			t->non_ascii = 1;	/* the text is dropped */
			continue;
		}
		put_escape(t, c);
	}
	put_mem(t, "\"", 1);
}

/* "KEY": with the comma before it unless it is the first member. */
static void put_key(struct text *t, const char *key, int first)
{
	if (!first)
		put_mem(t, ",", 1);
	put_str(t, key);
	put_mem(t, ":", 1);
}

static void put_file(struct text *t, const struct pv_file *f)
{
	put_key(t, "path", 1);
	put_str(t, f->path);
	put_lit(t, ",\"sha256\":");
	put_str(t, f->sha256);
	put_mem(t, "}", 1);
}

static void put_filelist(struct text *t, const struct pv_filelist *l)
{
	size_t i;

	put_mem(t, "[", 1);
	for (i = 0; i < l->n; i++) {
		put_mem(t, i ? ",{" : "{", i ? 2 : 1);
		put_file(t, &l->v[i]);
	}
	put_mem(t, "]", 1);
}

static int cmp_env(const void *a, const void *b)
{
	const struct pv_envvar *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* jansson keeps the last value of a name set twice; the allowlist names
 * each variable once, so a repeated name takes the jansson path. */
static int put_env(struct text *t, const struct pv_record *r)
{
	const struct pv_envvar **v;
	size_t i;
	int dup = 0;

	v = pv_xcalloc(r->nenv + 1, sizeof(*v));
	for (i = 0; i < r->nenv; i++)
		v[i] = &r->env[i];
	qsort(v, r->nenv, sizeof(*v), cmp_env);
	put_mem(t, "{", 1);
	for (i = 0; i < r->nenv; i++) {
		if (i > 0 && strcmp(v[i - 1]->name, v[i]->name) == 0)
			dup = 1;
		put_key(t, v[i]->name, i == 0);
		put_str(t, v[i]->value);
	}
	put_mem(t, "}", 1);
	free(v);
	return dup ? -1 : 0;
}

static void put_toolchain(struct text *t, const struct pv_record *r)
{
	put_lit(t, "{\"driver\":{");
	put_file(t, &r->driver);
	if (r->launcher.path) {
		put_lit(t, ",\"launcher\":{");
		put_file(t, &r->launcher);
	}
	put_lit(t, ",\"programs\":");
	put_filelist(t, &r->programs);
	put_lit(t, ",\"target\":");
	put_str(t, r->target ? r->target : "");
	put_lit(t, ",\"version\":");
	put_str(t, r->version ? r->version : "");
	put_mem(t, "}", 1);
}

char *pv_record_to_ascii_json(const struct pv_record *r)
{
	struct text t = { NULL, 0, 0, 0 };
	char num[32];
	size_t i;
	int dup;

	if (!r->language || !r->output || !r->cwd || !r->header_method ||
	    !r->source.path || !r->driver.path)
		return NULL;	/* jansson refuses these: let it say so */
	put_lit(&t, "{\"argv\":[");
	for (i = 0; i < r->argc; i++) {
		if (i > 0)
			put_mem(&t, ",", 1);
		put_str(&t, r->argv[i]);
	}
	put_lit(&t, "],\"cwd\":");
	put_str(&t, r->cwd);
	put_lit(&t, ",\"env\":");
	dup = put_env(&t, r);
	put_lit(&t, ",\"headerMethod\":");
	put_str(&t, r->header_method);
	put_lit(&t, ",\"inputs\":");
	put_filelist(&t, &r->inputs);
	put_lit(&t, ",\"language\":");
	put_str(&t, r->language);
	put_lit(&t, ",\"output\":");
	put_str(&t, r->output);
	put_lit(&t, ",\"responseFiles\":");
	put_filelist(&t, &r->response_files);
	put_lit(&t, ",\"source\":{");
	put_file(&t, &r->source);
	put_lit(&t, ",\"toolchain\":");
	put_toolchain(&t, r);
	snprintf(num, sizeof(num), ",\"version\":%d}", RECORD_VERSION);
	put_lit(&t, num);
	if (t.non_ascii || dup) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

static char *dup_member(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? pv_xstrdup(json_string_value(v)) : NULL;
}

static int file_from_json(const json_t *j, struct pv_file *f)
{
	const char *path, *sha;

	if (json_unpack((json_t *)j, "{s:s, s:s}", "path", &path,
	    "sha256", &sha) < 0 || strlen(sha) != PV_SHA256_HEX - 1)
		return -1;
	f->path = pv_xstrdup(path);
	snprintf(f->sha256, sizeof(f->sha256), "%s", sha);
	return 0;
}

static int filelist_from_json(const json_t *a, struct pv_filelist *l)
{
	size_t i;
	json_t *e;

	if (!json_is_array(a))
		return -1;
	json_array_foreach(a, i, e) {
		struct pv_file f;

		if (file_from_json(e, &f) < 0)
			return -1;
		pv_filelist_add(l, f.path, f.sha256);
		free(f.path);
	}
	return 0;
}

static int argv_from_json(const json_t *a, struct pv_record *r)
{
	size_t i;
	json_t *e;

	if (!json_is_array(a))
		return -1;
	r->argv = pv_xcalloc(json_array_size(a) + 1, sizeof(char *));
	json_array_foreach(a, i, e) {
		if (!json_is_string(e))
			return -1;
		r->argv[r->argc++] = pv_xstrdup(json_string_value(e));
	}
	return 0;
}

static int env_from_json(const json_t *o, struct pv_record *r)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o))
		return -1;
	r->env = pv_xcalloc(json_object_size(o) + 1, sizeof(*r->env));
	json_object_foreach((json_t *)o, k, v) {
		if (!json_is_string(v))
			return -1;
		r->env[r->nenv].name = pv_xstrdup(k);
		r->env[r->nenv].value = pv_xstrdup(json_string_value(v));
		r->nenv++;
	}
	return 0;
}

static int toolchain_from_json(const json_t *t, struct pv_record *r)
{
	if (!json_is_object(t) ||
	    file_from_json(json_object_get(t, "driver"), &r->driver) < 0)
		return -1;
	r->version = dup_member(t, "version");
	r->target = dup_member(t, "target");
	if (!r->version || !r->target)
		return -1;
	if (json_object_get(t, "launcher") &&
	    file_from_json(json_object_get(t, "launcher"), &r->launcher) < 0)
		return -1;
	return filelist_from_json(json_object_get(t, "programs"),
	    &r->programs);
}

int pv_record_from_json(const json_t *j, struct pv_record *r)
{
	memset(r, 0, sizeof(*r));
	if (!json_is_object(j) ||
	    json_integer_value(json_object_get(j, "version")) !=
	    RECORD_VERSION)
		return -1;
	r->language = dup_member(j, "language");
	r->output = dup_member(j, "output");
	r->cwd = dup_member(j, "cwd");
	r->header_method = dup_member(j, "headerMethod");
	if (!r->language || !r->output || !r->cwd || !r->header_method ||
	    file_from_json(json_object_get(j, "source"), &r->source) < 0 ||
	    argv_from_json(json_object_get(j, "argv"), r) < 0 ||
	    filelist_from_json(json_object_get(j, "responseFiles"),
	    &r->response_files) < 0 ||
	    filelist_from_json(json_object_get(j, "inputs"), &r->inputs) < 0 ||
	    toolchain_from_json(json_object_get(j, "toolchain"), r) < 0 ||
	    env_from_json(json_object_get(j, "env"), r) < 0) {
		pv_record_free(r);
		return -1;
	}
	return 0;
}
