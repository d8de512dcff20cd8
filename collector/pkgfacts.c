/* pkgfacts.c - package facts for the link note; see pkgfacts.h. */
#define _POSIX_C_SOURCE 200809L
#include "pkgfacts.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_FILE "pkgfacts.json"
#define CACHE_VERSION 3
/* A cache that grew past this many paths starts afresh: it stays small
 * enough to read in a millisecond or two. */
#define CACHE_MAX_PATHS 50000

struct facts {
	const char *admindir;
	char *stamp;		/* the database files' identity */
	char *cache_path;	/* NULL: no cache */
	json_t *cache;		/* {"version", "stamp", "packages", "paths"} */
	json_t *pkgs;		/* key -> package object (in cache) */
	json_t *paths;		/* path -> key, or null: no package */
	struct pv_pkgdb *db;	/* opened on the first miss */
	int dirty;
};

/* ------------------------------------------------------------------ */
/* Package objects                                                     */

static void set_str(json_t *o, const char *name, const char *value)
{
	if (value)
		json_object_set_new(o, name, json_string(value));
}

json_t *pv_pkgfacts_json(const struct pv_pkg *p)
{
	json_t *o = json_object(), *sup;

	set_str(o, "name", p->name);
	set_str(o, "version", p->version);
	set_str(o, "architecture", p->arch);
	set_str(o, "source", p->source);
	set_str(o, "sourceVersion", p->source_version);
	set_str(o, "upstreamVersion", p->upstream_version);
	set_str(o, "purl", p->purl);
	set_str(o, "cpe", p->cpe);
	set_str(o, "state", p->state);
	if (p->supplier_name) {
		sup = json_object();
		set_str(sup, "name", p->supplier_name);
		set_str(sup, "email", p->supplier_email);
		json_object_set_new(o, "supplier", sup);
	}
	return o;
}

