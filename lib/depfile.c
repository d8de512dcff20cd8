/* depfile.c - parse make dependency files; see depfile.h. */
#include "depfile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void pv_pathlist_add(struct pv_pathlist *l, const char *path)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = pv_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = pv_xstrdup(path);
}

void pv_pathlist_free(struct pv_pathlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct lexer {
	const char *p, *end;
	char *word;		/* the word being read, unescaped */
	size_t len;
};

/* Skip blanks and backslash-newline continuations.  Returns 1 at the end
 * of the logical line (an unescaped newline or the end of text). */
static int skip_blanks(struct lexer *lx)
{
	while (lx->p < lx->end) {
		if (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r')
			lx->p++;
		else if (*lx->p == '\\' && lx->p + 1 < lx->end &&
		    (lx->p[1] == '\n' || lx->p[1] == '\r')) {
			lx->p += 2;
			if (lx->p < lx->end && lx->p[-1] == '\r' &&
			    *lx->p == '\n')
				lx->p++;
		} else
			return *lx->p == '\n';
	}
	return 1;
}

/* gcc and clang escape only blanks and '#': a run of backslashes right
 * before one of those is doubled, and one more escapes the character
 * itself.  Backslashes anywhere else are literal. */
static int escapes(const struct lexer *lx)
{
	const char *q = lx->p;

	while (q < lx->end && *q == '\\')
		q++;
	return q < lx->end && (*q == ' ' || *q == '\t' || *q == '#');
}

static void read_backslashes(struct lexer *lx)
{
	size_t k = 0, i;

	while (*lx->p == '\\') {
		lx->p++;
		k++;
	}
	for (i = 0; i < k / 2; i++)
		lx->word[lx->len++] = '\\';
	if (k % 2)		/* escaped: the blank or '#' is part of it */
		lx->word[lx->len++] = *lx->p++;
}

/* Read one word into lx->word.  A colon that ends a word (followed by a
 * blank or newline) is returned as the word ":" on the next call. */
static void read_word(struct lexer *lx)
{
	lx->len = 0;
	if (*lx->p == ':') {
		lx->word[lx->len++] = *lx->p++;
		lx->word[lx->len] = '\0';
		return;
	}
	while (lx->p < lx->end) {
		char c = *lx->p;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			break;
		if (c == ':' && (lx->p + 1 == lx->end || lx->p[1] == ' ' ||
		    lx->p[1] == '\t' || lx->p[1] == '\n' || lx->p[1] == '\r'))
			break;
		if (c == '\\' && escapes(lx)) {
			read_backslashes(lx);
			continue;
		}
		if (c == '\\' && lx->p + 1 < lx->end &&
		    (lx->p[1] == '\n' || lx->p[1] == '\r'))
			break;
		if (c == '$' && lx->p + 1 < lx->end && lx->p[1] == '$') {
			lx->word[lx->len++] = '$';
			lx->p += 2;
			continue;
		}
		lx->word[lx->len++] = c;
		lx->p++;
	}
	lx->word[lx->len] = '\0';
}

int pv_depfile_parse(const char *text, size_t len, struct pv_pathlist *out)
{
	struct lexer lx = { text, text + len, NULL, 0 };
	int seen_colon = 0;

	lx.word = pv_xmalloc(len + 1);
	/* Targets may span lines before the colon; prerequisites end
	 * with the logical line. */
	for (;;) {
		if (skip_blanks(&lx)) {
			if (seen_colon || lx.p >= lx.end)
				break;
			lx.p++;		/* blank line before the rule */
			continue;
		}
		read_word(&lx);
		if (lx.len == 0) {
			lx.p++;		/* stray backslash */
			continue;
		}
		if (!seen_colon && strcmp(lx.word, ":") == 0)
			seen_colon = 1;
		else if (seen_colon)
			pv_pathlist_add(out, lx.word);
	}
	free(lx.word);
	return seen_colon ? 0 : -1;
}
