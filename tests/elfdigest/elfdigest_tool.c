/* elfdigest_tool.c - lib/elfdigest.c on the command line, for the script
 * tests.  Every command runs both the file and the in-memory form and
 * fails (exit 3) when they disagree.
 *
 *   elfdigest_tool digest FILE [OFF:LEN ...]   print the digest in hex
 *   elfdigest_tool note FILE TYPE              print "OFF LEN" of the
 *                                              descriptor; exit 1: none
 *   elfdigest_tool hazard FILE                 print "COUNT FIRST"
 *   elfdigest_tool fuzz FILE [FLIPS [SEED]]    truncate FILE at every 97th
 *                                              offset, flip random bytes
 *                                              (FLIPS times), and run every
 *                                              entry point: no crash, and
 *                                              a reason for each refusal
 *
 * Numbers may be decimal or 0x-prefixed.  Errors: exit 2, reason on
 * stderr.
 */
#define _GNU_SOURCE
#include "elfdigest.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: elfdigest_tool digest FILE [OFF:LEN ...]\n"
	    "       elfdigest_tool note FILE TYPE\n"
	    "       elfdigest_tool hazard FILE\n"
	    "       elfdigest_tool fuzz FILE [FLIPS [SEED]]\n");
	return 2;
}

static int fail(const char *file, const char *why)
{
	fprintf(stderr, "elfdigest_tool: %s: %s\n", file, why);
	return 2;
}

static int number(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno == 0 && end != s && *end == '\0' && s[0] != '-' ? 0 : -1;
}

static int parse_range(const char *s, struct pv_byte_range *r)
{
	char *copy = pv_xstrdup(s), *colon = strchr(copy, ':');
	int rc = -1;

	if (colon) {
		*colon = '\0';
		if (number(copy, &r->off) == 0 &&
		    number(colon + 1, &r->len) == 0)
			rc = 0;
	}
	free(copy);
	return rc;
}

static int load(const char *file, unsigned char **buf, size_t *len)
{
	if (pv_read_file(file, buf, len) < 0) {
		fail(file, strerror(errno));
		return -1;
	}
	return 0;
}

static int cmd_digest(const char *file, char **args, int nargs)
{
	struct pv_byte_range *zero = pv_xcalloc((size_t)nargs, sizeof(*zero));
	unsigned char a[PV_SHA256_LEN], b[PV_SHA256_LEN], *buf;
	char hex[PV_SHA256_HEX];
	const char *why = NULL, *why2 = NULL;
	size_t len;
	int i, ra, rb;

	for (i = 0; i < nargs; i++)
		if (parse_range(args[i], &zero[i]) < 0) {
			free(zero);
			return fail(args[i], "not OFF:LEN");
		}
	ra = pv_elf_digest(file, zero, (size_t)nargs, a, &why);
	if (ra < 0) {	/* maybe not even readable (a FIFO, say) */
		free(zero);
		return fail(file, why);
	}
	if (load(file, &buf, &len) < 0) {
		free(zero);
		return 2;
	}
	rb = pv_elf_digest_mem(buf, len, zero, (size_t)nargs, b, &why2);
	free(buf);
	free(zero);
	if (rb < 0 || memcmp(a, b, sizeof(a)) != 0) {
		fail(file, "file and memory digests differ");
		return 3;
	}
	pv_hex(a, sizeof(a), hex);
	printf("%s\n", hex);
	return 0;
}

static int cmd_note(const char *file, const char *typestr)
{
	struct pv_byte_range da = { 0, 0 }, db = { 0, 0 };
	const char *why = NULL, *why2 = NULL;
	unsigned char *buf;
	uint64_t type;
	size_t len;
	int ra, rb;

	if (number(typestr, &type) < 0 || type > 0xffffffffu)
		return fail(typestr, "not a note type");
	if (load(file, &buf, &len) < 0)
		return 2;
	ra = pv_elf_find_note(file, (unsigned)type, &da, &why);
	rb = pv_elf_find_note_mem(buf, len, (unsigned)type, &db, &why2);
	free(buf);
	if (ra != rb || da.off != db.off || da.len != db.len) {
		fail(file, "file and memory searches differ");
		return 3;
	}
	if (ra < 0)
		return fail(file, why);
	if (ra == 0) {
		printf("none\n");
		return 1;
	}
	printf("%llu %llu\n", (unsigned long long)da.off,
	    (unsigned long long)da.len);
	return 0;
}

