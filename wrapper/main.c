/* main.c - the provcc command: a compiler wrapper and its subcommands.
 *
 * How argv[0] and argv[1] select what runs is documented in
 * docs/provcc.1 ("INVOCATION"); this file only dispatches.
 */
#include "collect.h"
#include "compile.h"
#include "keygen.h"
#include "link.h"
#include "show.h"
#include "toolchain.h"
#include "verify.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PROVCC_VERSION
#define PROVCC_VERSION "0"
#endif

#if defined(__SANITIZE_ADDRESS__)
/* provcc is short-lived and exits or execs with its allocations live;
 * leak reports would only add noise to the compiler's stderr.  A provcc
 * started below another one (a masquerade link) runs with the trace
 * library preloaded, which ASan would otherwise refuse. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0:verify_asan_link_order=0";
}
#endif

static void usage(FILE *to)
{
	fputs("usage: provcc [COMPILER] COMPILER-ARGS...\n"
	    "       provcc show [--json] FILE...\n"
	    "       provcc keygen [--type ed25519|ecdsa-p256] [--force] FILE\n"
	    "       provcc sign [--key KEY] FILE...\n"
	    "       provcc verify --key PUB FILE...\n"
	    "       provcc verify --envelope [--key PUB] FILE\n"
	    "       provcc sbom [--format cyclonedx|spdx] [-o FILE] BINARY\n"
	    "       provcc collect [-o DIR] [--key KEY] PATH...\n"
	    "       provcc ld LINKER-ARGS...\n"
	    "       provcc help | version\n"
	    "\n"
	    "As a compiler wrapper provcc runs the real compiler unchanged and\n"
	    "records, inside each object it produces, the source and every\n"
	    "header read (with SHA-256), the command, working directory and\n"
	    "toolchain.  Each executable or library it links gets a signed\n"
	    "note of every object, archive member and shared library used.\n"
	    "Forms:\n"
	    "  provcc gcc -c x.c          run the named compiler\n"
	    "  provcc gcc x.o -o prog     link (ld.bfd, gold or lld)\n"
	    "  CC=provcc                  run cc (c++ when invoked as provcc++)\n"
	    "  ln -s provcc gcc           masquerade: run the next gcc in PATH\n"
	    "\n"
	    "Environment:\n"
	    "  PROVCC_KEY=FILE        private key that signs every linked output\n"
	    "                         (and the key of provcc sign)\n"
	    "  PROVCC_ON_ERROR=warn   keep the plain object or program when\n"
	    "                         provenance cannot be recorded (default:\n"
	    "                         fail, 70)\n"
	    "  PROVCC_ROOT=DIR        build root; paths below it are recorded\n"
	    "                         relative (default: enclosing git tree)\n"
	    "  PROVCC_CACHE_DIR=DIR   hash cache (default ~/.cache/provcc;\n"
	    "                         \"off\" disables it)\n"
	    "  PROVCC_COMPRESS=zlib   compress compile records (default none:\n"
	    "                         faster, ~7 KB more per 70-header object)\n"
	    "  PROVCC_DISABLE=1       pass everything through unrecorded\n"

	    "\n"
	    "See provcc(1) for exit statuses and details.\n", to);
}

static int is_wrapper_name(const char *base)
{
	return strcmp(base, "provcc") == 0 || strcmp(base, "provcc++") == 0;
}

static int run_compiler(const char *name, int argc, char **argv,
    int masquerade)
{
	char *path = pv_find_program(name);
	struct pv_tool t;

	if (!path) {
		pv_error("compiler not found", name,
		    "no such program in PATH other than provcc itself");
		return PV_EXIT_NOTFOUND;
	}
	pv_tool_resolve(name, path, argc > 1 ? argv[1] : NULL, &t);
	return pv_compile_main(&t, argc, argv, masquerade);
}

/* CC=provcc: no compiler named, so cc or c++ runs in its place. */
static int run_default_compiler(const char *base, int argc, char **argv)
{
	const char *cc = base[strlen(base) - 1] == '+' ? "c++" : "cc";
	char **v = pv_xcalloc((size_t)argc + 1, sizeof(char *));
	int i;

	v[0] = (char *)cc;
	for (i = 1; i < argc; i++)
		v[i] = argv[i];
	return run_compiler(cc, argc, v, 0);
}

int main(int argc, char **argv)
{
	const char *base = pv_base_name(argv[0]);
	char *path;

	/* A fixed hash seed: jansson would otherwise read /dev/urandom in
	 * every compile, and nothing here parses hostile JSON at scale. */
	json_object_seed(1);
	if (!is_wrapper_name(base) && pv_is_linker_name(base))
		return pv_ld_main(base, argc, argv);	/* masquerade */
	if (!is_wrapper_name(base))
		return run_compiler(base, argc, argv, 1);	/* masquerade */
	if (argc < 2) {
		usage(stderr);
		return PV_EXIT_USAGE;
	}
	if (strcmp(argv[1], "show") == 0)
		return pv_cmd_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "keygen") == 0)
		return pv_cmd_keygen(argc - 1, argv + 1);
	if (strcmp(argv[1], "sign") == 0)
		return pv_cmd_sign(argc - 1, argv + 1);
	if (strcmp(argv[1], "verify") == 0)
		return pv_cmd_verify(argc - 1, argv + 1);
	if (strcmp(argv[1], "sbom") == 0)
		return pv_cmd_sbom(argc - 1, argv + 1);
	if (strcmp(argv[1], "collect") == 0)
		return pv_cmd_collect(argc - 1, argv + 1);
	if (strcmp(argv[1], "help") == 0 ||
	    (argc == 2 && strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return PV_EXIT_OK;
	}
	if (strcmp(argv[1], "version") == 0) {
		printf("provcc %s\n", PROVCC_VERSION);
		return PV_EXIT_OK;
	}
	if (pv_is_linker_name(pv_base_name(argv[1])))
		return pv_ld_main(argv[1], argc - 1, argv + 1);
	/* The PATH search is done once: its answer is the compiler, or a
	 * launcher (ccache) in front of it. */
	if ((path = pv_command_path(argv[1])) != NULL) {
		struct pv_tool t;

		pv_tool_resolve(argv[1], path, argc > 2 ? argv[2] : NULL, &t);
		return pv_compile_main(&t, argc - 1, argv + 1, 0);
	}
	return run_default_compiler(base, argc, argv);
}
