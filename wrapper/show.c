/* show.c - `provcc show [--json] FILE...`.
 *
 * Objects and archives: their compile records.  Linked outputs
 * (executables, shared libraries): the link note, whether it is signed
 * and by which key (the signature itself is provcc verify's business),
 * its inputs and its compile records expanded (linkpred.h).
 *
 * Exit status: 0 when every file carries provenance in at least one
 * object or a link note, 1 when one does not, 3 when one cannot be read
 * or is not ELF, 4 when a note is malformed, 2 for a bad command line;
 * the highest wins.
 */
#include "show.h"
#include "pkgfacts.h"
#include "elfnote.h"
#include "linkpred.h"
#include "linksign.h"
#include "note.h"
#include "record.h"
#include "util.h"

#include <elf.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct show {
	int json;
	const char *file;
	json_t *objects;	/* array of {member, records[]} */
	json_t *current;	/* records[] of the object being scanned */
	size_t nrecords;
	int malformed;
	json_t *link;		/* {statement, signature} or NULL */
};

static void on_elf(void *ctx, const char *member)
{
	struct show *s = ctx;
	json_t *obj = json_object();

	s->current = json_array();
	json_object_set_new(obj, "member",
	    member ? json_string(member) : json_null());
	json_object_set_new(obj, "compile", s->current);
	json_array_append_new(s->objects, obj);
}

static int on_note(void *ctx, const char *member, unsigned type,
    const unsigned char *desc, size_t len)
{
	struct show *s = ctx;
	const char *why = NULL;
	struct pv_record r;
	json_t *j;

	if (type != PV_NT_COMPILE)
		return 0;	/* later kinds of note: not shown here */
	j = pv_desc_decode(desc, len, &why);
	if (j && pv_record_from_json(j, &r) < 0)
		why = "not a compile record of a known version";
	else if (j)
		pv_record_free(&r);
	if (why) {
		pv_error("malformed provenance note", member ? member : s->file,
		    why);
		s->malformed = 1;
		json_decref(j);
		return 0;
	}
	json_array_append_new(s->current, j);
	s->nrecords++;
	return 0;
}

/* Quote a word for a POSIX shell when it needs it. */
static void print_word(const char *w)
{
	const char *p;

	if (*w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_./=,:+@%^{}$") == strlen(w)) {
		fputs(w, stdout);
		return;
	}
	putchar('\'');
	for (p = w; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*p);
	}
	putchar('\'');
}

static void print_files(const char *label, const json_t *files)
{
	size_t i;
	json_t *f;

	json_array_foreach(files, i, f)
		printf("  %-10s %s  sha256:%s\n", i == 0 ? label : "",
		    json_string_value(json_object_get(f, "path")),
		    json_string_value(json_object_get(f, "sha256")));
}

static void print_record(const json_t *r)
{
	const json_t *src = json_object_get(r, "source");
	const json_t *tc = json_object_get(r, "toolchain");
	const json_t *drv = json_object_get(tc, "driver");
	const json_t *env = json_object_get(r, "env");
	const json_t *inputs = json_object_get(r, "inputs");
	const char *k;
	json_t *v;
	size_t i;

	printf("  %-10s %s  sha256:%s\n", "source",
	    json_string_value(json_object_get(src, "path")),
	    json_string_value(json_object_get(src, "sha256")));
	printf("  %-10s %s\n", "output",
	    json_string_value(json_object_get(r, "output")));
	printf("  %-10s %s\n", "language",
	    json_string_value(json_object_get(r, "language")));
	printf("  %-10s %s\n", "directory",
	    json_string_value(json_object_get(r, "cwd")));
	printf("  %-10s", "command");
	json_array_foreach(json_object_get(r, "argv"), i, v) {
		putchar(' ');
		print_word(json_string_value(v));
	}
	putchar('\n');
	print_files("response", json_object_get(r, "responseFiles"));
	printf("  %-10s %s  sha256:%s\n", "compiler",
	    json_string_value(json_object_get(drv, "path")),
	    json_string_value(json_object_get(drv, "sha256")));
	printf("  %-10s %s\n", "version",
	    json_string_value(json_object_get(tc, "version")));
	printf("  %-10s %s\n", "target",
	    json_string_value(json_object_get(tc, "target")));
	print_files("programs", json_object_get(tc, "programs"));
	if ((drv = json_object_get(tc, "launcher")) != NULL)
		printf("  %-10s %s  sha256:%s\n", "launcher",
		    json_string_value(json_object_get(drv, "path")),
		    json_string_value(json_object_get(drv, "sha256")));
	json_object_foreach((json_t *)env, k, v)
		printf("  %-10s %s=%s\n", "env", k, json_string_value(v));
	printf("  %-10s %zu files, found by %s\n", "inputs",
	    json_array_size(inputs),
	    json_string_value(json_object_get(r, "headerMethod")));
	json_array_foreach(inputs, i, v)
		printf("    %s  sha256:%s\n",
		    json_string_value(json_object_get(v, "path")),
		    json_string_value(json_object_get(v, "sha256")));
}

