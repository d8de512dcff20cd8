/* test_hash.c - the file-hash cache: hits only for unchanged files,
 * the right digest whatever state the cache file is in, a bounded file,
 * and safe with several processes at once.
 */
#define _GNU_SOURCE
#include "../../lib/hash.h"
#include "../../lib/util.h"
#include "check.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NFILES 300
#define CACHE_MAX (1 << 20)
#define REC_BYTES 88

static char dir[] = "/tmp/provcc-test-hash.XXXXXX";

static char *file_name(int i)
{
	return pv_xasprintf("%s/f%d.h", dir, i);
}

static void write_file(int i, const char *content)
{
	char *path = file_name(i);
	FILE *f = fopen(path, "w");

	if (!f || fputs(content, f) < 0 || fclose(f)) {
		perror(path);
		exit(1);
	}
	free(path);
}

static char *content_of(int i, int version)
{
	return pv_xasprintf("#define F%d %d /* version %d */\n", i, i, version);
}

/* Hash every file through the cache; returns how many digests were
 * wrong.  VERSION names the content file 7 has (it is changed below). */
static int hash_all(int version7)
{
	unsigned char got[PV_SHA256_LEN], want[PV_SHA256_LEN];
	int i, wrong = 0;

	for (i = 0; i < NFILES; i++) {
		char *path = file_name(i);
		char *content = content_of(i, i == 7 ? version7 : 0);

		pv_sha256_buf(content, strlen(content), want);
		if (pv_sha256_file(path, got) < 0 ||
		    memcmp(got, want, sizeof(got)) != 0)
			wrong++;
		free(content);
		free(path);
	}
	return wrong;
}

static struct pv_hashcache_stats run_pass(int version7, int *wrong)
{
	struct pv_hashcache_stats st;
	char *cache_dir = pv_xasprintf("%s/cache", dir);

	pv_hashcache_open(cache_dir);
	*wrong = hash_all(version7);
	pv_hashcache_get_stats(&st);
	pv_hashcache_close();
	free(cache_dir);
	return st;
}

static long cache_size(void)
{
	char *path = pv_xasprintf("%s/cache/hashes-v1", dir);
	struct stat st;
	long size = stat(path, &st) == 0 ? (long)st.st_size : -1;

	free(path);
	return size;
}

/* Replace the cache's content by LEN bytes of BYTE, in place. */
static void overwrite_cache(unsigned char byte, size_t len)
{
	char *path = pv_xasprintf("%s/cache/hashes-v1", dir);
	unsigned char *buf = pv_xmalloc(len);
	int fd = open(path, O_WRONLY | O_TRUNC);

	memset(buf, byte, len);
	CHECK(fd >= 0 && write(fd, buf, len) == (ssize_t)len);
	if (fd >= 0)
		close(fd);
	free(buf);
	free(path);
}

/* Files changed in the last two seconds are never cached. */
static void let_files_age(void)
{
	sleep(3);
}

static void test_cold_then_warm(void)
{
	struct pv_hashcache_stats st, before;
	int wrong;

	st = run_pass(0, &wrong);
	CHECK_INT(wrong, 0);
	CHECK_INT(st.misses, NFILES);
	CHECK_INT(st.stored, NFILES);
	CHECK_INT(cache_size(), NFILES * REC_BYTES);

	before = st;
	st = run_pass(0, &wrong);
	CHECK_INT(wrong, 0);
	CHECK_INT(st.hits - before.hits, NFILES);
	CHECK_INT(st.misses - before.misses, 0);
	CHECK_INT(st.stored - before.stored, 0);
}

