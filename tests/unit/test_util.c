/* test_util.c - path helpers, root substitution and file I/O of util.c. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROOT "${PROVCC_ROOT}"

struct case3 {
	int line;
	const char *a, *b, *want;
};

#define C3(a, b, want) { __LINE__, a, b, want }

/* pv_path_normalize(cwd, path) */
static const struct case3 normalize[] = {
	C3("/a/b", "c", "/a/b/c"),
	C3("/a/b", "c.c", "/a/b/c.c"),
	C3("/a/b", "./c/./d", "/a/b/c/d"),
	C3("/a/b", "../c", "/a/c"),
	C3("/a/b", "..", "/a"),
	C3("/a/b", "../..", "/"),
	C3("/a/b", "../../../c", "/c"),
	C3("/a/b", "", "/a/b"),
	C3("/a/b", ".", "/a/b"),
	C3("/a/b", "./", "/a/b"),
	C3("/a/b", "/x/y", "/x/y"),
	C3("/a/b", "/x//y/", "/x/y"),
	C3("/a/b", "//x///y", "/x/y"),
	C3("/a/b", "/", "/"),
	C3("/a/b", "/..", "/"),
	C3("/a/b", "/x/../../y", "/y"),
	C3("/a/b/", "c/", "/a/b/c"),
	C3("/a/./b/../c", "d", "/a/c/d"),
	C3("//a", "b", "/a/b"),
	C3("/", ".", "/"),
	C3("/", "..", "/"),
	C3("/", "a", "/a"),
	C3("/", "", "/"),
	C3("/a", "x/../y/./z/..", "/a/y"),
	C3("/a", "b/../../..", "/"),
	/* only "." and ".." are special */
	C3("/a", "...", "/a/..."),
	C3("/a", "..foo/.bar/a..", "/a/..foo/.bar/a.."),
	C3("/home/me/my proj", "src/main file.c",
	    "/home/me/my proj/src/main file.c"),
	C3("/work/main/build", "../src/../include/./x.h",
	    "/work/main/include/x.h"),
	/* symbolic links are not resolved: "l/.." is just "." */
	C3("/tmp", "l/../x", "/tmp/x"),
};

/* pv_path_relative(root, path) */
static const struct case3 relative[] = {
	C3("/a/b", "/a/b/c", "c"),
	C3("/a/b", "/a/b/c/d.h", "c/d.h"),
	C3("/a/b", "/a/b", "."),
	C3("/a/b", "/a/bc", "/a/bc"),
	C3("/a/b", "/a/bc/d", "/a/bc/d"),
	C3("/a/b", "/a/b.c", "/a/b.c"),
	C3("/a/b", "/a", "/a"),
	C3("/a/b", "/", "/"),
	C3("/a/b", "/x/a/b/c", "/x/a/b/c"),
	C3("/a/b", "/usr/include/stdio.h", "/usr/include/stdio.h"),
	C3("/", "/x/y", "x/y"),
	C3("/", "/", "."),
	C3("", "/x", "/x"),
	C3("/work/main", "/work/main/build/CMakeFiles/t.dir/a.c.o",
	    "build/CMakeFiles/t.dir/a.c.o"),
	C3("/home/me/my proj", "/home/me/my proj/a b.h", "a b.h"),
};

