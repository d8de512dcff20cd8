/* slsaprov.c - the collector's SLSA provenance v1 statement; see
 * sbomwrite.h and docs/collect.md ("Provenance"). */
#include "sbomwrite.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define SLSA_PREDICATE "https://slsa.dev/provenance/v1"
#define BUILD_TYPE "https://provcc.dev/buildtypes/provcc-link/v1"

static json_t *subjects(const struct pv_sbom *m)
{
	json_t *s = json_array();
	size_t i;

	for (i = 0; i < m->narts; i++)
		json_array_append_new(s, json_pack("{s:s,s:{s:s}}", "name",
		    m->arts[i]->name, "digest", "sha256", m->arts[i]->sha256));
	return s;
}

static json_t *dependency(const struct pv_sbom_file *f)
{
	json_t *d = json_pack("{s:s,s:{s:s}}", "name", f->path, "digest",
	    "sha256", f->sha256);
	json_t *ann = json_object();

	json_object_set_new(ann, "provcc:role",
	    json_string(pv_sbom_rel_names(f->rels)));
	if (f->pkg && f->pkg->pkg->purl)
		json_object_set_new(ann, "purl",
		    json_string(f->pkg->pkg->purl));
	if (f->origin == PV_SBOM_PROJECT)
		json_object_set_new(ann, "provcc:origin", json_string("project"));
	if (f->origin == PV_SBOM_UNIDENTIFIED)
		json_object_set_new(ann, "provcc:unidentified", json_true());
	json_object_set_new(d, "annotations", ann);
	return d;
}

static json_t *link_statements(const struct pv_sbom *m)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < m->narts; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:{s:s,s:s}}",
		    "name", m->arts[i]->name, "mediaType",
		    "application/vnd.in-toto+json", "digest", "sha256",
		    m->arts[i]->statement_sha256, "provcc-elf-v1",
		    m->arts[i]->elf_digest));
	return a;
}

char *pv_slsa_statement(const struct pv_sbom *m, const char *version,
    const json_t *source, size_t *len)
{
	json_t *deps = json_array(), *params = json_object(), *meta, *st;
	char ts[32], *builder, *text;
	size_t i;

	for (i = 0; i < m->nfiles; i++)
		json_array_append_new(deps, dependency(m->files[i]));
	if (source)
		json_object_set(params, "source", (json_t *)source);
	meta = json_object();
	if (pv_sbom_epoch(ts) == 0)
		json_object_set_new(meta, "startedOn", json_string(ts));
	builder = pv_xasprintf("https://provcc.dev/provcc@%s", version);
	st = json_pack("{s:s,s:o,s:s,s:{s:{s:s,s:o,s:{},s:o},"
	    "s:{s:{s:s},s:o,s:o}}}",
	    "_type", "https://in-toto.io/Statement/v1",
	    "subject", subjects(m), "predicateType", SLSA_PREDICATE,
	    "predicate", "buildDefinition", "buildType", BUILD_TYPE,
	    "externalParameters", params, "internalParameters",
	    "resolvedDependencies", deps,
	    "runDetails", "builder", "id", builder, "metadata", meta,
	    "byproducts", link_statements(m));
	free(builder);
	text = json_dumps(st, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(st);
	if (!text) {
		pv_error("out of memory", NULL, "cannot serialise JSON");
		exit(70);
	}
	*len = strlen(text);
	return text;
}
