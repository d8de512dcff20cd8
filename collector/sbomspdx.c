/* sbomspdx.c - the SPDX 2.3 JSON writer; see sbomwrite.h and
 * docs/collect.md ("SPDX"). */
#define _POSIX_C_SOURCE 200809L	/* O_CLOEXEC */
#include "sbomwrite.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS_PREFIX "https://provcc.dev/spdx/"
#define NO_EPOCH "1970-01-01T00:00:00Z"

static json_t *checksum(const char *alg, const char *hex)
{
	return json_pack("{s:s,s:s}", "algorithm", alg, "checksumValue", hex);
}

/* Hashing the files again: SHA-256 and SHA-1 together, in one pass
 * through one buffer, with the algorithms fetched once. */
#define DIGEST_BUF (256 * 1024)

struct digests {
	EVP_MD *sha1;
	EVP_MD_CTX *c256, *c1;
	unsigned char *buf;
};

static void digests_init(struct digests *d)
{
	d->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	d->c256 = EVP_MD_CTX_new();
	d->c1 = EVP_MD_CTX_new();
	d->buf = pv_xmalloc(DIGEST_BUF);
}

static void digests_free(struct digests *d)
{
	EVP_MD_free(d->sha1);
	EVP_MD_CTX_free(d->c256);
	EVP_MD_CTX_free(d->c1);
	free(d->buf);
}

/* The SHA-256 and SHA-1 of what FD reads, as hex.  0 or -1. */
static int fd_digests(struct digests *d, int fd, char sha256[PV_SHA256_HEX],
    char sha1[41])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len256 = 0, len1 = 0;
	ssize_t n;

	if (!d->sha1 || !d->c256 || !d->c1 ||
	    EVP_DigestInit_ex2(d->c256, pv_sha256_md(), NULL) != 1 ||
	    EVP_DigestInit_ex2(d->c1, d->sha1, NULL) != 1)
		return -1;
	while ((n = read(fd, d->buf, DIGEST_BUF)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 ||
		    EVP_DigestUpdate(d->c256, d->buf, (size_t)n) != 1 ||
		    EVP_DigestUpdate(d->c1, d->buf, (size_t)n) != 1)
			return -1;
	}
	if (EVP_DigestFinal_ex(d->c256, md, &len256) != 1 ||
	    len256 != PV_SHA256_LEN)
		return -1;
	pv_hex(md, PV_SHA256_LEN, sha256);
	if (EVP_DigestFinal_ex(d->c1, md, &len1) != 1 || len1 != 20)
		return -1;
	pv_hex(md, 20, sha1);
	return 0;
}

/* SHA-1 of the file F is now, when its SHA-256 is still the note's:
 * SPDX 2.3 wants a SHA1 checksum on every file.  0 or -1. */
static int file_sha1(const struct pv_sbom *m, struct digests *d,
    const struct pv_sbom_file *f, char out[41])
{
	char *loc = pv_sbom_file_location(m, f), hex[PV_SHA256_HEX];
	int fd = loc ? open(loc, O_RDONLY | O_CLOEXEC) : -1, rc = -1;

	if (fd >= 0 && fd_digests(d, fd, hex, out) == 0 &&
	    strcmp(hex, f->sha256) == 0)
		rc = 0;
	if (fd >= 0)
		close(fd);
	free(loc);
	return rc;
}

static const char *file_type(const struct pv_sbom_file *f)
{
	const char *dot = strrchr(f->path, '.');

	if (f->rels & (PV_REL_STATIC | PV_REL_DYNAMIC | PV_REL_TOOL))
		return dot && strcmp(dot, ".a") == 0 ? "ARCHIVE" : "BINARY";
	if (dot && (strcmp(dot, ".c") == 0 || strcmp(dot, ".h") == 0 ||
	    strcmp(dot, ".cc") == 0 || strcmp(dot, ".cpp") == 0 ||
	    strcmp(dot, ".hpp") == 0 || strcmp(dot, ".S") == 0 ||
	    strcmp(dot, ".s") == 0 || strcmp(dot, ".cxx") == 0))
		return "SOURCE";
	return "OTHER";
}

