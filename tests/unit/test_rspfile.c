/* test_rspfile.c - pv_rsp_split and pv_expand_response_files.
 *
 * The splitting expectations are what gcc 12 (libiberty's buildargv)
 * makes of the same response file text, checked by running
 * "gcc -### @file -c foo.c" with each text below prefixed by -D.
 */
#define _POSIX_C_SOURCE 200809L
#include "rspfile.h"
#include "check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAXWORDS 8
#define END ((const char *)0)

struct split_case {
	int line;
	const char *text;
	const char *words[MAXWORDS];	/* END-terminated */
};

#define SPLIT(text, ...) { __LINE__, text, { __VA_ARGS__ } }

static const struct split_case splits[] = {
	SPLIT("", END),
	SPLIT("   \t\n\r\n  ", END),
	SPLIT("a", "a", END),
	SPLIT("-c foo.c", "-c", "foo.c", END),
	SPLIT("  -O2   -g  ", "-O2", "-g", END),
	SPLIT("-Da\t-Db\n-Dc\r\n-Dd", "-Da", "-Db", "-Dc", "-Dd", END),
	SPLIT("a\fb\vc", "a", "b", "c", END),
	SPLIT("-I/x\n\n\n-c\n", "-I/x", "-c", END),
	/* quotes group blanks and vanish */
	SPLIT("-D'a b' -D\"c d\"", "-Da b", "-Dc d", END),
	SPLIT("'a\tb\nc'", "a\tb\nc", END),
	SPLIT("-Da'b c'd", "-Dab cd", END),
	SPLIT("'a'\"b\"c", "abc", END),
	/* one kind of quote inside the other is literal */
	SPLIT("-D\"a'b\"", "-Da'b", END),
	SPLIT("-D'a\"b'", "-Da\"b", END),
	/* an empty quoted word is a word */
	SPLIT("-D'' ''", "-D", "", END),
	SPLIT("\"\"", "", END),
	/* backslash escapes the next character, inside quotes too */
	SPLIT("-Da\\ b", "-Da b", END),
	SPLIT("-Da\\\\b", "-Da\\b", END),
	SPLIT("-D\"a\\\"b\"", "-Da\"b", END),
	SPLIT("-D'it\\'s'", "-Dit's", END),
	SPLIT("-D'a\\b'", "-Dab", END),
	SPLIT("-D\"a\\nb\"", "-Danb", END),
	SPLIT("a\\'b", "a'b", END),
	SPLIT("a\\\nb", "a\nb", END),
	/* what CMake and Ninja write: one option per line, paths quoted
	 * when they hold blanks */
	SPLIT("-I\"/abs/my dir/include\"\n-DNAME=\\\"value\\\"\n",
	    "-I/abs/my dir/include", "-DNAME=\"value\"", END),
	SPLIT("CMakeFiles/t.dir/a.c.o CMakeFiles/t.dir/b.c.o -lm\n",
	    "CMakeFiles/t.dir/a.c.o", "CMakeFiles/t.dir/b.c.o", "-lm", END),
};

