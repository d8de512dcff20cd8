/* argv.c - classify a compiler command line; see argv.h. */
#define _GNU_SOURCE
#include "argv.h"

#include <stdlib.h>
#include <string.h>

/* Options whose argument is the next word when not joined to them. */
static const char *const separate_arg_opts[] = {
	"-o", "-x", "-MF", "-MT", "-MQ", "-MJ", "-I", "-iquote", "-isystem",
	"-idirafter", "-include", "-imacros", "-iprefix", "-iwithprefix",
	"-iwithprefixbefore", "-isysroot", "-imultilib", "-D", "-U", "-L",
	"-l", "-A", "-B", "-T", "-u", "-z", "-e", "-G", "-Xlinker",
	"-Xassembler", "-Xpreprocessor", "-Xclang", "-Xarch_host",
	"-Xarch_device", "-mllvm", "-target", "-arch", "-aux-info",
	"--param", "-dumpbase", "-dumpbase-ext", "-dumpdir", "--sysroot",
	"-gcc-toolchain", "--gcc-toolchain", "-working-directory",
	"-serialize-diagnostics", "-ccc-gcc-name", "-include-pch",
	"-resource-dir", "-specs", "--include", "--output", "--language",
	"--include-directory", "--define-macro", "--undefine-macro",
	"--library-directory", "--assert", "--target",
	NULL,
};

/* Options that only ask the driver something; nothing is compiled. */
static const char *const query_opts[] = {
	"--version", "-###", "--help", "-dumpversion", "-dumpfullversion",
	"-dumpmachine", "-dumpspecs", "--target-help", "-qversion",
	NULL,
};

struct suffix_lang {
	const char *suffix;
	const char *lang;
};

static const struct suffix_lang suffix_langs[] = {
	{ ".c", "c" },
	{ ".i", "cpp-output" },
	{ ".ii", "c++-cpp-output" },
	{ ".cc", "c++" }, { ".cp", "c++" }, { ".cxx", "c++" },
	{ ".cpp", "c++" }, { ".CPP", "c++" }, { ".c++", "c++" },
	{ ".C", "c++" },
	{ ".m", "objective-c" },
	{ ".mi", "objective-c-cpp-output" },
	{ ".mm", "objective-c++" }, { ".M", "objective-c++" },
	{ ".mii", "objective-c++-cpp-output" },
	{ ".s", "assembler" },
	{ ".S", "assembler-with-cpp" }, { ".sx", "assembler-with-cpp" },
	{ ".h", "c-header" },
	{ ".hh", "c++-header" }, { ".H", "c++-header" },
	{ ".hp", "c++-header" }, { ".hxx", "c++-header" },
	{ ".hpp", "c++-header" }, { ".HPP", "c++-header" },
	{ ".h++", "c++-header" }, { ".tcc", "c++-header" },
	{ NULL, NULL },
};

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *pv_lang_from_suffix(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');
	const struct suffix_lang *sl;

	if (!dot)
		return NULL;
	for (sl = suffix_langs; sl->suffix; sl++)
		if (strcmp(sl->suffix, dot) == 0)
			return sl->lang;
	return NULL;
}

char *pv_default_object(const char *source)
{
	const char *base = strrchr(source, '/');
	const char *dot;
	size_t stem;
	char *obj;

	base = base ? base + 1 : source;
	dot = strrchr(base, '.');
	stem = dot ? (size_t)(dot - base) : strlen(base);
	obj = malloc(stem + 3);
	if (!obj)
		return NULL;
	memcpy(obj, base, stem);
	memcpy(obj + stem, ".o", 3);
	return obj;
}

static int is_header_lang(const char *lang)
{
	size_t n = strlen(lang);

	return n >= 7 && strcmp(lang + n - 7, "-header") == 0;
}

/* Languages the driver runs through a preprocessor, so that a
 * dependency file can list the headers read. */
static int is_source_lang(const char *lang)
{
	static const char *const langs[] = {
		"c", "c++", "objective-c", "objective-c++", "assembler",
		"assembler-with-cpp", "cpp-output", "c++-cpp-output",
		"objective-c-cpp-output", "objective-c++-cpp-output", NULL,
	};
	return in_list(langs, lang);
}

/* The value of an option that may be joined ("-MFx", "--target=x") or
 * separate ("-MF x").  Advances *i past a separate value. */
static const char *opt_value(int argc, char *const argv[], int *i,
    const char *opt)
{
	const char *a = argv[*i];
	size_t n = strlen(opt);

	if (a[n] == '=' && opt[0] == '-' && opt[1] == '-')
		return a + n + 1;
	if (a[n] != '\0')
		return a + n;
	if (*i + 1 < argc) {
		(*i)++;
		return argv[*i];
	}
	return NULL;
}