static const char *get_str(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

int pv_pkgfacts_from_json(const json_t *obj, struct pv_pkg *out)
{
	const json_t *sup = json_object_get(obj, "supplier");

	memset(out, 0, sizeof *out);
	out->name = get_str(obj, "name");
	out->version = get_str(obj, "version");
	out->purl = get_str(obj, "purl");
	if (!out->name || !out->version || !out->purl)
		return -1;
	out->arch = get_str(obj, "architecture");
	out->source = get_str(obj, "source");
	out->source_version = get_str(obj, "sourceVersion");
	out->upstream_version = get_str(obj, "upstreamVersion");
	out->cpe = get_str(obj, "cpe");
	out->state = get_str(obj, "state");
	out->supplier_name = get_str(sup, "name");
	out->supplier_email = get_str(sup, "email");
	return 0;
}

/* Tab sorts before every character of a package name, so sorting keys
 * sorts by name, then architecture, then version. */
static char *pkg_key(const struct pv_pkg *p)
{
	return pv_xasprintf("%s\t%s\t%s", p->name, p->arch ? p->arch : "",
	    p->version);
}

/* ------------------------------------------------------------------ */
/* The cache                                                           */

/* "inode:size:mtime" of PATH, "-" when it does not exist. */
static char *file_stamp(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return pv_xstrdup("-");
	return pv_xasprintf("%ju:%jd:%jd.%09ld", (uintmax_t)st.st_ino,
	    (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
	    st.st_mtim.tv_nsec);
}

/* What identifies the state of the database.  dpkg replaces `status`
 * (a new inode) on every change and writes each package's list into
 * `info/` by rename, which changes the directory; `alternatives/` moves
 * with update-alternatives.  /etc/os-release is left out: only an
 * upgrade of base-files changes it, and that rewrites `status`. */
static char *db_stamp(const char *admindir)
{
	static const char *const parts[] = { "status", "info", "diversions",
	    "alternatives", NULL };
	char *stamp = pv_xasprintf("v%d %s", CACHE_VERSION, admindir), *path,
	    *one, *next;
	size_t i;

	for (i = 0; parts[i]; i++) {
		path = pv_xasprintf("%s/%s", admindir, parts[i]);
		one = file_stamp(path);
		next = pv_xasprintf("%s %s=%s", stamp, parts[i], one);
		free(stamp);
		free(one);
		free(path);
		stamp = next;
	}
	return stamp;
}

static void fresh_cache(struct facts *f)
{
	json_decref(f->cache);
	f->cache = json_pack("{s:i, s:s, s:{}, s:{}}", "version",
	    CACHE_VERSION, "stamp", f->stamp, "packages", "paths");
	f->pkgs = json_object_get(f->cache, "packages");
	f->paths = json_object_get(f->cache, "paths");
}

/* Read the cache; one for another state of the database, or damaged,
 * is as good as none. */
static void load_cache(struct facts *f)
{
	const char *dir = pv_cache_dir();
	json_t *c;

	if (dir)
		f->cache_path = pv_xasprintf("%s/%s", dir, CACHE_FILE);
	c = f->cache_path ? json_load_file(f->cache_path, 0, NULL) : NULL;
	if (c && json_integer_value(json_object_get(c, "version")) ==
	    CACHE_VERSION && json_is_string(json_object_get(c, "stamp")) &&
	    strcmp(get_str(c, "stamp"), f->stamp) == 0 &&
	    json_is_object(json_object_get(c, "packages")) &&
	    json_is_object(json_object_get(c, "paths")) &&
	    json_object_size(json_object_get(c, "paths")) < CACHE_MAX_PATHS) {
		f->cache = c;
		f->pkgs = json_object_get(c, "packages");
		f->paths = json_object_get(c, "paths");
		return;
	}
	json_decref(c);
	fresh_cache(f);
}

/* Concurrent links may each write the cache; the last rename wins and
 * what the others learnt is looked up again later.  A cache that cannot
 * be written costs time, never correctness. */
static void save_cache(struct facts *f)
{
	char *text;

	if (!f->dirty || !f->cache_path)
		return;
	(void)mkdir(pv_cache_dir(), 0700);
	text = json_dumps(f->cache, JSON_COMPACT);
	if (text)
		(void)pv_write_file_atomic(f->cache_path, text, strlen(text),
		    0600);
	free(text);
}

/* ------------------------------------------------------------------ */
/* Lookups                                                             */

/* The package whose file is at PATH.  A package's symbolic link
 * (libz.so -> libz.so.1.2.13, from zlib1g-dev) is followed to the
 * package of the file it leads to (zlib1g): the note's SHA-256 is of
 * those bytes. */
static const struct pv_pkg *content_owner(struct pv_pkgdb *db,
    const char *path)
{
	struct pv_pkgdb_hit hit;
	const struct pv_pkg *p = pv_pkgdb_find(db, path, &hit);

	if (p && (hit.how & PV_PKGDB_IS_LINK) && hit.target)
		return hit.target;
	return p;
}

/* The cache key of PATH's package into *KEY (NULL: no package owns
 * it); -1 when the database cannot be loaded, with *WHY. */
static int owner_key(struct facts *f, const char *path, const char **key,
    const char **why)
{
	const struct pv_pkg *p;
	json_t *v = json_object_get(f->paths, path);
	char *k;

	if (!v) {
		if (!f->db && pv_pkgdb_open(f->admindir, &f->db, why) !=
		    PV_PKGDB_OK)
			return -1;
		if ((p = content_owner(f->db, path)) == NULL)
			v = json_null();
		else {
			k = pkg_key(p);
			if (!json_object_get(f->pkgs, k))
				json_object_set_new(f->pkgs, k,
				    pv_pkgfacts_json(p));
			v = json_string(k);
			free(k);
		}
		json_object_set_new(f->paths, path, v);
		f->dirty = 1;
	}
	*key = json_string_value(v);
	return 0;
}

static void note_path(json_t *wanted, const json_t *obj)
{
	const char *path = get_str(obj, "path");

	if (path && path[0] == '/')
		json_object_set_new(wanted, path, json_true());
}

/* Every absolute path of PRED, as the keys of an object. */
static json_t *wanted_paths(const json_t *pred)
{
	const json_t *link = json_object_get(pred, "link"), *v;
	json_t *wanted = json_object();
	size_t i;

	json_array_foreach(json_object_get(pred, "files"), i, v)
		note_path(wanted, v);
	json_array_foreach(json_object_get(pred, "inputs"), i, v)
		note_path(wanted, v);
	json_array_foreach(json_object_get(link, "plugins"), i, v)
		note_path(wanted, v);
	note_path(wanted, json_object_get(link, "driver"));
	note_path(wanted, json_object_get(link, "linker"));
	return wanted;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The index in the sorted keys USED of PATH's package, or null. */
static json_t *index_of(json_t *owner, json_t *used, const char *path)
{
	json_t *k = json_object_get(owner, path);

	return k ? json_incref(json_object_get(used, json_string_value(k))) :
	    json_null();
}

/* {"database": "dpkg", "list", "files", "owners"} from OWNER (path ->
 * key), listing each package once, sorted by key.  The files table of
 * PRED, where nearly all paths are, gets an array beside it rather than
 * its paths written again. */
static json_t *facts_member(struct facts *f, json_t *owner,
    const json_t *pred)
{
	json_t *used = json_object(), *list = json_array(),
	    *files = json_array(), *owners = json_object(), *v;
	const char *path, *k, **keys;
	size_t n = 0, i;

	json_object_foreach(owner, path, v)
		json_object_set(used, json_string_value(v), json_null());
	keys = pv_xcalloc(json_object_size(used) + 1, sizeof *keys);
	json_object_foreach(used, k, v)
		keys[n++] = k;
	qsort(keys, n, sizeof *keys, by_key);
	for (i = 0; i < n; i++) {
		json_object_set_new(used, keys[i], json_integer((json_int_t)i));
		json_array_append(list, json_object_get(f->pkgs, keys[i]));
	}
	json_array_foreach(json_object_get(pred, "files"), i, v) {
		path = get_str(v, "path");
		json_array_append_new(files, index_of(owner, used, path));
		json_object_del(owner, path);
	}
	json_object_foreach(owner, path, v)
		json_object_set_new(owners, path, index_of(owner, used, path));
	free(keys);
	json_decref(used);
	return json_pack("{s:s, s:o, s:o, s:o}", "database", "dpkg", "list",
	    list, "files", files, "owners", owners);
}

static void facts_close(struct facts *f)
{
	if (f->db)
		pv_pkgdb_close(f->db);
	json_decref(f->cache);
	free(f->cache_path);
	free(f->stamp);
}

int pv_pkgfacts_add(json_t *pred, const char **why)
{
	struct facts f = { .admindir = pv_pkgdb_default_admindir() };
	json_t *wanted, *owner, *v;
	const char *path, *key;
	char *status;
	int rc = PV_PKGFACTS_OK;

	status = pv_xasprintf("%s/status", f.admindir);
	if (access(status, F_OK) < 0 && errno == ENOENT) {
		free(status);
		json_object_set_new(pred, "packages",
		    json_pack("{s:s}", "database", "none"));
		return PV_PKGFACTS_NODB;
	}
	free(status);
	f.stamp = db_stamp(f.admindir);
	load_cache(&f);
	wanted = wanted_paths(pred);
	owner = json_object();
	json_object_foreach(wanted, path, v) {
		if (owner_key(&f, path, &key, why) < 0) {
			rc = PV_PKGFACTS_ERROR;
			break;
		}
		if (key)
			json_object_set_new(owner, path, json_string(key));
	}
	if (rc == PV_PKGFACTS_OK) {
		json_object_set_new(pred, "packages",
		    facts_member(&f, owner, pred));
		save_cache(&f);
	}
	json_decref(owner);
	json_decref(wanted);
	facts_close(&f);
	return rc;
}

int pv_pkgfacts_of(const json_t *pred, const json_t **list,
    const json_t **owners)
{
	const json_t *p = json_object_get(pred, "packages");
	const char *db = get_str(p, "database");

	*list = *owners = NULL;
	if (!db)
		return -1;
	if (strcmp(db, "none") == 0)
		return PV_PKGFACTS_NODB;
	if (strcmp(db, "dpkg") != 0)
		return -1;
	*list = json_object_get(p, "list");
	*owners = json_object_get(p, "owners");
	if (!json_is_array(*list) || !json_is_object(*owners))
		return -1;
	return PV_PKGFACTS_OK;
}

json_t *pv_pkgfacts_expand(const json_t *packages, const json_t *files)
{
	json_t *out = json_deep_copy(packages), *owners, *idx, *v;
	const json_t *at = json_object_get(packages, "files");
	const char *path;
	size_t i;

	if (!out || !at)
		return out;
	owners = json_object_get(out, "owners");
	json_object_del(out, "files");
	if (!json_is_array(at) || !json_is_array(files) ||
	    json_array_size(at) != json_array_size(files) ||
	    !json_is_object(owners)) {
		json_object_set_new(out, "owners", json_null());  /* malformed */
		return out;
	}
	json_array_foreach(files, i, v) {
		idx = json_array_get(at, i);
		path = get_str(v, "path");
		if (json_is_null(idx))
			continue;
		if (!path || path[0] != '/') {
			json_object_set_new(out, "owners", json_null());
			break;
		}
		json_object_set(owners, path, idx);
	}
	return out;
}