static int cmd_hazard(const char *file)
{
	uint64_t ca, fa, cb, fb;
	const char *why = NULL, *why2 = NULL;
	unsigned char *buf;
	size_t len;
	int ra, rb;

	if (load(file, &buf, &len) < 0)
		return 2;
	ra = pv_elf_strip_hazard(file, &ca, &fa, &why);
	rb = pv_elf_strip_hazard_mem(buf, len, &cb, &fb, &why2);
	free(buf);
	if (ra != rb || (ra == 0 && (ca != cb || fa != fb))) {
		fail(file, "file and memory checks differ");
		return 3;
	}
	if (ra < 0)
		return fail(file, why);
	printf("%llu %llu\n", (unsigned long long)ca, (unsigned long long)fa);
	return 0;
}

/* Every entry point on one damaged image, with no zeroed range and with
 * ZERO; a refusal must say why. */
static int try_all(const unsigned char *img, size_t len,
    const struct pv_byte_range *zero, int *accepted)
{
	struct pv_byte_range desc;
	unsigned char out[PV_SHA256_LEN];
	uint64_t count, first;
	const char *why;
	int rc;

	why = NULL;
	rc = pv_elf_digest_mem(img, len, NULL, 0, out, &why);
	if (rc < 0 && !why)
		return -1;
	why = NULL;
	rc = pv_elf_digest_mem(img, len, zero, 1, out, &why);
	if (rc < 0 && !why)
		return -1;
	*accepted += rc == 0;
	why = NULL;
	rc = pv_elf_find_note_mem(img, len, 0x7e57, &desc, &why);
	if (rc < 0 && !why)
		return -1;
	why = NULL;
	rc = pv_elf_strip_hazard_mem(img, len, &count, &first, &why);
	if (rc < 0 && !why)
		return -1;
	return 0;
}

static int cmd_fuzz(const char *file, const char *flipstr,
    const char *seedstr)
{
	uint64_t flips = 20000, seed = 1, i, runs = 0;
	struct pv_byte_range zero;
	unsigned char *buf, *copy;
	const char *why;
	size_t len, cut;
	int accepted = 0;

	if ((flipstr && number(flipstr, &flips) < 0) ||
	    (seedstr && number(seedstr, &seed) < 0))
		return usage();
	if (load(file, &buf, &len) < 0)
		return 2;
	/* The descriptor of the note of type 0x7e57 is the slot, if any. */
	if (pv_elf_find_note_mem(buf, len, 0x7e57, &zero, &why) != 1) {
		zero.off = 0;
		zero.len = 0;
	}
	copy = pv_xmalloc(len);
	for (cut = 0; cut <= len; cut += 97, runs++)
		if (try_all(buf, cut, &zero, &accepted) < 0)
			return fail(file, "refused without a reason");
	srand((unsigned)seed);
	for (i = 0; i < flips && len > 0; i++, runs++) {
		int n = 1 + rand() % 4, k;

		memcpy(copy, buf, len);
		for (k = 0; k < n; k++) {
			/* Mostly the headers, where damage bites. */
			size_t at = (size_t)rand() % (rand() % 2 &&
			    len > 512 ? 512 : len);

			copy[at] ^= (unsigned char)(1 + rand() % 255);
		}
		if (try_all(copy, len, &zero, &accepted) < 0)
			return fail(file, "refused without a reason");
	}
	printf("%llu runs, %d digests accepted\n", (unsigned long long)runs,
	    accepted);
	free(copy);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return usage();
	if (strcmp(argv[1], "digest") == 0)
		return cmd_digest(argv[2], argv + 3, argc - 3);
	if (strcmp(argv[1], "note") == 0 && argc == 4)
		return cmd_note(argv[2], argv[3]);
	if (strcmp(argv[1], "hazard") == 0 && argc == 3)
		return cmd_hazard(argv[2]);
	if (strcmp(argv[1], "fuzz") == 0 && argc <= 5)
		return cmd_fuzz(argv[2], argc > 3 ? argv[3] : NULL,
		    argc > 4 ? argv[4] : NULL);
	return usage();
}
