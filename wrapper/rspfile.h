/* rspfile.h - expand "@file" response files the way gcc and clang do. */
#ifndef PROVCC_RSPFILE_H
#define PROVCC_RSPFILE_H

#include "depfile.h"	/* struct pv_pathlist */

struct pv_expanded {
	int argc;
	char **argv;			/* NULL-terminated, owned */
	struct pv_pathlist files;	/* response files read, in order */
};

/* Expand every readable "@file" argument in ARGV (nested ones too, to
 * a bounded depth); an unreadable one stays as it is, as the compiler
 * driver keeps it.  Quoting follows libiberty's buildargv: blanks
 * separate words, '...' and "..." group, backslash escapes. */
void pv_expand_response_files(int argc, char *const argv[],
    struct pv_expanded *out);
void pv_expanded_free(struct pv_expanded *x);

/* Split the contents of one response file into words (exposed for
 * tests).  Appends to ARGV/ARGC. */
void pv_rsp_split(const char *text, char ***argv, int *argc);

#endif