static json_t *file_entry(const struct pv_sbom *m, struct digests *d,
    const struct pv_sbom_file *f)
{
	json_t *sums = json_array(), *o;
	char sha1[41], *name, *id;

	if (file_sha1(m, d, f, sha1) == 0)
		json_array_append_new(sums, checksum("SHA1", sha1));
	json_array_append_new(sums, checksum("SHA256", f->sha256));
	name = f->origin == PV_SBOM_PROJECT ? pv_xasprintf("./%s", f->path) :
	    pv_xstrdup(f->path);
	id = pv_xasprintf("SPDXRef-File-%zu", f->rank + 1);
	o = json_pack("{s:s,s:s,s:o,s:[s]}", "SPDXID", id, "fileName", name,
	    "checksums", sums, "fileTypes", file_type(f));
	if (f->origin == PV_SBOM_UNIDENTIFIED)
		json_object_set_new(o, "comment", json_string(
		    "provcc:unidentified=true: outside the build root and "
		    "owned by no installed package"));
	else
		json_object_set_new(o, "comment", json_string(
		    "provcc:origin=project"));
	free(name);
	free(id);
	return o;
}

static json_t *artifact_pkg(const struct pv_sbom_artifact *a, size_t i)
{
	char *id = pv_xasprintf("SPDXRef-Artifact-%zu", i + 1);
	char *comment = pv_xasprintf("provcc: outputType %s, provcc-elf-v1 "
	    "%s, link statement sha256 %s, signature %s", a->output_type,
	    a->elf_digest, a->statement_sha256, a->signature);
	json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:[o],s:s,s:s}",
	    "SPDXID", id, "name", a->name, "downloadLocation", "NOASSERTION",
	    "filesAnalyzed", 0, "checksums", checksum("SHA256", a->sha256),
	    "primaryPackagePurpose", strcmp(a->output_type, "shared") == 0 ?
	    "LIBRARY" : "APPLICATION", "comment", comment);

	free(id);
	free(comment);
	return o;
}

/* "Organization: Debian GCC Maintainers (debian-gcc@...)" for a team,
 * "Person: NAME (EMAIL)" otherwise; NULL when the package says nothing. */
static char *supplier(const struct pv_pkg *p)
{
	const char *n = p->supplier_name ? p->supplier_name : "";
	int org = strstr(n, "Maintainers") || strstr(n, "Team") ||
	    strstr(n, "Developers") || strstr(n, "Project") ||
	    strstr(n, "Group");

	if (!p->supplier_name && !p->supplier_email)
		return NULL;
	if (!p->supplier_email)
		return pv_xasprintf("%s: %s", org ? "Organization" : "Person", n);
	return pv_xasprintf("%s: %s (%s)", org ? "Organization" : "Person", n,
	    p->supplier_email);
}

static json_t *debian_pkg(const struct pv_sbom_pkg *sp)
{
	const struct pv_pkg *p = sp->pkg;
	char *id = pv_xasprintf("SPDXRef-Package-%zu", sp->rank + 1);
	char *sup = supplier(p), *src;
	json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:s}", "SPDXID", id,
	    "name", p->name, "downloadLocation", "NOASSERTION",
	    "filesAnalyzed", 0, "primaryPackagePurpose",
	    sp->rels == PV_REL_TOOL ? "APPLICATION" : "LIBRARY");
	json_t *refs = json_array();

	if (p->version)
		json_object_set_new(o, "versionInfo", json_string(p->version));
	if (sup)
		json_object_set_new(o, "supplier", json_string(sup));
	if (p->purl)
		json_array_append_new(refs, json_pack("{s:s,s:s,s:s}",
		    "referenceCategory", "PACKAGE-MANAGER", "referenceType",
		    "purl", "referenceLocator", p->purl));
	if (p->cpe)
		json_array_append_new(refs, json_pack("{s:s,s:s,s:s}",
		    "referenceCategory", "SECURITY", "referenceType",
		    "cpe23Type", "referenceLocator", p->cpe));
	json_object_set_new(o, "externalRefs", refs);
	src = pv_xasprintf("Debian source package %s %s (upstream %s), "
	    "architecture %s", p->source ? p->source : p->name,
	    p->source_version ? p->source_version : "?",
	    p->upstream_version ? p->upstream_version : "?",
	    p->arch ? p->arch : "?");
	json_object_set_new(o, "sourceInfo", json_string(src));
	free(src);
	free(sup);
	free(id);
	return o;
}

