/* test_sbommodel.c - the collector's reading of a link statement
 * (collector/sbommodel.c): compile records read one at a time from a
 * canonical statement give what parsing the whole statement gives, and
 * what is malformed either way stays malformed; and pv_sbom_dump_with
 * writes what dumping the object with the member would.
 *
 * The file under test is included, for its static reader.
 */
#define _POSIX_C_SOURCE 200809L
#include "../../collector/sbommodel.c"
#include "check.h"

#define H0 "0000000000000000000000000000000000000000000000000000000000000000"
#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H2 "2222222222222222222222222222222222222222222222222222222222222222"

static json_t *record(const char *src, json_int_t source, json_int_t h)
{
	return json_pack("{s:[s,s],s:s,s:[I,I],s:[],s:I,s:{s:I,s:[I]},s:i}",
	    "argv", "cc", src, "cwd", ".", "inputs", h, (json_int_t)4,
	    "responseFiles", "source", source, "toolchain", "driver",
	    (json_int_t)2, "programs", (json_int_t)3, "version", 1);
}

static json_t *file(const char *path, const char *sha)
{
	return json_pack("{s:s,s:s}", "path", path, "sha256", sha);
}

/* A statement of two compile records over a files table of 6 entries
 * (the last one bad and named by nobody), or with COMPILES instead. */
static json_t *statement(json_t *compiles)
{
	json_t *files = json_pack("[o,o,o,o,o,o]", file("a.c", H1),
	    file("b.c", H2), file("/usr/bin/gcc", H1),
	    file("/usr/lib/gcc/cc1", H2), file("/usr/include/stdio.h", H1),
	    json_pack("{s:s,s:s}", "path", "bad", "sha256", "x"));
	json_t *inputs = json_pack("[{s:s,s:s,s:s,s:s},{s:s,s:s,s:s,s:s},"
	    "{s:s,s:s,s:s,s:s}]",
	    "kind", "member", "path", "lib/x.a", "archiveSha256", H1,
	    "member", "a.o",
	    "kind", "member", "path", "lib/x.a", "archiveSha256", H1,
	    "member", "b.o",
	    "kind", "shared", "path", "/lib/libc.so.6", "sha256", H2,
	    "soname", "libc.so.6");

	if (!compiles)
		compiles = json_pack("[o,o]", record("a.c", 0, 4),
		    record("b.c", 1, 4));
	return json_pack("{s:s,s:{s:o,s:o,s:o,s:{s:s,s:{s:s,s:s}},s:i},"
	    "s:s,s:[{s:{s:s},s:s}]}",
	    "_type", "https://in-toto.io/Statement/v1",
	    "predicate", "compiles", compiles, "files", files,
	    "inputs", inputs, "link", "outputType", "executable",
	    "driver", "path", "/usr/bin/gcc", "sha256", H1, "version", 1,
	    "predicateType", PV_LINK_PREDICATE_TYPE,
	    "subject", "digest", "provcc-elf-v1", H0, "name", "prog");
}

/* As provcc writes it (docs/format.md section 11), and indented. */
static char *canonical(json_t *st)
{
	char *s = json_dumps(st, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENSURE_ASCII);

	json_decref(st);
	return s;
}

static char *indented(json_t *st)
{
	char *s = json_dumps(st, JSON_INDENT(1) | JSON_SORT_KEYS);

	json_decref(st);
	return s;
}

/* TEXT with the first FROM replaced by TO. */
static char *replace(char *text, const char *from, const char *to)
{
	char *at = strstr(text, from), *out;

	if (!at)
		return text;
	out = pv_xasprintf("%.*s%s%s", (int)(at - text), text, to,
	    at + strlen(from));
	free(text);
	return out;
}

/* The refs read from TEXT as "PATH=KINDS[/SONAME] ...", or "malformed". */
static char *refs_of(char *text)
{
	struct pv_sbom_note *n = pv_xcalloc(1, sizeof(*n));
	char *out = pv_xstrdup(""), *t;
	size_t i;

	n->a = pv_xcalloc(1, sizeof(*n->a));
	if (read_statement(n, text, strlen(text)) < 0) {
		free(out);
		out = pv_xstrdup("malformed");
	}
	for (i = 0; strcmp(out, "malformed") != 0 && i < n->nrefs; i++) {
		t = pv_xasprintf("%s%s=%u%s%s", out, n->refs[i].path,
		    n->refs[i].kinds, n->refs[i].soname ? "/" : "",
		    n->refs[i].soname ? n->refs[i].soname : "");
		free(out);
		out = t;
		t = pv_xasprintf("%s ", out);
		free(out);
		out = t;
	}
	pv_sbom_note_free(n);
	free(text);
	return out;
}

