/* util.c - error reporting, memory and path helpers; see util.h. */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROOT_TOKEN "${PROVCC_ROOT}"

static void report(const char *level, const char *what, const char *file,
    const char *why)
{
	if (file)
		fprintf(stderr, "provcc: %s: %s (%s): %s\n", level, what, file,
		    why);
	else
		fprintf(stderr, "provcc: %s: %s: %s\n", level, what, why);
}

void pv_error(const char *what, const char *file, const char *why)
{
	report("error", what, file, why);
}

void pv_warning(const char *what, const char *file, const char *why)
{
	report("warning", what, file, why);
}

static void out_of_memory(void)
{
	pv_error("cannot allocate memory", NULL, strerror(ENOMEM));
	exit(PV_EXIT_PROVENANCE);
}

void *pv_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *pv_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *pv_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *pv_xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		out_of_memory();
	return d;
}

char *pv_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	return s;
}

/* Append component C (length N) to the normalised path in OUT. */
static void push_component(char *out, size_t *len, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--;
		return;
	}
	out[(*len)++] = '/';
	memcpy(out + *len, c, n);
	*len += n;
}

static void push_path(char *out, size_t *len, const char *p)
{
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		push_component(out, len, p, n);
		p += n;
		if (*p == '/')
			p++;
	}
}

char *pv_path_normalize(const char *cwd, const char *path)
{
	char *out = pv_xmalloc(strlen(cwd) + strlen(path) + 3);
	size_t len = 0;

	if (path[0] != '/')
		push_path(out, &len, cwd);
	push_path(out, &len, path);
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

char *pv_path_relative(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (!root[0])
		return pv_xstrdup(path);
	if (strcmp(root, "/") == 0)
		return pv_xstrdup(path[1] ? path + 1 : ".");
	if (strncmp(path, root, n) != 0)
		return pv_xstrdup(path);
	if (path[n] == '\0')
		return pv_xstrdup(".");
	if (path[n] != '/')
		return pv_xstrdup(path);
	return pv_xstrdup(path + n + 1);
}

/* Characters that separate a path from what surrounds it in an option:
 * "-ffile-prefix-map=ROOT=.", "-Wl,-rpath,ROOT/lib", "PATH=A:ROOT". */
static int is_delimiter(char ch)
{
	return ch == '\0' || ch == '=' || ch == ',' || ch == ':' ||
	    ch == ';' || ch == ' ' || ch == '"' || ch == '\'';
}

/* Whether S[i] starts a path: a path inside a longer one ("/x" + ROOT)
 * has a '/' between it and the previous delimiter. */
static int starts_path(const char *s, size_t i)
{
	while (i > 0 && !is_delimiter(s[i - 1])) {
		if (s[i - 1] == '/')
			return 0;
		i--;
	}
	return 1;
}

char *pv_subst_root(const char *root, const char *s)
{
	size_t rlen = strlen(root), tlen = strlen(ROOT_TOKEN), len = 0, i;
	char *out;

	if (rlen < 2)		/* no root, or "/": nothing to replace */
		return pv_xstrdup(s);
	out = pv_xmalloc(strlen(s) / rlen * tlen + strlen(s) + 1);
	for (i = 0; s[i];) {
		if (strncmp(s + i, root, rlen) == 0 &&
		    (s[i + rlen] == '/' || is_delimiter(s[i + rlen])) &&
		    starts_path(s, i)) {
			memcpy(out + len, ROOT_TOKEN, tlen);
			len += tlen;
			i += rlen;
		} else
			out[len++] = s[i++];
	}
	out[len] = '\0';
	return out;
}

int pv_read_fd(int fd, unsigned char **buf, size_t *len)
{
	struct stat st;
	unsigned char *b;
	size_t have = 0, cap;
	ssize_t n;
	int saved;

	cap = (fstat(fd, &st) == 0 && st.st_size > 0) ?
	    (size_t)st.st_size + 1 : 4096;
	b = pv_xmalloc(cap);
	while ((n = pread(fd, b + have, cap - have, (off_t)have)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			free(b);
			errno = saved;
			return -1;
		}
		have += (size_t)n;
		if (have == cap) {
			cap *= 2;
			b = pv_xrealloc(b, cap);
		}
	}
	b[have] = '\0';
	*buf = b;
	*len = have;
	return 0;
}

int pv_read_file(const char *path, unsigned char **buf, size_t *len)
{
	int fd, rc, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = pv_read_fd(fd, buf, len);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int pv_write_file_atomic(const char *path, const void *buf, size_t len,
    unsigned mode)
{
	char *tmp = pv_xasprintf("%s.provcc-XXXXXX", path);
	int fd, saved;

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		goto fail;
	if (write_all(fd, buf, len) < 0 || fchmod(fd, mode) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	saved = errno;
	free(tmp);
	errno = saved;
	return -1;
}

char *pv_realpath_memo(const char *path, char *real)
{
	/* The compiler's path is resolved to decide whether it is provcc
	 * itself, whether it is a launcher, and for the record, and the
	 * trace names it once more as the first program: four walks of
	 * the same symbolic links (five readlinks for gcc).  Remember the
	 * last answer. */
	static char last_path[PATH_MAX], last_real[PATH_MAX];

	if (last_path[0] && strcmp(path, last_path) == 0) {
		memcpy(real, last_real, strlen(last_real) + 1);
		return real;
	}
	if (!realpath(path, real))
		return NULL;
	if (strlen(path) < sizeof(last_path)) {
		memcpy(last_path, path, strlen(path) + 1);
		memcpy(last_real, real, strlen(real) + 1);
	}
	return real;
}

const char *pv_self_exe(void)
{
	static char exe[PATH_MAX];

	if (!exe[0]) {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (n <= 0)
			return NULL;
		exe[n] = '\0';
	}
	return exe;
}

const char *pv_self_dir(void)
{
	static char dir[PATH_MAX];
	const char *exe;
	char *slash;

	if (!dir[0]) {
		exe = pv_self_exe();
		if (!exe)
			return NULL;
		snprintf(dir, sizeof(dir), "%s", exe);
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
	}
	return dir;
}

const char *pv_base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}