/* pv_subst_root(root, s) */
static const struct case3 subst[] = {
	C3("/a/b", "/a/b", ROOT),
	C3("/a/b", "/a/b/c.c", ROOT "/c.c"),
	C3("/a/b", "/a/bc", "/a/bc"),
	C3("/a/b", "/a/bc/d", "/a/bc/d"),
	C3("/a/b", "/a/b.c", "/a/b.c"),
	C3("/a/b", "/a", "/a"),
	C3("/a/b", "", ""),
	C3("/a/b", "no root here", "no root here"),
	C3("/a/b", "-I/a/b/inc", "-I" ROOT "/inc"),
	C3("/a/b", "-I/a/b", "-I" ROOT),
	C3("/a/b", "-I/a/bc -I/a/b", "-I/a/bc -I" ROOT),
	C3("/a/b", "/a/b/x /a/b/y", ROOT "/x " ROOT "/y"),
	C3("/a/b", "/a/bc/x:/a/b/y:/a/b", "/a/bc/x:" ROOT "/y:" ROOT),
	C3("/a/b", "-Wl,-rpath,/a/b/lib", "-Wl,-rpath," ROOT "/lib"),
	C3("/a/b", "--sysroot=/a/b/sysroot", "--sysroot=" ROOT "/sysroot"),
	/* a delimiter may follow too: = , : ; blank quote */
	C3("/a/b", "-ffile-prefix-map=/a/b=.", "-ffile-prefix-map=" ROOT "=."),
	C3("/a/b", "/a/b:/a/b/x", ROOT ":" ROOT "/x"),
	C3("/a/b", "/a/b;x", ROOT ";x"),
	C3("/a/b", "/a/b-x", "/a/b-x"),
	/* only where a path starts */
	C3("/src", "/src/src/main.c", ROOT "/src/main.c"),
	C3("/a/b", "/a/b/a/b", ROOT "/a/b"),
	C3("/a/b", "/x/a/b/c", "/x/a/b/c"),
	C3("/work/main", "-I/tmp/work/main/inc", "-I/tmp/work/main/inc"),
	/* no root, or "/": nothing to replace */
	C3("", "/a/b", "/a/b"),
	C3("/", "/a/b", "/a/b"),
	/* a root longer than the token, hits and misses mixed */
	C3("/very/long/root/directory/of/the/project",
	    "/very/long/root/directory/of/the/projectX "
	    "/very/long/root/directory/of/the/project/y "
	    "/very/long/root/directory/of/the/project",
	    "/very/long/root/directory/of/the/projectX " ROOT "/y " ROOT),
	/* a short one, many times */
	C3("/r", "/r /r/ /rx /r/x=/r", ROOT " " ROOT "/ /rx " ROOT "/x=" ROOT),
	C3("/home/me/my proj", "-I/home/me/my proj/inc",
	    "-I" ROOT "/inc"),
};

typedef char *(*fn3)(const char *, const char *);

static void run3(const char *name, fn3 f, const struct case3 *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *got = f(c[i].a, c[i].b);

		check_total++;
		if (!check_streq(got, c[i].want))
			check_fail(__FILE__, c[i].line,
			    "%s(\"%s\", \"%s\"): got \"%s\", want \"%s\"",
			    name, c[i].a, c[i].b, check_q(got), c[i].want);
		free(got);
	}
}

