/* sbomcdx.c - the CycloneDX 1.6 JSON writer; see sbomwrite.h and
 * docs/collect.md ("CycloneDX"). */
#include "sbomwrite.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void prop(json_t *props, const char *name, const char *value)
{
	if (value)
		json_array_append_new(props, json_pack("{s:s,s:s}", "name",
		    name, "value", value));
}

static json_t *sha256_hashes(const char *hex)
{
	return json_pack("[{s:s,s:s}]", "alg", "SHA-256", "content", hex);
}

static char *file_ref(const struct pv_sbom_file *f)
{
	return pv_xasprintf("file:%s:%s", f->sha256, f->path);
}

static char *pkg_ref(const struct pv_sbom_pkg *p)
{
	if (p->pkg->purl)
		return pv_xstrdup(p->pkg->purl);
	return pv_xasprintf("deb:%s:%s", p->pkg->name,
	    p->pkg->arch ? p->pkg->arch : "");
}

static char *art_ref(const struct pv_sbom_artifact *a)
{
	return pv_xasprintf("artifact:%s:%s", a->sha256, a->name);
}

static json_t *artifact(const struct pv_sbom_artifact *a)
{
	json_t *props = json_array();
	char *ref = art_ref(a);
	json_t *c;

	prop(props, "provcc:outputType", a->output_type);
	prop(props, "provcc:elfDigest", a->elf_digest);
	prop(props, "provcc:linkStatementSha256", a->statement_sha256);
	prop(props, "provcc:signature", a->signature);
	c = json_pack("{s:s,s:s,s:s,s:o,s:o}",
	    "type", strcmp(a->output_type, "shared") == 0 ? "library" :
	    "application", "bom-ref", ref, "name", a->name,
	    "hashes", sha256_hashes(a->sha256), "properties", props);
	free(ref);
	return c;
}

static json_t *file_comp(const struct pv_sbom_file *f)
{
	json_t *props = json_array();
	char *ref = file_ref(f);
	json_t *c;

	prop(props, "provcc:role", pv_sbom_rel_names(f->rels));
	prop(props, "provcc:soname", f->soname);
	if (f->origin == PV_SBOM_PROJECT)
		prop(props, "provcc:origin", "project");
	if (f->origin == PV_SBOM_UNIDENTIFIED)
		prop(props, "provcc:unidentified", "true");
	c = json_pack("{s:s,s:s,s:s,s:o,s:o}", "type", "file", "bom-ref", ref,
	    "name", f->path, "hashes", sha256_hashes(f->sha256),
	    "properties", props);
	free(ref);
	return c;
}

static json_t *supplier(const struct pv_pkg *p)
{
	json_t *s;

	if (!p->supplier_name && !p->supplier_email)
		return NULL;
	s = json_object();
	if (p->supplier_name)
		json_object_set_new(s, "name", json_string(p->supplier_name));
	if (p->supplier_email)
		json_object_set_new(s, "contact", json_pack("[{s:s}]",
		    "email", p->supplier_email));
	return s;
}

/* A package is a toolchain component when the build only ran it. */
static int toolchain_only(const struct pv_sbom_pkg *p)
{
	return p->rels == PV_REL_TOOL;
}

static json_t *package(const struct pv_sbom *m, const struct pv_sbom_pkg *sp)
{
	const struct pv_pkg *p = sp->pkg;
	json_t *c = json_object(), *props = json_array(), *files = json_array();
	json_t *s;
	size_t i;
	char *ref;

	json_object_set_new(c, "type", json_string(toolchain_only(sp) ?
	    "application" : "library"));
	ref = pkg_ref(sp);
	json_object_set_new(c, "bom-ref", json_string(ref));
	free(ref);
	json_object_set_new(c, "name", json_string(p->name));
	if (p->version)
		json_object_set_new(c, "version", json_string(p->version));
	if ((s = supplier(p)) != NULL)
		json_object_set_new(c, "supplier", s);
	if (p->purl)
		json_object_set_new(c, "purl", json_string(p->purl));
	if (p->cpe)
		json_object_set_new(c, "cpe", json_string(p->cpe));
	json_object_set_new(c, "scope", json_string(toolchain_only(sp) ?
	    "excluded" : "required"));
	prop(props, "provcc:role", toolchain_only(sp) ? "toolchain" :
	    pv_sbom_rel_names(sp->rels));
	prop(props, "provcc:debian:arch", p->arch);
	prop(props, "provcc:debian:source", p->source);
	prop(props, "provcc:debian:sourceVersion", p->source_version);
	prop(props, "provcc:debian:upstreamVersion", p->upstream_version);
	prop(props, "provcc:debian:state", p->state);
	json_object_set_new(c, "properties", props);
	for (i = 0; i < m->nfiles; i++)
		if (m->files[i]->pkg == sp)
			json_array_append_new(files, file_comp(m->files[i]));
	json_object_set_new(c, "components", files);
	return c;
}

