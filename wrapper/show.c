/* show.c - `provcc show [--json] FILE...`.
 *
 * Exit status: 0 when every file carries provenance in at least one
 * object, 1 when one does not, 3 when one cannot be read or is not ELF,
 * 4 when a note is malformed, 2 for a bad command line; the highest wins.
 */
#include "show.h"
#include "elfnote.h"
#include "note.h"
#include "record.h"
#include "util.h"

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

static int show_file(const char *path, int as_json, json_t *all)
{
	struct show s = { as_json, path, json_array(), NULL, 0, 0 };
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
	if (as_json)
		json_array_append_new(all, json_pack("{s:s, s:o}", "file",
		    path, "objects", s.objects));
	else {
		print_text(&s);
		json_decref(s.objects);
	}
	if (s.malformed)
		return PV_EXIT_MALFORMED;
	if (s.nrecords == 0) {
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