#define RUN3(f, table) \
	run3(#f, f, table, sizeof(table) / sizeof(table[0]))

/* ---- files ------------------------------------------------------------- */

static char tmpdir[256];

static char *in_tmp(const char *name)
{
	return pv_xasprintf("%s/%s", tmpdir, name);
}

static int file_is(const char *path, const void *want, size_t wantlen)
{
	unsigned char *buf;
	size_t len;
	int ok;

	if (pv_read_file(path, &buf, &len) != 0)
		return 0;
	ok = len == wantlen && memcmp(buf, want, len) == 0;
	free(buf);
	return ok;
}

static unsigned mode_of(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return 0xffff;
	return (unsigned)st.st_mode & 07777;
}

/* Number of entries in the temporary directory (temporaries left
 * behind by a failed write would show up here). */
static int entries(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void test_write_atomic(void)
{
	char *path = in_tmp("out.o"), *link2 = in_tmp("hardlink.o");
	char *missing = in_tmp("no/such/dir/x.o"), *dir = in_tmp("adir");
	char *target = in_tmp("target"), *sym = in_tmp("symlink");
	static const unsigned char bin[] = { 0x7f, 'E', 'L', 'F', 0, 0, 1, 0,
		0xff, 0 };
	mode_t old;

	/* a new file with the given content and mode, whatever the umask */
	old = umask(077);
	CHECK_INT(pv_write_file_atomic(path, "hello\n", 6, 0644), 0);
	umask(old);
	CHECK(file_is(path, "hello\n", 6));
	CHECK_INT(mode_of(path), 0644);
	CHECK_INT(entries(), 1);

	/* replace it; a hard link to the old file keeps the old bytes,
	 * as the new file is a different inode */
	CHECK_INT(link(path, link2), 0);
	CHECK_INT(pv_write_file_atomic(path, bin, sizeof(bin), 0600), 0);
	CHECK(file_is(path, bin, sizeof(bin)));
	CHECK_INT(mode_of(path), 0600);
	CHECK(file_is(link2, "hello\n", 6));
	CHECK_INT(entries(), 2);

	/* empty */
	CHECK_INT(pv_write_file_atomic(path, "", 0, 0755), 0);
	CHECK(file_is(path, "", 0));
	CHECK_INT(mode_of(path), 0755);

	/* large */
	{
		size_t n = 3 * 1024 * 1024, i;
		unsigned char *big = malloc(n);

		for (i = 0; i < n; i++)
			big[i] = (unsigned char)(i * 7 + (i >> 12));
		CHECK_INT(pv_write_file_atomic(path, big, n, 0644), 0);
		CHECK(file_is(path, big, n));
		free(big);
	}

	/* a directory that does not exist: fails with ENOENT */
	errno = 0;
	CHECK_INT(pv_write_file_atomic(missing, "x", 1, 0644), -1);
	CHECK_INT(errno, ENOENT);

	/* the path is a directory: fails, and leaves no temporary */
	CHECK_INT(mkdir(dir, 0755), 0);
	errno = 0;
	CHECK_INT(pv_write_file_atomic(dir, "x", 1, 0644), -1);
	CHECK(errno != 0);
	CHECK_INT(entries(), 3);

	/* a symbolic link is replaced by the file, its target untouched */
	CHECK_INT(pv_write_file_atomic(target, "T", 1, 0644), 0);
	CHECK_INT(symlink("target", sym), 0);
	CHECK_INT(pv_write_file_atomic(sym, "S", 1, 0644), 0);
	CHECK(file_is(target, "T", 1));
	CHECK(file_is(sym, "S", 1));
	{
		struct stat st;

		CHECK(lstat(sym, &st) == 0 && S_ISREG(st.st_mode));
	}
	CHECK_INT(entries(), 5);

	unlink(path);
	unlink(link2);
	unlink(target);
	unlink(sym);
	rmdir(dir);
	free(path); free(link2); free(missing); free(dir); free(target);
	free(sym);
}

static void test_read_file(void)
{
	char *path = in_tmp("r.txt"), *missing = in_tmp("missing");
	unsigned char *buf = NULL;
	size_t len = 99;

	CHECK_INT(pv_write_file_atomic(path, "", 0, 0644), 0);
	if (CHECK_INT(pv_read_file(path, &buf, &len), 0)) {
		CHECK_INT(len, 0);
		free(buf);
	}
	CHECK_INT(pv_write_file_atomic(path, "abc\0def", 7, 0644), 0);
	if (CHECK_INT(pv_read_file(path, &buf, &len), 0)) {
		CHECK_MEM(buf, len, "abc\0def", 7);
		free(buf);
	}
	errno = 0;
	CHECK_INT(pv_read_file(missing, &buf, &len), -1);
	CHECK_INT(errno, ENOENT);
	/* st_size 0 but content: /proc files */
	if (CHECK_INT(pv_read_file("/proc/self/status", &buf, &len), 0)) {
		CHECK(len > 100 && memcmp(buf, "Name:", 5) == 0);
		free(buf);
	}
	/* a directory opens but cannot be read */
	errno = 0;
	CHECK_INT(pv_read_file(tmpdir, &buf, &len), -1);
	CHECK_INT(errno, EISDIR);
	unlink(path);
	free(path);
	free(missing);
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	RUN3(pv_path_normalize, normalize);
	RUN3(pv_path_relative, relative);
	RUN3(pv_subst_root, subst);

	snprintf(tmpdir, sizeof(tmpdir), "%s/provcc-util-XXXXXX",
	    t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	test_write_atomic();
	test_read_file();
	if (rmdir(tmpdir) != 0)
		printf("cannot remove %s: %s\n", tmpdir, strerror(errno));

	printf("%zu normalize, %zu relative, %zu subst cases, 2 file tests\n",
	    sizeof(normalize) / sizeof(normalize[0]),
	    sizeof(relative) / sizeof(relative[0]),
	    sizeof(subst) / sizeof(subst[0]));
	return check_finish();
}
