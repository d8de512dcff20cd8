/* argv.h - classify a compiler command line.
 *
 * The wrapper must decide, without running anything, whether a command
 * line compiles sources into objects (which provcc records), or is a
 * link, a query, a preprocess-only run or anything else (which provcc
 * passes through untouched).  Classification only reads the arguments;
 * response files must already be expanded by the caller.
 */
#ifndef PROVCC_ARGV_H
#define PROVCC_ARGV_H

#include <stddef.h>

enum pv_mode {
	PV_MODE_COMPILE,	/* -c with at least one source: objects we record */
	PV_MODE_LINK,		/* produces a linked output; passed through for now */
	PV_MODE_PASS,		/* query, preprocess, -S, odd input: pass through */
};

/* How the user asked for a make dependency file, if at all. */
enum pv_deps {
	PV_DEPS_NONE,		/* no -MD/-MMD of any form */
	PV_DEPS_MD,		/* -MD or -Wp,-MD,FILE: lists system headers too */
	PV_DEPS_MMD,		/* -MMD or -Wp,-MMD,FILE: user headers only */
};

struct pv_source {
	size_t argi;		/* index of the source in the (expanded) argv */
	const char *path;	/* as written on the command line */
	const char *lang;	/* gcc -x name: "c", "c++", "assembler", ... */
};

struct pv_cmdline {
	enum pv_mode mode;
	const char *why;	/* for PV_MODE_PASS: short reason, for tests */

	struct pv_source *sources;
	size_t nsources;

	const char *output;	/* -o argument, or NULL */
	enum pv_deps deps;
	char *depfile;		/* -MF or -Wp,-M[M]D,FILE argument (a copy),
				 * or NULL */
	const char *target;	/* --target=/-target argument, or NULL */

	size_t nlinkinputs;	/* objects, libraries: inputs not compiled */

	/* No option may be added: the compiler copies its command line
	 * into the object (clang -grecord-command-line and friends) or
	 * prints the commands it runs (-v). */
	int keep_argv;
	int verbose;		/* -v */
	int query;		/* --version, -print-*, -dump*, ... */
};

/* Classify argv[1..argc-1] (argv[0] is the compiler name).  The result
 * points into argv; free it with pv_cmdline_free.  Returns 0, or -1 on
 * memory exhaustion. */
int pv_cmdline_classify(struct pv_cmdline *cl, int argc, char *const argv[]);
void pv_cmdline_free(struct pv_cmdline *cl);

/* The gcc -x language for a file name by its suffix, or NULL when the
 * suffix names no source language (objects, libraries, unknown). */
const char *pv_lang_from_suffix(const char *path);

/* The object name the driver writes for SOURCE under -c without -o:
 * basename with its suffix replaced by ".o".  Caller frees. */
char *pv_default_object(const char *source);

/* Whether OPT, written alone, takes the next word as its value ("-I",
 * "-o", "-MF", "-Xlinker", ...). */
int pv_opt_takes_value(const char *opt);

/* The language the last -x before ARGV[ARGI] names, or NULL when none
 * does (or -x none): the suffix decides. */
const char *pv_explicit_language(int argc, char *const argv[], int argi);

#endif
