/* util.h - error reporting, memory and path helpers shared by all modules. */
#ifndef PROVCC_UTIL_H
#define PROVCC_UTIL_H

#include <stddef.h>

/* Exit statuses of provcc itself; docs/provcc.1 lists them. */
enum {
	PV_EXIT_OK = 0,
	PV_EXIT_NOPROV = 1,	/* show: a file carries no provenance */
	PV_EXIT_USAGE = 2,	/* bad command line */
	PV_EXIT_BADFILE = 3,	/* show: unreadable file or not ELF */
	PV_EXIT_MALFORMED = 4,	/* show: a provenance note is malformed */
	PV_EXIT_PROVENANCE = 70,	/* compile ok, provenance not recorded */
	PV_EXIT_LOOP = 125,	/* compiler resolves back to provcc */
	PV_EXIT_NOEXEC = 126,	/* compiler found but cannot run */
	PV_EXIT_NOTFOUND = 127,	/* compiler not found */
};

/* "provcc: error: WHAT (FILE): WHY" on one line; FILE may be NULL. */
void pv_error(const char *what, const char *file, const char *why);
void pv_warning(const char *what, const char *file, const char *why);

/* Allocation that cannot fail: on exhaustion provcc reports and exits,
 * as there is nothing sensible left to do. */
void *pv_xmalloc(size_t n);
void *pv_xcalloc(size_t n, size_t size);
void *pv_xrealloc(void *p, size_t n);
char *pv_xstrdup(const char *s);
char *pv_xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Lexically normalised absolute path of PATH seen from directory CWD:
 * "." and empty components dropped, ".." removes the previous one.
 * Symbolic links are not resolved. */
char *pv_path_normalize(const char *cwd, const char *path);

/* PATH relative to ROOT when it lies below ROOT (ROOT itself is "."),
 * otherwise PATH unchanged.  Both must be normalised.  Caller frees. */
char *pv_path_relative(const char *root, const char *path);

/* Replace ROOT by "${PROVCC_ROOT}" in S wherever it is a whole path
 * prefix: it starts the string or follows a delimiter (= , : ; blank
 * quote) or option letters with no '/' between, and it is followed by
 * '/', a delimiter or the end. */
char *pv_subst_root(const char *root, const char *s);

/* Read a whole file, NUL-terminated (the NUL is not counted in *LEN).
 * Returns 0, or -1 with errno set.  pv_read_fd reads from offset 0 with
 * pread, whatever the descriptor's position. */
int pv_read_file(const char *path, unsigned char **buf, size_t *len);
int pv_read_fd(int fd, unsigned char **buf, size_t *len);

/* Write LEN bytes to PATH through a temporary file beside it and a
 * rename, so that readers see the old file or the new one, never part. */
int pv_write_file_atomic(const char *path, const void *buf, size_t len,
    unsigned mode);

/* The directory of the running provcc executable (resolved). */
const char *pv_self_dir(void);
const char *pv_self_exe(void);

/* realpath(3) into REAL (PATH_MAX bytes), remembering the last answer:
 * for paths resolved several times per process, such as the compiler.
 * Returns REAL, or NULL with errno. */
char *pv_realpath_memo(const char *path, char *real);

/* The last component of PATH (after its last slash). */
const char *pv_base_name(const char *path);

#endif