#define WANT "/usr/bin/gcc=4 lib/x.a=1 /lib/libc.so.6=2/libc.so.6 " \
	"a.c=8 b.c=8 /usr/bin/gcc=4 /usr/lib/gcc/cc1=4 " \
	"/usr/include/stdio.h=8 "

static void test_streamed_as_whole(void)
{
	struct table t = { NULL, 0, 0, 0 };
	char *s;

	/* Canonical: the records are read one at a time. */
	s = canonical(statement(NULL));
	t.limit = 0;
	CHECK(stream_compiles(&t, s, strlen(s)) > 0);
	CHECK_INT(t.n, 5);
	free(t.kinds);
	s = refs_of(s);
	CHECK_STR(s, WANT);
	free(s);
	/* Not laid out canonically: parsed whole, the same refs. */
	s = refs_of(indented(statement(NULL)));
	CHECK_STR(s, WANT);
	free(s);
	s = refs_of(replace(canonical(statement(NULL)), "},{\"argv\"",
	    "}, {\"argv\""));
	CHECK_STR(s, WANT);
	free(s);
	s = refs_of(canonical(statement(json_array())));
	CHECK_STR(s, "/usr/bin/gcc=4 lib/x.a=1 /lib/libc.so.6=2/libc.so.6 ");
	free(s);
}

static void test_malformed(void)
{
	static const struct {
		const char *from, *to;
	} bad[] = {
		{ "\"inputs\":[4,4]", "\"inputs\":[4,6]" },	/* no entry 6 */
		{ "\"inputs\":[4,4]", "\"inputs\":[4,5]" },	/* a bad entry */
		{ "\"inputs\":[4,4]", "\"inputs\":[4,-1]" },
		{ "\"inputs\":[4,4]", "\"inputs\":[4,\"4\"]" },
		{ "\"inputs\":[4,4]", "\"inputs\":4" },
		{ "\"cwd\":\".\"", "\"cwd\":\".\",\"cwd\":\".\"" },
		{ "}],\"files\"", "},],\"files\"" },	/* trailing comma */
		{ "},{\"argv\"", "}{\"argv\"" },
		{ "},{\"argv\"", "},5,{\"argv\"" },
		{ "\"compiles\":[", "\"compiles\":[[]," },
		{ "\"version\":1}]", "\"version\":1}" },	/* unclosed */
		{ "\"files\":", "\"compiles\":[],\"files\":" },	/* twice */
	};
	size_t i;
	char *s;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = canonical(statement(NULL));
		if (!CHECK(strstr(s, bad[i].from) != NULL)) {
			free(s);
			continue;
		}
		s = refs_of(replace(s, bad[i].from, bad[i].to));
		if (strcmp(s, "malformed") != 0)
			printf("  case %zu (%s): %s\n", i, bad[i].to, s);
		CHECK_STR(s, "malformed");
		free(s);
	}
}

static void check_with(const char *key)
{
	json_t *o = json_pack("{s:s,s:{s:[i,i]},s:i}", "b", "x", "d", "y", 1,
	    2, "f", 3);
	char *body = pv_sbom_dump(o), *got, *want;

	json_object_set_new(o, key, json_string("v \"q\""));
	want = pv_sbom_dump(o);
	got = pv_sbom_dump_with(body, key, "v \"q\"");
	CHECK_STR(got, want);
	free(body);
	free(got);
	free(want);
	json_decref(o);
}

static void test_dump_with(void)
{
	check_with("a");	/* first */
	check_with("c");
	check_with("dd");	/* "d" is a prefix of it */
	check_with("e");
	check_with("z");	/* last */
}

int main(void)
{
	test_streamed_as_whole();
	test_malformed();
	test_dump_with();
	return check_finish();
}
