/* onestep.c - compile the sources of a one-step build through provcc;
 * see onestep.h. */
#define _GNU_SOURCE
#include "onestep.h"
#include "child.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* Options whose effect depends on the names the driver gives its own
 * temporary files (auxiliary outputs named after -dumpbase: depfiles,
 * coverage notes, profiles, dumps, split DWARF), or that print or
 * record the commands the driver runs.  Splitting such a command could
 * change what it writes, so it is linked as the build gave it. */
static const char *const refused_prefixes[] = {
	"-save-temps", "-M", "-Wp,", "-dumpbase", "-dumpdir", "-aux-info",
	"-fdump-", "-fstack-usage", "-fcallgraph-info", "--coverage",
	"-ftest-coverage", "-fprofile", "-fauto-profile", "-fcs-profile",
	"-gsplit-dwarf", "-fcompare-debug", "-fsave-optimization-record",
	"-foptimization-record", "-ftime-report", "-ftime-trace",
	"-fopt-info", "-flto-report", "-###", "-Xclang", "-fplugin",
	NULL,
};

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_source_at(const struct pv_cmdline *cl, size_t argi)
{
	size_t i;

	for (i = 0; i < cl->nsources; i++)
		if (cl->sources[i].argi == argi)
			return 1;
	return 0;
}

static int is_language_option(const char *a)
{
	return has_prefix(a, "-x") || has_prefix(a, "--language");
}

/* Whether option A (not joined to its value) takes the next word. */
static int value_follows(const char *a)
{
	return (strcmp(a, "-x") == 0 || strcmp(a, "--language") == 0 ||
	    pv_opt_takes_value(a));
}

const char *pv_onestep_refusal(const struct pv_cmdline *cl,
    const struct pv_expanded *x)
{
	const char *const *p;
	size_t i;
	int a;

	if (x->files.n > 0)
		return "response files";
	if (cl->keep_argv)
		return "the command line is printed or recorded";
	for (i = 0; i < cl->nsources; i++)
		if (access(cl->sources[i].path, R_OK) < 0)
			return "a source cannot be read";
	for (a = 1; a < x->argc; a++) {
		const char *arg = x->argv[a];

		if (strcmp(arg, "-") == 0)
			return "standard input";
		if (arg[0] != '-')
			continue;
		for (p = refused_prefixes; *p; p++)
			if (has_prefix(arg, *p))
				return *p;
		if (value_follows(arg))
			a++;
	}
	return NULL;
}

/* The compile command for source S: every option of X but -o and -x,
 * no other input (gcc warns of objects it does not link), then -c, S's
 * language when -x named it, S and the object.  clang warns of link
 * options unused in a compile, gcc does not: -Qunused-arguments keeps
 * its diagnostics those of the one-step command. */
static char **compile_argv(const char *driver, const struct pv_expanded *x,
    const struct pv_source *s, const char *obj, int clang)
{
	char **v = pv_xcalloc((size_t)x->argc + 10, sizeof(char *));
	const char *lang = NULL;
	size_t n = 0;
	int a;

	v[n++] = (char *)pv_self_exe();
	v[n++] = (char *)driver;
	for (a = 1; a < x->argc; a++) {
		const char *arg = x->argv[a];

		if ((size_t)a == s->argi) {
			lang = pv_explicit_language(x->argc, x->argv, a);
			continue;
		}
		if (arg[0] != '-')
			continue;	/* another input */
		if (strcmp(arg, "-o") == 0 || is_language_option(arg) ||
		    has_prefix(arg, "--output") || (has_prefix(arg, "-o") &&
		    !has_prefix(arg, "-objc"))) {
			if (value_follows(arg) || strcmp(arg, "--output") == 0)
				a++;
			continue;
		}
		v[n++] = (char *)arg;
		if (value_follows(arg) && a + 1 < x->argc)
			v[n++] = x->argv[++a];
	}
	if (clang)
		v[n++] = "-Qunused-arguments";
	v[n++] = "-c";
	if (lang) {
		v[n++] = "-x";
		v[n++] = (char *)lang;
	}
	v[n++] = (char *)s->path;
	v[n++] = "-o";
	v[n++] = (char *)obj;
	v[n] = NULL;
	return v;
}

/* The driver's own link: X with each source replaced by its object and
 * the -x options, which now apply to nothing, left out. */