static void rel(json_t *rels, const char *a, const char *type, const char *b)
{
	json_array_append_new(rels, json_pack("{s:s,s:s,s:s}",
	    "spdxElementId", a, "relationshipType", type,
	    "relatedSpdxElement", b));
}

static void rels_to(json_t *rels, const char *art, const char *id,
    unsigned kinds)
{
	if (kinds & PV_REL_STATIC)
		rel(rels, art, "STATIC_LINK", id);
	if (kinds & PV_REL_DYNAMIC)
		rel(rels, art, "DYNAMIC_LINK", id);
	if (kinds & PV_REL_SOURCE)
		rel(rels, art, "GENERATED_FROM", id);
	if (kinds & PV_REL_TOOL)
		rel(rels, id, "BUILD_TOOL_OF", art);
}

/* The relationships of artifact I: to packages (their files' kinds
 * merged), then to project and unidentified files. */
static void artifact_rels(const struct pv_sbom *m, size_t i, json_t *rels)
{
	const struct pv_sbom_artifact *a = m->arts[i];
	unsigned *pk = pv_xcalloc(m->npkgs + 1, sizeof(*pk));
	char *art = pv_xasprintf("SPDXRef-Artifact-%zu", i + 1), *id;
	size_t j;

	rel(rels, "SPDXRef-DOCUMENT", "DESCRIBES", art);
	for (j = 0; j < a->nedges; j++)
		if (a->edges[j].file->pkg)
			pk[a->edges[j].file->pkg->rank] |= a->edges[j].kinds;
	for (j = 0; j < m->npkgs; j++) {
		if (!pk[j])
			continue;
		id = pv_xasprintf("SPDXRef-Package-%zu", j + 1);
		rels_to(rels, art, id, pk[j]);
		free(id);
	}
	for (j = 0; j < a->nedges; j++) {
		if (a->edges[j].file->pkg)
			continue;
		id = pv_xasprintf("SPDXRef-File-%zu",
		    a->edges[j].file->rank + 1);
		rels_to(rels, art, id, a->edges[j].kinds);
		free(id);
	}
	free(pk);
	free(art);
}

static char *doc_name(const struct pv_sbom *m)
{
	if (m->narts == 1)
		return pv_xasprintf("%s", m->arts[0]->name);
	return pv_xasprintf("provcc-collect-%zu-artifacts", m->narts);
}

char *pv_sbom_spdx(const struct pv_sbom *m, const char *version)
{
	json_t *doc = json_object(), *pkgs = json_array(), *files = json_array();
	json_t *rels = json_array();
	char ts[32], hex[PV_SHA256_HEX], *body, *text, *s;
	struct digests dg;
	size_t i;

	json_object_set_new(doc, "spdxVersion", json_string("SPDX-2.3"));
	json_object_set_new(doc, "dataLicense", json_string("CC0-1.0"));
	json_object_set_new(doc, "SPDXID", json_string("SPDXRef-DOCUMENT"));
	s = doc_name(m);
	json_object_set_new(doc, "name", json_string(s));
	free(s);
	s = pv_xasprintf("Tool: provcc-%s", version);
	json_object_set_new(doc, "creationInfo", json_pack("{s:s,s:[s]}",
	    "created", pv_sbom_epoch(ts) == 0 ? ts : NO_EPOCH,
	    "creators", s));
	free(s);
	for (i = 0; i < m->narts; i++) {
		json_array_append_new(pkgs, artifact_pkg(m->arts[i], i));
		artifact_rels(m, i, rels);
	}
	for (i = 0; i < m->npkgs; i++)
		json_array_append_new(pkgs, debian_pkg(m->pkgs[i]));
	digests_init(&dg);
	for (i = 0; i < m->nfiles; i++)
		if (m->files[i]->origin != PV_SBOM_PACKAGED)
			json_array_append_new(files, file_entry(m, &dg,
			    m->files[i]));
	digests_free(&dg);
	json_object_set_new(doc, "packages", pkgs);
	json_object_set_new(doc, "files", files);
	json_object_set_new(doc, "relationships", rels);
	/* The namespace names this content: the hash of the rest. */
	body = pv_sbom_dump(doc);
	json_decref(doc);
	pv_sha256_buf_hex(body, strlen(body), hex);
	s = pv_xasprintf(NS_PREFIX "%s", hex);
	text = pv_sbom_dump_with(body, "documentNamespace", s);
	free(s);
	free(body);
	return text;
}
