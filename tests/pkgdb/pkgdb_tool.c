/* pkgdb_tool - collector/pkgdb.c from the command line, for tests and
 * debugging (the collector will call the library itself).
 *
 *   pkgdb_tool [--admindir D] [--root R] [--distro X] PATH...
 *	one JSON object per line and path: its package, or "package":null
 *   pkgdb_tool [options] --bench [--rounds N] [LISTFILE]
 *	time the load and lookups of the paths in LISTFILE (one a line,
 *	default stdin); used by bench/pkgdb.sh
 *
 * Exit 0, 1 when there is no usable database (the reason on stderr),
 * 2 for a bad command line.
 */
#define _GNU_SOURCE
#include "pkgdb.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *pkg_json(const struct pv_pkg *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "version", json_string(p->version));
	json_object_set_new(o, "architecture", str_or_null(p->arch));
	json_object_set_new(o, "upstream_version",
	    json_string(p->upstream_version));
	json_object_set_new(o, "source", json_string(p->source));
	json_object_set_new(o, "source_version",
	    json_string(p->source_version));
	json_object_set_new(o, "supplier", json_pack("{s:o,s:o}",
	    "name", str_or_null(p->supplier_name),
	    "email", str_or_null(p->supplier_email)));
	json_object_set_new(o, "multi_arch", str_or_null(p->multi_arch));
	json_object_set_new(o, "state", json_string(p->state));
	json_object_set_new(o, "purl", json_string(p->purl));
	json_object_set_new(o, "cpe", str_or_null(p->cpe));
	return o;
}

static json_t *how_json(unsigned how)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ PV_PKGDB_USRMERGE, "usrmerge" },
		{ PV_PKGDB_SYMLINK, "symlink" },
		{ PV_PKGDB_DIVERTED, "diversion" },
		{ PV_PKGDB_IS_LINK, "is-link" },
	};
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (how & names[i].bit)
			json_array_append_new(a, json_string(names[i].name));
	return a;
}

static void print_path(struct pv_pkgdb *db, const char *path)
{
	struct pv_pkgdb_hit hit;
	json_t *o = json_object();
	char *s;

	json_object_set_new(o, "path", json_string(path));
	if (pv_pkgdb_find(db, path, &hit)) {
		json_object_set_new(o, "package", pkg_json(hit.pkg));
		json_object_set_new(o, "recorded_path",
		    json_string(hit.path));
		json_object_set_new(o, "via", how_json(hit.how));
		json_object_set_new(o, "owners", json_integer(hit.owners));
		if (hit.target)
			json_object_set_new(o, "link_target", json_pack(
			    "{s:s,s:s,s:s}", "package", hit.target->name,
			    "purl", hit.target->purl,
			    "recorded_path", hit.target_path));
	} else
		json_object_set_new(o, "package", json_null());
	s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	puts(s);
	free(s);
	json_decref(o);
}

static char **read_paths(FILE *f, size_t *n)
{
	char **v = NULL, *line = NULL;
	size_t cap = 0;
	ssize_t len;

	*n = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (!line[0])
			continue;
		v = pv_xrealloc(v, (*n + 1) * sizeof *v);
		v[(*n)++] = pv_xstrdup(line);
	}
	free(line);
	return v;
}

static int bench(struct pv_pkgdb *db, double load_ms, const char *file,
    long rounds)
{
	FILE *f = file ? fopen(file, "r") : stdin;
	size_t n, i, owned = 0;
	double t0, dt;
	char **paths;
	long r;

	if (!f) {
		perror(file);
		return 1;
	}
	paths = read_paths(f, &n);
	if (file)
		fclose(f);
	t0 = now_ms();
	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++)
			owned += pv_pkgdb_lookup(db, paths[i]) != NULL;
	dt = now_ms() - t0;
	printf("load: %.1f ms (%zu packages, %zu recorded paths)\n", load_ms,
	    pv_pkgdb_packages(db), pv_pkgdb_paths(db));
	printf("lookups: %zu in %.1f ms, %.0f/s (%zu owned, %zu not)\n",
	    n * (size_t)rounds, dt, dt > 0 ? n * rounds / (dt / 1e3) : 0.0,
	    owned / (size_t)rounds, n - owned / (size_t)rounds);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: pkgdb_tool [--admindir D] [--root R] "
	    "[--distro X] PATH...\n"
	    "       pkgdb_tool [options] --bench [--rounds N] [LISTFILE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct pv_pkgdb_opts o = { NULL, NULL, NULL };
	struct pv_pkgdb *db;
	const char *why;
	int i, timing = 0, rc;
	long rounds = 1;
	double t0;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--bench") == 0)
			timing = 1;
		else if (i + 1 == argc)
			return usage();
		else if (strcmp(argv[i], "--admindir") == 0)
			o.admindir = argv[++i];
		else if (strcmp(argv[i], "--root") == 0)
			o.root = argv[++i];
		else if (strcmp(argv[i], "--distro") == 0)
			o.distro = argv[++i];
		else if (strcmp(argv[i], "--rounds") == 0)
			rounds = atol(argv[++i]) > 0 ? atol(argv[i]) : 1;
		else
			return usage();
	}
	if (!timing && i == argc)
		return usage();
	t0 = now_ms();
	if (pv_pkgdb_open_opts(&o, &db, &why) != PV_PKGDB_OK) {
		fprintf(stderr, "pkgdb_tool: %s\n", why);
		return 1;
	}
	if (timing)
		rc = bench(db, now_ms() - t0, i < argc ? argv[i] : NULL,
		    rounds);
	else {
		for (rc = 0; i < argc; i++)
			print_path(db, argv[i]);
	}
	pv_pkgdb_close(db);
	return rc;
}