/* Same size, mtime put back: only the ctime tells, and it must. */
static void test_changed_behind_cache(void)
{
	struct pv_hashcache_stats st, before;
	struct timespec times[2];
	struct stat old;
	char *path = file_name(7), *content = content_of(7, 1);
	int wrong;

	CHECK(stat(path, &old) == 0);
	write_file(7, content);
	times[0] = old.st_atim;
	times[1] = old.st_mtim;
	CHECK(utimensat(AT_FDCWD, path, times, 0) == 0);
	pv_hashcache_get_stats(&before);
	st = run_pass(1, &wrong);
	CHECK_INT(wrong, 0);
	CHECK_INT(st.misses - before.misses, 1);
	/* Changed just now: hashed, not stored. */
	CHECK_INT(st.stored - before.stored, 0);
	free(content);
	free(path);
}

static void test_damaged_cache(void)
{
	struct pv_hashcache_stats st, before;
	int wrong;

	overwrite_cache(0xff, NFILES * REC_BYTES);
	pv_hashcache_get_stats(&before);
	st = run_pass(1, &wrong);
	CHECK_INT(wrong, 0);
	CHECK_INT(st.hits - before.hits, 0);

	/* Zeroes: no record is valid. */
	overwrite_cache(0, NFILES * REC_BYTES);
	pv_hashcache_get_stats(&before);
	st = run_pass(1, &wrong);
	CHECK_INT(wrong, 0);
	CHECK_INT(st.hits - before.hits, 0);
	CHECK(st.stored - before.stored >= NFILES - 1);

	/* Cut in the middle of a record, as by a crash: the records after
	 * the cut are misaligned and never match; the digests stay right. */
	{
		char *path = pv_xasprintf("%s/cache/hashes-v1", dir);

		CHECK(truncate(path, 1000) == 0);
		free(path);
	}
	st = run_pass(1, &wrong);
	CHECK_INT(wrong, 0);
}

/* Past its limit the cache starts afresh, so that every process's
 * index stays small. */
static void test_bounded(void)
{
	struct pv_hashcache_stats st, before;
	int wrong;

	overwrite_cache(0x5a, CACHE_MAX + REC_BYTES);
	pv_hashcache_get_stats(&before);
	st = run_pass(1, &wrong);
	CHECK_INT(wrong, 0);
	CHECK(st.stored - before.stored >= NFILES - 1);
	CHECK_INT(cache_size(), (long)(st.stored - before.stored) * REC_BYTES);
	st = run_pass(1, &wrong);
	CHECK_INT(wrong, 0);
}

/* Several processes storing into and reading the cache at once. */
static void test_concurrent(void)
{
	pid_t pids[6];
	int i, status, failed = 0;

	overwrite_cache(0, REC_BYTES);
	for (i = 0; i < 6; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int wrong, pass;

			for (pass = 0; pass < 3; pass++) {
				run_pass(1, &wrong);
				if (wrong)
					_exit(1);
			}
			_exit(0);
		}
	}
	for (i = 0; i < 6; i++)
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			failed++;
	CHECK_INT(failed, 0);
	CHECK(cache_size() > 0 && cache_size() <= CACHE_MAX + 6 * 3 * NFILES *
	    REC_BYTES);
}

static void test_no_cache(void)
{
	unsigned char got[PV_SHA256_LEN], want[PV_SHA256_LEN];
	char *path = file_name(3), *content = content_of(3, 0);

	pv_hashcache_open(NULL);
	pv_sha256_buf(content, strlen(content), want);
	CHECK(pv_sha256_file(path, got) == 0 &&
	    memcmp(got, want, sizeof(got)) == 0);
	CHECK(pv_sha256_file(dir, got) < 0);	/* a directory */
	free(content);
	free(path);
}

static void remove_tree(void)
{
	char *cmd = pv_xasprintf("rm -rf '%s'", dir);

	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
}

int main(void)
{
	int i;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	for (i = 0; i < NFILES; i++) {
		char *content = content_of(i, 0);

		write_file(i, content);
		free(content);
	}
	let_files_age();
	test_cold_then_warm();
	test_changed_behind_cache();
	test_damaged_cache();
	test_bounded();
	test_concurrent();
	test_no_cache();
	remove_tree();
	return check_finish();
}