struct scan_state {
	const char *lang;	/* current -x language, NULL for "none" */
	int compile;		/* -c */
	int stop_early;		/* -E, -S, -M, -MM, -fsyntax-only, -Wp,-M */
	int stdin_input;	/* "-" as an input */
	int pch;		/* a header given as input: makes a .gch */
};

/* "-Wp,-MD,deps.d" and "-Wp,-MMD,deps.d": the kernel's form.  The
 * driver splits -Wp at commas: "-Wp,-MD,x.d,-MP" names x.d. */
static void scan_wp(struct pv_cmdline *cl, struct scan_state *st,
    const char *arg)
{
	const char *p = arg + 4;

	while (*p) {
		const char *end = strchrnul(p, ',');
		size_t n = (size_t)(end - p);

		if ((n == 3 && strncmp(p, "-MD", 3) == 0) ||
		    (n == 4 && strncmp(p, "-MMD", 4) == 0)) {
			cl->deps = n == 3 ? PV_DEPS_MD : PV_DEPS_MMD;
			if (*end == ',') {
				const char *f = end + 1;
				size_t flen = strcspn(f, ",");

				free(cl->depfile);
				cl->depfile = strndup(f, flen);
				end = f + flen;
			}
		} else if ((n == 2 && strncmp(p, "-M", 2) == 0) ||
		    (n == 3 && strncmp(p, "-MM", 3) == 0)) {
			st->stop_early = 1;
			cl->why = "-Wp,-M";
		}
		p = *end ? end + 1 : end;
	}
}

static int add_source(struct pv_cmdline *cl, size_t argi, const char *path,
    const char *lang)
{
	struct pv_source *s;

	s = realloc(cl->sources, (cl->nsources + 1) * sizeof(*s));
	if (!s)
		return -1;
	cl->sources = s;
	s[cl->nsources].argi = argi;
	s[cl->nsources].path = path;
	s[cl->nsources].lang = lang;
	cl->nsources++;
	return 0;
}

static int scan_input(struct pv_cmdline *cl, struct scan_state *st, int i,
    const char *arg)
{
	const char *lang = st->lang ? st->lang : pv_lang_from_suffix(arg);

	if (strcmp(arg, "-") == 0) {
		st->stdin_input = 1;
		return 0;
	}
	if (lang && is_header_lang(lang)) {
		st->pch = 1;
		return 0;
	}
	if (!lang || !is_source_lang(lang)) {
		/* Objects and libraries: the driver links them, or under -c
		 * ignores them; either way they are not compiled here. */
		cl->nlinkinputs++;
		return 0;
	}
	return add_source(cl, (size_t)i, arg, lang);
}

/* Options with a meaning for classification.  Returns 1 if the option
 * was handled (and its value consumed), 0 if it is an ordinary option. */
static int scan_option(struct pv_cmdline *cl, struct scan_state *st,
    int argc, char *const argv[], int *i)
{
	const char *a = argv[*i];

	if (strcmp(a, "-c") == 0 || strcmp(a, "--compile") == 0)
		st->compile = 1;
	else if (strcmp(a, "-S") == 0 || strcmp(a, "-E") == 0 ||
	    strcmp(a, "--assemble") == 0 || strcmp(a, "--preprocess") == 0) {
		st->stop_early = 1;
		cl->why = a;
	} else if (strcmp(a, "-M") == 0 || strcmp(a, "-MM") == 0) {
		st->stop_early = 1;
		cl->why = "-M without -MD";
	} else if (strcmp(a, "-fsyntax-only") == 0) {
		st->stop_early = 1;
		cl->why = a;
	} else if (in_list(query_opts, a) || starts_with(a, "-print-") ||
	    starts_with(a, "--print-")) {
		cl->query = 1;
		cl->why = "query";
	} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
		/* Verbose: the driver prints the commands it runs, so no
		 * option may be added. */
		cl->keep_argv = 1;
		cl->verbose = 1;
	} else if (strcmp(a, "-MD") == 0)
		cl->deps = PV_DEPS_MD;
	else if (strcmp(a, "-MMD") == 0)
		cl->deps = PV_DEPS_MMD;
	else if (starts_with(a, "-MF")) {
		const char *v = opt_value(argc, argv, i, "-MF");

		free(cl->depfile);
		cl->depfile = v ? strdup(v) : NULL;
	}
	else if (starts_with(a, "-Wp,"))
		scan_wp(cl, st, a);
	else if (strcmp(a, "-o") == 0 || starts_with(a, "--output"))
		cl->output = opt_value(argc, argv, i,
		    a[1] == '-' ? "--output" : "-o");
	else if (starts_with(a, "-o") && !starts_with(a, "-objc"))
		cl->output = a + 2;
	else if (strcmp(a, "-x") == 0 || starts_with(a, "-x") ||
	    starts_with(a, "--language")) {
		const char *v = opt_value(argc, argv, i,
		    a[1] == '-' ? "--language" : "-x");
		st->lang = (v && strcmp(v, "none") != 0) ? v : NULL;
	} else if (strcmp(a, "-target") == 0 || strcmp(a, "--target") == 0 ||
	    starts_with(a, "--target=")) {
		cl->target = opt_value(argc, argv, i,
		    a[1] == '-' ? "--target" : "-target");
	} else if (strcmp(a, "-grecord-command-line") == 0 ||
	    strcmp(a, "-frecord-command-line") == 0 ||
	    strcmp(a, "-grecord-gcc-switches") == 0 ||
	    strcmp(a, "-frecord-gcc-switches") == 0) {
		cl->keep_argv = 1;
	} else if (strcmp(a, "-gno-record-command-line") == 0 ||
	    strcmp(a, "-fno-record-command-line") == 0 ||
	    strcmp(a, "-gno-record-gcc-switches") == 0 ||
	    strcmp(a, "-fno-record-gcc-switches") == 0) {
		cl->keep_argv = cl->verbose;
	} else if (in_list(separate_arg_opts, a)) {
		if (*i + 1 < argc)
			(*i)++;
	} else
		return 0;
	return 1;
}