/* The bom-ref that artifact edges to F point at. */
static char *target_ref(const struct pv_sbom_file *f)
{
	return f->pkg ? pkg_ref(f->pkg) : file_ref(f);
}

static json_t *dependencies(const struct pv_sbom *m)
{
	json_t *deps = json_array(), *set, *on, *v;
	const char *k;
	size_t i, j;
	char *ref;

	for (i = 0; i < m->narts; i++) {
		set = json_object();
		for (j = 0; j < m->arts[i]->nedges; j++) {
			ref = target_ref(m->arts[i]->edges[j].file);
			json_object_set_new(set, ref, json_true());
			free(ref);
		}
		on = json_array();
		json_object_foreach(set, k, v)
			json_array_append_new(on, json_string(k));
		ref = art_ref(m->arts[i]);
		json_array_append_new(deps, json_pack("{s:s,s:o}", "ref", ref,
		    "dependsOn", on));
		free(ref);
		json_decref(set);
	}
	return deps;
}

static int cmp_jstr(const void *x, const void *y)
{
	return strcmp(json_string_value(*(json_t *const *)x),
	    json_string_value(*(json_t *const *)y));
}

/* Sort the dependsOn arrays (jansson's object order is its own). */
static void sort_deps(json_t *deps)
{
	size_t i, j, n;
	json_t *d, *on, **v;

	json_array_foreach(deps, i, d) {
		on = json_object_get(d, "dependsOn");
		n = json_array_size(on);
		v = pv_xcalloc(n + 1, sizeof(*v));
		for (j = 0; j < n; j++)
			v[j] = json_incref(json_array_get(on, j));
		qsort(v, n, sizeof(*v), cmp_jstr);
		json_array_clear(on);
		for (j = 0; j < n; j++)
			json_array_append_new(on, v[j]);
		free(v);
	}
}

static json_t *metadata(const struct pv_sbom *m, const char *version,
    json_t *comps)
{
	json_t *md = json_object();
	char ts[32];
	size_t i;

	json_object_set_new(md, "tools", json_pack("{s:[{s:s,s:s,s:s}]}",
	    "components", "type", "application", "name", "provcc",
	    "version", version));
	if (pv_sbom_epoch(ts) == 0)
		json_object_set_new(md, "timestamp", json_string(ts));
	for (i = 0; i < m->narts; i++)
		if (m->narts == 1)
			json_object_set_new(md, "component",
			    artifact(m->arts[i]));
		else
			json_array_append_new(comps, artifact(m->arts[i]));
	return md;
}

char *pv_sbom_cyclonedx(const struct pv_sbom *m, const char *version)
{
	json_t *bom = json_object(), *comps = json_array(), *deps;
	char uuid[37], *body, *text, *serial;
	size_t i;

	json_object_set_new(bom, "bomFormat", json_string("CycloneDX"));
	json_object_set_new(bom, "specVersion", json_string("1.6"));
	json_object_set_new(bom, "version", json_integer(1));
	json_object_set_new(bom, "metadata", metadata(m, version, comps));
	for (i = 0; i < m->npkgs; i++)
		json_array_append_new(comps, package(m, m->pkgs[i]));
	for (i = 0; i < m->nfiles; i++)
		if (m->files[i]->origin != PV_SBOM_PACKAGED)
			json_array_append_new(comps, file_comp(m->files[i]));
	json_object_set_new(bom, "components", comps);
	deps = dependencies(m);
	sort_deps(deps);
	json_object_set_new(bom, "dependencies", deps);
	/* The serial number names this content: a UUID from its hash. */
	body = pv_sbom_dump(bom);
	json_decref(bom);
	pv_sbom_uuid(body, strlen(body), uuid);
	serial = pv_xasprintf("urn:uuid:%s", uuid);
	text = pv_sbom_dump_with(body, "serialNumber", serial);
	free(serial);
	free(body);
	return text;
}