static void print_text(const struct show *s)
{
	size_t i, k;
	json_t *obj, *rec;

	json_array_foreach(s->objects, i, obj) {
		const json_t *m = json_object_get(obj, "member");
		const json_t *recs = json_object_get(obj, "compile");

		if (json_is_string(m))
			printf("%s(%s):", s->file, json_string_value(m));
		else
			printf("%s:", s->file);
		if (json_array_size(recs) == 0)
			printf(" no provenance\n");
		else
			printf(" %zu compile record%s\n", json_array_size(recs),
			    json_array_size(recs) == 1 ? "" : "s");
		json_array_foreach(recs, k, rec)
			print_record(rec);
	}
}

/* A linked output: ELF with e_type ET_EXEC or ET_DYN.  Objects and
 * archives have no link note, and show stays as it was for them. */
static int is_linked(const unsigned char *img, size_t len)
{
	unsigned type;

	if (len < 18 || memcmp(img, "\177ELF", 4) != 0)
		return 0;
	type = img[5] == ELFDATA2MSB ? img[16] << 8 | img[17] :
	    img[17] << 8 | img[16];
	return type == ET_EXEC || type == ET_DYN;
}

static const char *sig_status(enum pv_link_status st)
{
	switch (st) {
	case PV_LINK_OK:
		return "signed";
	case PV_LINK_CHANGED:
		return "changed";
	default:
		return "unsigned";
	}
}

/* What show can tell of the signature without a key. */
static json_t *signature_json(const struct pv_link_check *c)
{
	char hex[PV_SHA256_HEX];
	json_t *o = json_object();

	json_object_set_new(o, "status", json_string(sig_status(c->status)));
	json_object_set_new(o, "checked", json_false());
	if (c->have_digest) {
		pv_hex(c->digest, PV_SHA256_LEN, hex);
		json_object_set_new(o, "digest", json_string(hex));
	}
	if (c->note.sigalg == PV_SIGALG_NONE)
		return o;
	json_object_set_new(o, "algorithm",
	    json_string(pv_sigalg_name(c->note.sigalg)));
	json_object_set_new(o, "keyid", json_string(c->keyid));
	pv_hex(c->note.digest, PV_SHA256_LEN, hex);
	json_object_set_new(o, "signedDigest", json_string(hex));
	return o;
}

/* The statement of C as JSON with its compiles expanded, or NULL. */
static json_t *statement_json(const struct pv_link_check *c,
    const char **why)
{
	char *text = c->have_digest ? pv_link_payload(c) : NULL;
	json_t *st, *pred;

	st = json_loads(text ? text : c->note.statement, JSON_REJECT_DUPLICATES,
	    NULL);
	free(text);
	if (!json_is_object(st) || !json_is_string(json_object_get(st,
	    "predicateType")) || strcmp(json_string_value(json_object_get(st,
	    "predicateType")), PV_LINK_PREDICATE_TYPE) != 0) {
		*why = "the statement is not an in-toto statement of a link";
		json_decref(st);
		return NULL;
	}
	pred = pv_linkpred_expand(json_object_get(st, "predicate"), why);
	if (!pred) {
		json_decref(st);
		return NULL;
	}
	json_object_set_new(st, "predicate", pred);
	return st;
}

/* Read the link note of S->file into S->link.  Returns 0, also when
 * there is none, or -1 when it is malformed (reported). */