static int is_configure_probe(const char *path)
{
	const char *base = strrchr(path, '/');

	return starts_with(base ? base + 1 : path, "conftest.");
}

/* A configure link test: `cc -o conftest conftest.c` or conftest.o. */
static int is_probe_link(const struct pv_cmdline *cl)
{
	const char *base;
	size_t i;

	for (i = 0; i < cl->nsources; i++)
		if (is_configure_probe(cl->sources[i].path))
			return 1;
	if (!cl->output)
		return 0;
	base = strrchr(cl->output, '/');
	base = base ? base + 1 : cl->output;
	return strcmp(base, "conftest") == 0 ||
	    starts_with(base, "conftest.");
}

static void decide_mode(struct pv_cmdline *cl, const struct scan_state *st)
{
	size_t i;

	cl->mode = PV_MODE_PASS;
	if (cl->query) {
		cl->why = "query";
		return;
	}
	if (st->stop_early)
		return;
	if (st->stdin_input) {
		cl->why = "input from stdin";
		return;
	}
	if (cl->output && strcmp(cl->output, "-") == 0) {
		cl->why = "output to stdout";
		return;
	}
	if (st->pch) {
		cl->why = "precompiled header";
		return;
	}
	if (!st->compile) {
		if (cl->nsources + cl->nlinkinputs > 0 && is_probe_link(cl))
			cl->why = "configure probe";
		else if (cl->nsources + cl->nlinkinputs > 0) {
			cl->mode = PV_MODE_LINK;
			cl->why = NULL;
		} else
			cl->why = "no input";
		return;
	}
	if (cl->nsources == 0) {
		cl->why = "no source";
		return;
	}
	if (cl->nsources > 1 && cl->output) {
		cl->why = "-o with several sources";	/* the driver refuses */
		return;
	}
	for (i = 0; i < cl->nsources; i++)
		if (is_configure_probe(cl->sources[i].path)) {
			cl->why = "configure probe";
			return;
		}
	cl->mode = PV_MODE_COMPILE;
	cl->why = NULL;
}

int pv_cmdline_classify(struct pv_cmdline *cl, int argc, char *const argv[])
{
	struct scan_state st = { 0 };
	int i;

	memset(cl, 0, sizeof(*cl));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] == '-' && a[1] != '\0') {
			scan_option(cl, &st, argc, argv, &i);
			continue;
		}
		if (scan_input(cl, &st, i, a) < 0)
			return -1;
	}
	decide_mode(cl, &st);
	return 0;
}

void pv_cmdline_free(struct pv_cmdline *cl)
{
	free(cl->depfile);
	cl->depfile = NULL;
	free(cl->sources);
	cl->sources = NULL;
	cl->nsources = 0;
}

int pv_opt_takes_value(const char *opt)
{
	return in_list(separate_arg_opts, opt);
}

const char *pv_explicit_language(int argc, char *const argv[], int argi)
{
	const char *lang = NULL, *v;
	int i;

	for (i = 1; i < argi && i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0')
			continue;
		if (strcmp(a, "-x") == 0 || starts_with(a, "-x") ||
		    starts_with(a, "--language")) {
			v = opt_value(argc, argv, &i,
			    a[1] == '-' ? "--language" : "-x");
			lang = (v && strcmp(v, "none") != 0) ? v : NULL;
		} else if (in_list(separate_arg_opts, a) && i + 1 < argc)
			i++;
	}
	return lang;
}
