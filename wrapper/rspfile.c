/* rspfile.c - response file expansion; see rspfile.h. */
#include "rspfile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_NESTING 16

static void push_arg(char ***argv, int *argc, const char *s)
{
	*argv = pv_xrealloc(*argv, (size_t)(*argc + 2) * sizeof(char *));
	(*argv)[(*argc)++] = pv_xstrdup(s);
	(*argv)[*argc] = NULL;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

void pv_rsp_split(const char *text, char ***argv, int *argc)
{
	char *word = pv_xmalloc(strlen(text) + 1);
	const char *p = text;

	while (*p) {
		size_t n = 0;
		char quote = 0;

		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		while (*p && (quote || !is_blank(*p))) {
			if (*p == '\\') {
				/* A final backslash escapes nothing; as in
				 * libiberty it is dropped. */
				if (p[1])
					word[n++] = p[1];
				p += p[1] ? 2 : 1;
			} else if (quote && *p == quote) {
				quote = 0;
				p++;
			} else if (!quote && (*p == '\'' || *p == '"')) {
				quote = *p++;
			} else
				word[n++] = *p++;
		}
		word[n] = '\0';
		push_arg(argv, argc, word);
	}
	free(word);
}

static void expand(const char *arg, int depth, struct pv_expanded *out)
{
	unsigned char *buf;
	size_t len;
	char **words = NULL;
	int nwords = 0, i;

	if (arg[0] != '@' || depth >= MAX_NESTING ||
	    pv_read_file(arg + 1, &buf, &len) < 0) {
		push_arg(&out->argv, &out->argc, arg);
		return;
	}
	pv_pathlist_add(&out->files, arg + 1);
	pv_rsp_split((char *)buf, &words, &nwords);
	free(buf);
	for (i = 0; i < nwords; i++) {
		expand(words[i], depth + 1, out);
		free(words[i]);
	}
	free(words);
}

void pv_expand_response_files(int argc, char *const argv[],
    struct pv_expanded *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < argc; i++)
		expand(argv[i], i == 0 ? MAX_NESTING : 0, out);
	if (!out->argv)
		push_arg(&out->argv, &out->argc, "");
}

void pv_expanded_free(struct pv_expanded *x)
{
	int i;

	for (i = 0; i < x->argc; i++)
		free(x->argv[i]);
	free(x->argv);
	pv_pathlist_free(&x->files);
	memset(x, 0, sizeof(*x));
}