static int load_link(struct show *s)
{
	struct pv_link_check c;
	const char *why = NULL;
	unsigned char *img;
	json_t *st = NULL;
	size_t len;

	if (pv_read_file(s->file, &img, &len) < 0)
		return 0;	/* the scan read it; a race is not ours */
	if (!is_linked(img, len)) {
		free(img);
		return 0;
	}
	pv_link_verify_mem(img, len, NULL, &c);
	free(img);
	if (c.status == PV_LINK_MALFORMED)
		why = c.why;
	else if (c.have_note)
		st = statement_json(&c, &why);
	if (st)
		s->link = json_pack("{s:o, s:o}", "statement", st,
		    "signature", signature_json(&c));
	pv_link_check_free(&c);
	if (!why)
		return 0;
	pv_error("malformed provenance note", s->file, why);
	return -1;
}

static const char *str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "?";
}

static void print_tool(const char *label, const json_t *t)
{
	if (!json_is_object(t))
		return;
	printf("  %-10s %s  sha256:%s\n", label, str(t, "path"),
	    str(t, "sha256"));
	if (json_object_get(t, "version"))
		printf("  %-10s %s\n", "", str(t, "version"));
}

static void print_signature(const json_t *sig)
{
	const char *status = str(sig, "status");

	if (strcmp(status, "unsigned") == 0) {
		printf("  %-10s none (unsigned)\n", "signature");
		return;
	}
	printf("  %-10s %s key %s\n", "signature", str(sig, "algorithm"),
	    str(sig, "keyid"));
	printf("  %-10s %s\n", "", strcmp(status, "signed") == 0 ?
	    "digest matches; provcc verify --key checks the signature" :
	    "content changed since signing");
}

/* The package object the note names as PATH's owner, or NULL. */
static const json_t *owner_of(const json_t *packages, const char *path)
{
	const json_t *i = json_object_get(json_object_get(packages, "owners"),
	    path);

	return i ? json_array_get(json_object_get(packages, "list"),
	    (size_t)json_integer_value(i)) : NULL;
}

static void print_packages(const json_t *packages)
{
	const json_t *list = json_object_get(packages, "list"), *v;
	size_t i;

	if (!packages) {
		printf("  %-10s not recorded\n", "packages");
		return;
	}
	if (strcmp(str(packages, "database"), "dpkg") != 0) {
		printf("  %-10s none (no package database at build time)\n",
		    "packages");
		return;
	}
	printf("  %-10s %zu\n", "packages", json_array_size(list));
	json_array_foreach(list, i, v)
		printf("    %s %s %s  %s\n", str(v, "name"), str(v, "version"),
		    str(v, "architecture"), str(v, "purl"));
}

static void print_input(const json_t *in, const json_t *packages)
{
	const json_t *pkg = owner_of(packages, str(in, "path"));
	const char *kind = str(in, "kind");
	const json_t *v;
	size_t i;

	if (strcmp(kind, "member") == 0)
		printf("    %-7s %s(%s)  sha256:%s\n", kind, str(in, "path"),
		    str(in, "member"), str(in, "sha256"));
	else
		printf("    %-7s %s  sha256:%s\n", kind, str(in, "path"),
		    str(in, "sha256"));
	if (json_object_get(in, "archiveSha256"))
		printf("            archive sha256:%s\n",
		    str(in, "archiveSha256"));
	if (json_object_get(in, "soname"))
		printf("            soname %s\n", str(in, "soname"));
	if (pkg)
		printf("            package %s %s\n", str(pkg, "name"),
		    str(pkg, "version"));
	if (json_array_size(json_object_get(in, "compiles")) > 0) {
		printf("            compiles");
		json_array_foreach(json_object_get(in, "compiles"), i, v)
			printf(" #%lld", (long long)json_integer_value(v) + 1);
		putchar('\n');
	}
	if (json_is_true(json_object_get(in, "temporary")))
		printf("            (temporary)\n");
}

