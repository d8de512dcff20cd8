/* trace_shim.c - LD_PRELOAD library loaded into the compiler processes
 * that provcc runs.  It tells provcc which programs really ran and, when
 * asked, which files they opened, by appending lines to the descriptor
 * PROVCC_TRACE_FD (an O_APPEND memory file provcc created):
 *
 *   X <absolute path of the file the process executed>
 *   R <path opened for reading>        (with PROVCC_TRACE_OPENS=1)
 *   W <path opened for writing>        (likewise)
 *
 * PROVCC_TRACE_OPENS=pch reports only reads of precompiled headers
 * (*.gch, *.pch), which gcc leaves out of its dependency files.
 *
 * Paths of opens are as the program passed them; relative ones are
 * relative to the working directory of the process.  It must never change
 * what the program does: every call goes to the real function, errno is
 * preserved, and a failing trace write is ignored.  It is built without
 * sanitizers, since it runs inside programs that are not.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

enum { OPENS_NONE, OPENS_ALL, OPENS_PCH };

static int trace_fd = -1;
static int trace_opens = OPENS_NONE;

static void emit(char tag, const char *path)
{
	char line[PATH_MAX + 4];
	size_t n = strlen(path);
	ssize_t w;

	if (trace_fd < 0 || n + 3 > sizeof(line) || strchr(path, '\n'))
		return;
	line[0] = tag;
	line[1] = ' ';
	memcpy(line + 2, path, n);
	line[n + 2] = '\n';
	/* One write per line with O_APPEND: lines from concurrent
	 * processes never interleave. */
	w = write(trace_fd, line, n + 3);
	(void)w;
}

/* The file this process executed, as the kernel was given it
 * (AT_EXECFN), made absolute against the working directory, which is
 * still the one of the exec.  provcc resolves its symbolic links
 * afterwards: cheaper than /proc/self/exe, whose first lookup in a new
 * process costs about 20 us.  A script is named as the script, not its
 * interpreter.  /proc/self/exe remains for paths through /proc or
 * /dev/fd (fexecve). */
static void emit_program(void)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	char exe[PATH_MAX];
	size_t len;
	ssize_t n;

	if (execfn && execfn[0] == '/' && strncmp(execfn, "/proc/", 6) != 0 &&
	    strncmp(execfn, "/dev/fd/", 8) != 0) {
		emit('X', execfn);
		return;
	}
	if (execfn && execfn[0] && execfn[0] != '/' &&
	    getcwd(exe, sizeof(exe))) {
		len = strlen(exe);
		if ((size_t)snprintf(exe + len, sizeof(exe) - len, "/%s",
		    execfn) < sizeof(exe) - len) {
			emit('X', exe);
			return;
		}
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		emit('X', exe);
	}
}

__attribute__((constructor)) static void shim_init(void)
{
	const char *fd = getenv("PROVCC_TRACE_FD");
	const char *opens = getenv("PROVCC_TRACE_OPENS");
	int saved = errno;

	if (!fd || !*fd)
		return;
	trace_fd = atoi(fd);
	if (trace_fd < 3 || fcntl(trace_fd, F_GETFD) < 0) {
		trace_fd = -1;
		errno = saved;
		return;
	}
	if (opens && strcmp(opens, "1") == 0)
		trace_opens = OPENS_ALL;
	else if (opens && strcmp(opens, "pch") == 0)
		trace_opens = OPENS_PCH;
	emit_program();
	errno = saved;
}

static int is_pch(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && (strcmp(path + n - 4, ".gch") == 0 ||
	    strcmp(path + n - 4, ".pch") == 0);
}

static void note_open(const char *path, int flags, int ok)
{
	int saved = errno;

	if (ok && path && (trace_opens == OPENS_ALL ||
	    (trace_opens == OPENS_PCH && is_pch(path))))
		emit((flags & O_ACCMODE) == O_RDONLY ? 'R' : 'W', path);
	errno = saved;
}

/* openat with a real directory descriptor: resolve through /proc. */
static void note_openat(int dirfd, const char *path, int flags, int ok)
{
	char link[64], dir[PATH_MAX], full[PATH_MAX];
	ssize_t n;
	int saved = errno;

	if (!ok || !trace_opens || !path)
		return;
	if (dirfd == AT_FDCWD || path[0] == '/') {
		note_open(path, flags, ok);
		return;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
	n = readlink(link, dir, sizeof(dir) - 1);
	if (n > 0) {
		dir[n] = '\0';
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", dir, path) <
		    sizeof(full))
			note_open(full, flags, ok);
	}
	errno = saved;
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

#define REAL(name) \
	static __typeof__(name) *real_##name; \
	if (!real_##name) \
		real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

/* open(), openat() and their 64-bit twins: the mode argument exists
 * only with O_CREAT or O_TMPFILE. */
#define WRAP_OPEN(name) \
int name(const char *path, int flags, ...) \
{ \
	va_list ap; \
	mode_t mode; \
	int fd; \
	REAL(name); \
	va_start(ap, flags); \
	mode = mode_arg(flags, ap); \
	va_end(ap); \
	fd = real_##name(path, flags, mode); \
	note_open(path, flags, fd >= 0); \
	return fd; \
}

#define WRAP_OPENAT(name) \
int name(int dirfd, const char *path, int flags, ...) \
{ \
	va_list ap; \
	mode_t mode; \
	int fd; \
	REAL(name); \
	va_start(ap, flags); \
	mode = mode_arg(flags, ap); \
	va_end(ap); \
	fd = real_##name(dirfd, path, flags, mode); \
	note_openat(dirfd, path, flags, fd >= 0); \
	return fd; \
}

/* The _FORTIFY_SOURCE entry points that programs call instead. */
#define WRAP_OPEN_2(name) \
int name(const char *path, int flags); \
int name(const char *path, int flags) \
{ \
	int fd; \
	REAL(name); \
	fd = real_##name(path, flags); \
	note_open(path, flags, fd >= 0); \
	return fd; \
}

#define WRAP_OPENAT_2(name) \
int name(int dirfd, const char *path, int flags); \
int name(int dirfd, const char *path, int flags) \
{ \
	int fd; \
	REAL(name); \
	fd = real_##name(dirfd, path, flags); \
	note_openat(dirfd, path, flags, fd >= 0); \
	return fd; \
}

WRAP_OPEN(open)
WRAP_OPEN(open64)
WRAP_OPENAT(openat)
WRAP_OPENAT(openat64)
WRAP_OPEN_2(__open_2)
WRAP_OPEN_2(__open64_2)
WRAP_OPENAT_2(__openat_2)
WRAP_OPENAT_2(__openat64_2)

static int fopen_flags(const char *mode)
{
	return (mode && mode[0] == 'r' && !strchr(mode, '+')) ?
	    O_RDONLY : O_RDWR;
}

FILE *fopen(const char *path, const char *mode)
{
	FILE *f;
	REAL(fopen);

	f = real_fopen(path, mode);
	note_open(path, fopen_flags(mode), f != NULL);
	return f;
}

FILE *fopen64(const char *path, const char *mode)
{
	FILE *f;
	REAL(fopen64);

	f = real_fopen64(path, mode);
	note_open(path, fopen_flags(mode), f != NULL);
	return f;
}
