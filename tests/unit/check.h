/* check.h - the smallest possible test harness for provcc's unit tests.
 *
 * Every CHECK compares against an expected value; a failed check prints
 * one line "FILE:LINE: what went wrong" to stdout and is counted.  A test
 * program ends with "return check_finish();", which prints a summary and
 * returns non-zero when anything failed.
 *
 * The *_AT forms take the file and line to report, for table-driven
 * tests whose rows record their own __LINE__.
 */
#ifndef PROVCC_TEST_CHECK_H
#define PROVCC_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long check_total;
static unsigned long check_failed;

__attribute__((format(printf, 3, 4)))
static inline void check_fail(const char *file, int line, const char *fmt,
    ...)
{
	va_list ap;

	check_failed++;
	printf("%s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static inline const char *check_q(const char *s)
{
	return s ? s : "(null)";
}

static inline int check_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static inline int check_true_at(const char *file, int line, int ok,
    const char *expr)
{
	check_total++;
	if (!ok)
		check_fail(file, line, "CHECK(%s) failed", expr);
	return ok;
}

static inline int check_long_at(const char *file, int line, long long got,
    long long want, const char *expr)
{
	check_total++;
	if (got != want) {
		check_fail(file, line, "%s: got %lld, want %lld", expr, got,
		    want);
		return 0;
	}
	return 1;
}

static inline int check_str_at(const char *file, int line, const char *got,
    const char *want, const char *expr)
{
	check_total++;
	if (!check_streq(got, want)) {
		check_fail(file, line, "%s: got %s%s%s, want %s%s%s", expr,
		    got ? "\"" : "", check_q(got), got ? "\"" : "",
		    want ? "\"" : "", check_q(want), want ? "\"" : "");
		return 0;
	}
	return 1;
}

static inline int check_mem_at(const char *file, int line, const void *got,
    size_t gotlen, const void *want, size_t wantlen, const char *expr)
{
	const unsigned char *g = got, *w = want;
	size_t i;

	check_total++;
	if (gotlen != wantlen) {
		check_fail(file, line, "%s: got %zu bytes, want %zu", expr,
		    gotlen, wantlen);
		return 0;
	}
	for (i = 0; i < gotlen; i++)
		if (g[i] != w[i]) {
			check_fail(file, line,
			    "%s: byte %zu is 0x%02x, want 0x%02x", expr, i,
			    g[i], w[i]);
			return 0;
		}
	return 1;
}

#define CHECK(cond) check_true_at(__FILE__, __LINE__, !!(cond), #cond)
#define CHECK_INT(got, want) \
	check_long_at(__FILE__, __LINE__, (long long)(got), \
	    (long long)(want), #got)
#define CHECK_STR(got, want) \
	check_str_at(__FILE__, __LINE__, (got), (want), #got)
#define CHECK_MEM(got, gotlen, want, wantlen) \
	check_mem_at(__FILE__, __LINE__, (got), (gotlen), (want), (wantlen), \
	    #got)

#define CHECK_AT(file, line, cond) \
	check_true_at((file), (line), !!(cond), #cond)
#define CHECK_INT_AT(file, line, got, want) \
	check_long_at((file), (line), (long long)(got), (long long)(want), \
	    #got)
#define CHECK_STR_AT(file, line, got, want) \
	check_str_at((file), (line), (got), (want), #got)


static inline int check_finish(void)
{
	printf("%s: %lu checks, %lu failed\n",
	    check_failed ? "FAIL" : "PASS", check_total, check_failed);
	return check_failed ? 1 : 0;
}

#endif