static void print_link(const struct show *s)
{
	const json_t *st = json_object_get(s->link, "statement");
	const json_t *p = json_object_get(st, "predicate");
	const json_t *link = json_object_get(p, "link");
	const json_t *inputs = json_object_get(p, "inputs");
	const json_t *compiles = json_object_get(p, "compiles");
	const json_t *subj = json_array_get(json_object_get(st, "subject"), 0);
	const char *k;
	json_t *v, *pkgs;
	size_t i;

	printf("%s: link record, %zu input%s, %zu compile record%s\n",
	    s->file, json_array_size(inputs),
	    json_array_size(inputs) == 1 ? "" : "s",
	    json_array_size(compiles), json_array_size(compiles) == 1 ?
	    "" : "s");
	printf("  %-10s %s\n", "output", str(link, "output"));
	printf("  %-10s %s\n", "type", str(link, "outputType"));
	printf("  %-10s %s\n", "subject", str(subj, "name"));
	printf("  %-10s %s\n", "directory", str(link, "cwd"));
	printf("  %-10s", "command");
	json_array_foreach(json_object_get(link, "argv"), i, v) {
		putchar(' ');
		print_word(json_is_string(v) ? json_string_value(v) : "?");
	}
	putchar('\n');
	print_tool("driver", json_object_get(link, "driver"));
	print_tool("linker", json_object_get(link, "linker"));
	json_array_foreach(json_object_get(link, "plugins"), i, v)
		print_tool(i == 0 ? "plugins" : "", v);
	json_object_foreach(json_object_get(link, "env"), k, v)
		printf("  %-10s %s=%s\n", "env", k,
		    json_is_string(v) ? json_string_value(v) : "?");
	print_signature(json_object_get(s->link, "signature"));
	pkgs = json_object_get(p, "packages") ? pv_pkgfacts_expand(
	    json_object_get(p, "packages"), json_object_get(p, "files")) : NULL;
	print_packages(pkgs);
	printf("  %-10s %zu\n", "inputs", json_array_size(inputs));
	json_array_foreach(inputs, i, v)
		print_input(v, pkgs);
	json_decref(pkgs);
	json_array_foreach(compiles, i, v) {
		printf("  compile #%zu\n", i + 1);
		print_record(v);
	}
}

static int show_file(const char *path, int as_json, json_t *all)
{
	struct show s = { as_json, path, json_array(), NULL, 0, 0, NULL };
	int rc = pv_elf_scan_notes(path, on_elf, on_note, &s);

	if (rc == PV_SCAN_BAD_NOTE) {
		pv_error("malformed provenance note", path,
		    "a note header runs past the end of its section");
		json_decref(s.objects);
		return PV_EXIT_MALFORMED;
	}
	if (rc == PV_SCAN_UNREADABLE || rc == PV_SCAN_NOT_ELF ||
	    rc == PV_SCAN_BAD_ELF) {
		pv_error("cannot read provenance", path,
		    rc == PV_SCAN_UNREADABLE ? strerror(errno) :
		    "not an ELF file or ar archive");
		json_decref(s.objects);
		return PV_EXIT_BADFILE;
	}
	if (load_link(&s) < 0)
		s.malformed = 1;
	if (as_json) {
		json_t *o = json_pack("{s:s, s:o}", "file", path, "objects",
		    s.objects);

		if (s.link)
			json_object_set_new(o, "link", s.link);
		json_array_append_new(all, o);
	} else {
		if (s.link)
			print_link(&s);
		else
			print_text(&s);
		json_decref(s.objects);
		json_decref(s.link);
	}
	if (s.malformed)
		return PV_EXIT_MALFORMED;
	if (s.nrecords == 0 && !s.link) {
		pv_error("no provenance", path,
		    "no object in it carries a provcc compile record");
		return PV_EXIT_NOPROV;
	}
	return PV_EXIT_OK;
}

static void show_usage(FILE *to)
{
	fputs("usage: provcc show [--json] FILE...\n"
	    "Print the provenance recorded in objects, static archives and "
	    "linked files.\n", to);
}

int pv_cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *all = json_array();
	int as_json = 0, c, i, worst = 0;

	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		if (c == 'j')
			as_json = 1;
		else if (c == 'h') {
			show_usage(stdout);
			return PV_EXIT_OK;
		} else {
			show_usage(stderr);
			return PV_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		show_usage(stderr);
		return PV_EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		int rc = show_file(argv[i], as_json, all);

		if (rc > worst)
			worst = rc;
	}
	if (as_json)
		json_dumpf(all, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (as_json)
		putchar('\n');
	json_decref(all);
	return worst;
}
