/* mklinknote.c - test tool: the raw bytes of a link note, and where the
 * one in a file is, so tests can build linked outputs without the link
 * path of the wrapper.
 *
 *   mklinknote [-b] PREDICATE.json SUBJECT OUT   write the note (header,
 *       owner, unsigned descriptor, padding) for an objcopy
 *       --add-section; -b: header words big-endian
 *   mklinknote find FILE                         print "OFF LEN" of the
 *       link note's descriptor (exit 1: none, 2: refused)
 */
#include "elfdigest.h"
#include "linknote.h"
#include "note.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int find(const char *path)
{
	struct pv_byte_range d;
	const char *why = NULL;
	int rc = pv_elf_find_note(path, PV_NT_LINK, &d, &why);

	if (rc < 0) {
		fprintf(stderr, "mklinknote: %s: %s\n", path, why);
		return 2;
	}
	if (rc == 0)
		return 1;
	printf("%llu %llu\n", (unsigned long long)d.off,
	    (unsigned long long)d.len);
	return 0;
}

static int make(const char *predfile, const char *subject, const char *out,
    int big)
{
	unsigned char *desc, *note;
	size_t len, off, desclen, notelen;
	json_error_t err;
	json_t *pred = json_load_file(predfile, 0, &err);
	char *st;

	if (!pred) {
		fprintf(stderr, "mklinknote: %s: %s\n", predfile, err.text);
		return 2;
	}
	st = pv_statement_build(subject, pred, &len, &off);
	json_decref(pred);
	if (!st || pv_linknote_encode(st, len, off, &desc, &desclen) < 0 ||
	    pv_note_build(PV_NT_LINK, desc, desclen, big, &note, &notelen) < 0 ||
	    pv_write_file_atomic(out, note, notelen, 0644) < 0) {
		fprintf(stderr, "mklinknote: cannot make the note\n");
		return 2;
	}
	free(st);
	free(desc);
	free(note);
	return 0;
}

int main(int argc, char **argv)
{
	int big = argc > 1 && strcmp(argv[1], "-b") == 0;

	if (argc == 3 && strcmp(argv[1], "find") == 0)
		return find(argv[2]);
	if (argc - big != 4) {
		fprintf(stderr, "usage: mklinknote [-b] PREDICATE SUBJECT OUT\n"
		    "       mklinknote find FILE\n");
		return 2;
	}
	return make(argv[1 + big], argv[2 + big], argv[3 + big], big);
}