static void run_split(const struct split_case *c)
{
	char **argv = NULL;
	int argc = 0, want = 0, i;

	while (want < MAXWORDS && c->words[want])
		want++;
	pv_rsp_split(c->text, &argv, &argc);
	if (!CHECK_INT_AT(__FILE__, c->line, argc, want)) {
		for (i = 0; i < argc; i++)
			printf("    word %d: \"%s\"\n", i, argv[i]);
	} else {
		for (i = 0; i < argc; i++)
			CHECK_STR_AT(__FILE__, c->line, argv[i], c->words[i]);
		CHECK_AT(__FILE__, c->line, argv == NULL || argv[argc] == NULL);
	}
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* Splitting appends to what is there already. */
static void test_split_appends(void)
{
	char **argv = NULL;
	int argc = 0, i;

	pv_rsp_split("a b", &argv, &argc);
	pv_rsp_split("'c d' e", &argv, &argc);
	if (CHECK_INT(argc, 4)) {
		CHECK_STR(argv[0], "a");
		CHECK_STR(argv[1], "b");
		CHECK_STR(argv[2], "c d");
		CHECK_STR(argv[3], "e");
		CHECK(argv[4] == NULL);
	}
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* ---- expansion with real files ----------------------------------- */

static char tmpdir[256];

static char *path_in_tmp(const char *name)
{
	size_t n = strlen(tmpdir) + strlen(name) + 2;
	char *p = malloc(n);

	snprintf(p, n, "%s/%s", tmpdir, name);
	return p;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

/* "@" followed by the path of NAME in the temporary directory. */
static char *at(const char *name)
{
	char *p = path_in_tmp(name);
	size_t n = strlen(p) + 2;
	char *a = malloc(n);

	snprintf(a, n, "@%s", p);
	free(p);
	return a;
}

static void check_expanded_at(int line, const struct pv_expanded *x,
    const char *const *want, int nwant)
{
	int i;

	if (!CHECK_INT_AT(__FILE__, line, x->argc, nwant)) {
		for (i = 0; i < x->argc; i++)
			printf("    argv[%d]: \"%s\"\n", i, x->argv[i]);
		return;
	}
	for (i = 0; i < nwant; i++)
		CHECK_STR_AT(__FILE__, line, x->argv[i], want[i]);
	CHECK_AT(__FILE__, line, x->argv[x->argc] == NULL);
}

#define CHECK_ARGV(x, ...) do { \
	const char *const want_[] = { __VA_ARGS__ }; \
	check_expanded_at(__LINE__, (x), want_, \
	    (int)(sizeof(want_) / sizeof(want_[0]))); \
} while (0)

static void test_no_response_files(void)
{
	char *argv[] = { "gcc", "-c", "foo.c", "-o", "foo.o", NULL };
	struct pv_expanded x;

	pv_expand_response_files(5, argv, &x);
	CHECK_ARGV(&x, "gcc", "-c", "foo.c", "-o", "foo.o");
	CHECK_INT(x.files.n, 0);
	/* a copy, not the caller's strings */
	CHECK(x.argv[1] != argv[1]);
	pv_expanded_free(&x);
	CHECK(x.argv == NULL && x.argc == 0 && x.files.n == 0);
}

static void test_simple(void)
{
	char *rsp = path_in_tmp("args.rsp"), *a = at("args.rsp");
	char *argv[] = { "gcc", "-O2", a, "-o", "out.o", NULL };
	struct pv_expanded x;

	write_text(rsp, "-DX=1 -I'/inc dir'\n-c foo.c\n");
	pv_expand_response_files(5, argv, &x);
	CHECK_ARGV(&x, "gcc", "-O2", "-DX=1", "-I/inc dir", "-c", "foo.c",
	    "-o", "out.o");
	if (CHECK_INT(x.files.n, 1))
		CHECK_STR(x.files.v[0], rsp);
	pv_expanded_free(&x);
	free(rsp);
	free(a);
}

/* @outer holds @inner1 and @inner2; inner2 holds @deep.  The words
 * come out in place, the files in the order they were read. */
static void test_nested(void)
{
	char *outer = path_in_tmp("outer.rsp"), *in1 = path_in_tmp("in1.rsp");
	char *in2 = path_in_tmp("in2.rsp"), *deep = path_in_tmp("deep.rsp");
	char *a_outer = at("outer.rsp"), *a_in1 = at("in1.rsp");
	char *a_in2 = at("in2.rsp"), *a_deep = at("deep.rsp");
	char *text = malloc(4096);
	char *argv[] = { "cc", "-c", a_outer, "-o", "x.o", NULL };
	struct pv_expanded x;

	snprintf(text, 4096, "-O2 %s -g\n%s -Wall\n", a_in1, a_in2);
	write_text(outer, text);
	write_text(in1, "-DONE");
	snprintf(text, 4096, "-DTWO %s x.c", a_deep);
	write_text(in2, text);
	write_text(deep, "-DDEEP");

	pv_expand_response_files(5, argv, &x);
	CHECK_ARGV(&x, "cc", "-c", "-O2", "-DONE", "-g", "-DTWO", "-DDEEP",
	    "x.c", "-Wall", "-o", "x.o");
	if (CHECK_INT(x.files.n, 4)) {
		CHECK_STR(x.files.v[0], outer);
		CHECK_STR(x.files.v[1], in1);
		CHECK_STR(x.files.v[2], in2);
		CHECK_STR(x.files.v[3], deep);
	}
	pv_expanded_free(&x);
	free(outer); free(in1); free(in2); free(deep);
	free(a_outer); free(a_in1); free(a_in2); free(a_deep);
	free(text);
}

/* Missing, unreadable and directory @files stay as they are, as the
 * driver keeps them; they are not in the files list. */
static void test_unreadable(void)
{
	char *good = path_in_tmp("good.rsp"), *a_good = at("good.rsp");
	char *noperm = path_in_tmp("noperm.rsp"), *a_noperm = at("noperm.rsp");
	char *a_missing = at("missing.rsp");
	char *a_dir = malloc(strlen(tmpdir) + 2);
	char *argv[] = { "gcc", a_missing, a_good, a_noperm, NULL, "@", NULL };
	struct pv_expanded x;
	int can_deny;

	sprintf(a_dir, "@%s", tmpdir);
	argv[4] = a_dir;
	write_text(good, "-c");
	write_text(noperm, "-DSECRET");
	chmod(noperm, 0);
	/* root reads files whatever their mode */
	can_deny = access(noperm, R_OK) != 0;

	pv_expand_response_files(6, argv, &x);
	if (can_deny)
		CHECK_ARGV(&x, "gcc", a_missing, "-c", a_noperm, a_dir, "@");
	else
		CHECK_ARGV(&x, "gcc", a_missing, "-c", "-DSECRET", a_dir, "@");
	if (CHECK_INT(x.files.n, can_deny ? 1 : 2))
		CHECK_STR(x.files.v[0], good);
	pv_expanded_free(&x);
	chmod(noperm, 0600);
	free(good); free(a_good); free(noperm); free(a_noperm);
	free(a_missing); free(a_dir);
}

/* argv[0] is the compiler, never a response file. */
static void test_argv0(void)
{
	char *rsp = path_in_tmp("zero.rsp"), *a = at("zero.rsp");
	char *argv[] = { a, a, NULL };
	struct pv_expanded x;

	write_text(rsp, "-v");
	pv_expand_response_files(2, argv, &x);
	CHECK_ARGV(&x, a, "-v");
	if (CHECK_INT(x.files.n, 1))
		CHECK_STR(x.files.v[0], rsp);
	pv_expanded_free(&x);
	free(rsp);
	free(a);
}

/* An empty file contributes no words but was read; the same file given
 * twice is read twice. */
static void test_empty_and_repeated(void)
{
	char *empty = path_in_tmp("empty.rsp"), *a_empty = at("empty.rsp");
	char *one = path_in_tmp("one.rsp"), *a_one = at("one.rsp");
	char *argv[] = { "gcc", a_empty, a_one, a_one, NULL };
	struct pv_expanded x;

	write_text(empty, "");
	write_text(one, "'-DA B'");
	pv_expand_response_files(4, argv, &x);
	CHECK_ARGV(&x, "gcc", "-DA B", "-DA B");
	if (CHECK_INT(x.files.n, 3)) {
		CHECK_STR(x.files.v[0], empty);
		CHECK_STR(x.files.v[1], one);
		CHECK_STR(x.files.v[2], one);
	}
	pv_expanded_free(&x);
	free(empty); free(a_empty); free(one); free(a_one);
}

/* A file that names itself: expansion must stop (gcc stops too) and
 * leave a finite argv. */
static void test_self_reference(void)
{
	char *self = path_in_tmp("self.rsp"), *a_self = at("self.rsp");
	char *text = malloc(4096);
	char *argv[] = { "gcc", a_self, NULL };
	struct pv_expanded x;
	int i, nx = 0, nself = 0;

	snprintf(text, 4096, "-x %s", a_self);
	write_text(self, text);
	pv_expand_response_files(2, argv, &x);
	CHECK(x.argc > 2 && x.argc < 1000);
	CHECK(x.files.n >= 1 && x.files.n < 1000);
	for (i = 1; i < x.argc; i++) {
		if (strcmp(x.argv[i], "-x") == 0)
			nx++;
		else if (strcmp(x.argv[i], a_self) == 0)
			nself++;
	}
	/* every level read adds one "-x"; the innermost is left as is */
	CHECK_INT(nx, (long long)x.files.n);
	CHECK_INT(nself, 1);
	CHECK_INT(nx + nself, x.argc - 1);
	pv_expanded_free(&x);
	free(self); free(a_self); free(text);
}

static void test_no_args(void)
{
	struct pv_expanded x;
	char *argv[] = { NULL };

	pv_expand_response_files(0, argv, &x);
	CHECK(x.argv != NULL);
	CHECK(x.argv && x.argv[x.argc] == NULL);
	pv_expanded_free(&x);
}

static void cleanup(void)
{
	static const char *const names[] = {
		"args.rsp", "outer.rsp", "in1.rsp", "in2.rsp", "deep.rsp",
		"good.rsp", "noperm.rsp", "zero.rsp", "empty.rsp", "one.rsp",
		"self.rsp", NULL,
	};
	size_t i;

	for (i = 0; names[i]; i++) {
		char *p = path_in_tmp(names[i]);

		unlink(p);
		free(p);
	}
	if (rmdir(tmpdir) != 0)
		printf("cannot remove %s: %s\n", tmpdir, strerror(errno));
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	size_t i;

	for (i = 0; i < sizeof(splits) / sizeof(splits[0]); i++)
		run_split(&splits[i]);
	test_split_appends();

	snprintf(tmpdir, sizeof(tmpdir), "%s/provcc-rsp-XXXXXX",
	    t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	test_no_response_files();
	test_simple();
	test_nested();
	test_unreadable();
	test_argv0();
	test_empty_and_repeated();
	test_self_reference();
	test_no_args();
	cleanup();

	/* Regression: libiberty drops a backslash that ends the text
	 * (gcc 12: "-Da\" gives -Da). */
	{
		char **argv = NULL;
		int argc = 0;

		pv_rsp_split("-Da\\", &argv, &argc);
		if (CHECK_INT(argc, 1))
			CHECK_STR(argv[0], "-Da");
		while (argc > 0)
			free(argv[--argc]);
		free(argv);
	}
	printf("%zu split cases, 8 expansion cases\n",
	    sizeof(splits) / sizeof(splits[0]));
	return check_finish();
}
