/* depfile.h - read the prerequisites out of a make dependency file as
 * gcc and clang write it for -MD/-MMD.
 */
#ifndef PROVCC_DEPFILE_H
#define PROVCC_DEPFILE_H

#include <stddef.h>

struct pv_pathlist {
	char **v;
	size_t n, cap;
};

void pv_pathlist_add(struct pv_pathlist *l, const char *path);
void pv_pathlist_free(struct pv_pathlist *l);

/* Append the prerequisites of the first rule in TEXT (LEN bytes) to
 * OUT, unescaped ("\ " and "\#" to the character, "$$" to "$").  Later
 * rules (-MP's phony targets) are ignored.  Returns 0, or -1 when TEXT
 * holds no rule. */
int pv_depfile_parse(const char *text, size_t len, struct pv_pathlist *out);

#endif