static char **link_argv(const char *argv0, const struct pv_cmdline *cl,
    const struct pv_expanded *x, const json_t *objects)
{
	char **v = pv_xcalloc((size_t)x->argc + 1, sizeof(char *));
	size_t n = 0, k = 0;
	int a;

	v[n++] = (char *)argv0;
	for (a = 1; a < x->argc; a++) {
		const char *arg = x->argv[a];

		if (is_source_at(cl, (size_t)a))
			v[n++] = (char *)json_string_value(
			    json_array_get(objects, k++));
		else if (arg[0] == '-' && is_language_option(arg)) {
			if (value_follows(arg))
				a++;
		} else
			v[n++] = (char *)arg;
	}
	v[n] = NULL;
	return v;
}

static int is_clang(const char *driver)
{
	char real[PATH_MAX];

	if (!realpath(driver, real))
		return 0;
	return strstr(pv_base_name(real), "clang") != NULL;
}

/* What the compiling provcc records as its command: the build's. */
static char *write_recorded(const char *dir, const char *argv0,
    const struct pv_expanded *x, const char *output)
{
	json_t *argv = json_array(), *j;
	char *path = pv_xasprintf("%s/onestep.json", dir), *text;
	int a, rc;

	json_array_append_new(argv, json_string(argv0));
	for (a = 1; a < x->argc; a++)
		json_array_append_new(argv, json_string(x->argv[a]));
	j = json_pack("{s:o, s:s}", "argv", argv, "output", output);
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	rc = text ? pv_write_file_atomic(path, text, strlen(text), 0600) : -1;
	free(text);
	if (rc < 0) {
		free(path);
		return NULL;
	}
	return path;
}

static char **child_env(const char *recorded)
{
	size_t n = 0, o = 0, i;
	char **env;

	while (environ[n])
		n++;
	env = pv_xcalloc(n + 2, sizeof(char *));
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], PV_ONESTEP_ENV "=",
		    sizeof(PV_ONESTEP_ENV)) != 0)
			env[o++] = environ[i];
	env[o++] = pv_xasprintf(PV_ONESTEP_ENV "=%s", recorded);
	env[o] = NULL;
	return env;
}

/* Like the driver, compile every source even after one failed. */
static int compile_all(const char *driver, const struct pv_cmdline *cl,
    const struct pv_expanded *x, const char *dir, char **env,
    struct pv_onestep *os)
{
	int clang = is_clang(driver), failed = 0, status;
	char *obj, **argv;
	size_t i;

	for (i = 0; i < cl->nsources; i++) {
		obj = pv_xasprintf("%s/onestep-%zu.o", dir, i + 1);
		argv = compile_argv(driver, x, &cl->sources[i], obj, clang);
		if (pv_spawn_wait(pv_self_exe(), argv, env, &status) < 0) {
			free(argv);
			free(obj);
			return -1;
		}
		if (status != 0 && !failed)
			failed = status;
		json_array_append_new(os->objects, json_string(obj));
		free(argv);
		free(obj);
	}
	return failed;
}

int pv_onestep_compile(const char *driver, const char *argv0,
    const struct pv_cmdline *cl, const struct pv_expanded *x,
    const char *output, const char *dir, struct pv_onestep *os)
{
	char *recorded, **env;
	size_t last;
	int rc;

	memset(os, 0, sizeof(*os));
	os->objects = json_array();
	if (!(recorded = write_recorded(dir, argv0, x, output)))
		return -1;
	env = child_env(recorded);
	rc = compile_all(driver, cl, x, dir, env, os);
	for (last = 0; env[last + 1]; last++)
		;
	free(env[last]);	/* the one entry made here */
	free(env);
	free(recorded);
	if (rc == 0)
		os->link_argv = link_argv(argv0, cl, x, os->objects);
	return rc;
}

void pv_onestep_free(struct pv_onestep *os)
{
	free(os->link_argv);
	json_decref(os->objects);
	memset(os, 0, sizeof(*os));
}

json_t *pv_onestep_recorded(void)
{
	const char *path = getenv(PV_ONESTEP_ENV);
	json_t *j;

	if (!path || !*path)
		return NULL;
	j = json_load_file(path, 0, NULL);
	if (!json_is_array(json_object_get(j, "argv")) ||
	    !json_is_string(json_object_get(j, "output"))) {
		json_decref(j);
		return NULL;
	}
	return j;
}
