/* hash.c - SHA-256 of buffers and files, and the file-hash cache.
 *
 * The cache is one append-only file of fixed-size binary records, each
 * keyed by what changes whenever a file's content can have changed:
 * device, inode, size, mtime and ctime (nanoseconds).  A process maps
 * the file, indexes it by key, and appends what it hashed.
 * A file changed within the last two seconds is hashed but not cached,
 * since a second change in the same timestamp tick would go unnoticed.
 */
#define _GNU_SOURCE
/* SHA256_Init and friends are deprecated in OpenSSL 3 in favour of EVP,
 * but EVP's first digest fetch builds OpenSSL's name map of every
 * algorithm: about 3.5 M instructions, 90% of what provcc does in a
 * compile, once per process, that is once per compile.  The low-level
 * functions use no provider and are the same implementation. */
#define OPENSSL_API_COMPAT 0x10101000L
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <zlib.h>

#define CACHE_FILE "hashes-v1"
/* Every process indexes the whole file: about 40 us at 256 KiB, 175 us
 * at 1 MiB and 1.1 ms at 4 MiB on the development VM (bench/README.md).
 * 1 MiB holds about 11,900 records; past it the cache starts afresh. */
#define CACHE_MAX_BYTES (1u << 20)
#define RACY_SECONDS 2

struct cache_rec {
	uint64_t dev, ino, size;
	int64_t mtime_sec, ctime_sec;
	uint32_t mtime_nsec, ctime_nsec;
	unsigned char sha[PV_SHA256_LEN];
	uint32_t crc;		/* crc32 of all the bytes above */
	uint32_t pad;
};

/* The cache file, mapped, and an index of its records by key. */
static struct {
	int fd;			/* append descriptor, -1 without cache */
	const struct cache_rec *recs;	/* the mapped file */
	size_t nrecs, maplen;
	uint32_t *slots;	/* record number + 1, 0 = empty */
	size_t nslots;		/* power of two */
	struct cache_rec *added;	/* records this process appended */
	size_t nadded;
} cache = { -1, NULL, 0, 0, NULL, 0, NULL, 0 };

/* Counted over the whole process, across opens and closes. */
static struct pv_hashcache_stats stats;

const EVP_MD *pv_sha256_md(void)
{
	static EVP_MD *md;

	if (!md) {
		/* No configuration file: nothing in it may change SHA-256,
		 * and reading it costs every compile time. */
		OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG |
		    OPENSSL_INIT_NO_ATEXIT, NULL);
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	}
	return md;
}

int pv_sha256_buf(const void *buf, size_t len,
    unsigned char out[PV_SHA256_LEN])
{
	SHA256_CTX ctx;

	if (!SHA256_Init(&ctx) || !SHA256_Update(&ctx, buf, len) ||
	    !SHA256_Final(out, &ctx))
		return -1;
	return 0;
}

void pv_hex(const unsigned char *bin, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[bin[i] >> 4];
		out[2 * i + 1] = digits[bin[i] & 15];
	}
	out[2 * len] = '\0';
}

static int hash_fd(int fd, unsigned char out[PV_SHA256_LEN])
{
	unsigned char buf[65536];
	SHA256_CTX ctx;
	ssize_t got;

	if (!SHA256_Init(&ctx))
		goto fail;
	while ((got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!SHA256_Update(&ctx, buf, (size_t)got))
			goto fail;
	}
	if (SHA256_Final(out, &ctx))
		return 0;
fail:
	errno = EIO;
	return -1;
}

static void key_from_stat(struct cache_rec *r, const struct stat *st)
{
	memset(r, 0, sizeof(*r));
	r->dev = (uint64_t)st->st_dev;
	r->ino = (uint64_t)st->st_ino;
	r->size = (uint64_t)st->st_size;
	r->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	r->mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
	r->ctime_sec = (int64_t)st->st_ctim.tv_sec;
	r->ctime_nsec = (uint32_t)st->st_ctim.tv_nsec;
}

static int same_key(const struct cache_rec *a, const struct cache_rec *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec &&
	    a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec;
}

static uint32_t rec_crc(const struct cache_rec *r)
{
	return (uint32_t)crc32(0L, (const Bytef *)r,
	    (uInt)offsetof(struct cache_rec, crc));
}

static size_t slot_of(const struct cache_rec *r)
{
	uint64_t h = r->ino * 0x9e3779b97f4a7c15ull ^ r->dev ^
	    (r->size << 17) ^ (uint64_t)r->mtime_nsec;

	return (size_t)(h ^ (h >> 29)) & (cache.nslots - 1);
}

/* A record read from the file counts only if its checksum holds: a
 * torn or misaligned record never matches. */
static const struct cache_rec *table_find(const struct cache_rec *key)
{
	size_t i;

	for (i = 0; i < cache.nadded; i++)
		if (same_key(&cache.added[i], key))
			return &cache.added[i];
	if (!cache.nslots)
		return NULL;
	for (i = slot_of(key); cache.slots[i];
	    i = (i + 1) & (cache.nslots - 1)) {
		const struct cache_rec *r = &cache.recs[cache.slots[i] - 1];

		if (same_key(r, key) && r->crc == rec_crc(r))
			return r;
	}
	return NULL;
}

/* Index the mapped records; a later record for a key shadows an
 * earlier one, as the key changes whenever the file does. */
static void index_records(void)
{
	size_t i, s;

	cache.nslots = 1024;
	while (cache.nslots < 2 * cache.nrecs)
		cache.nslots *= 2;
	cache.slots = pv_xcalloc(cache.nslots, sizeof(*cache.slots));
	for (i = 0; i < cache.nrecs; i++) {
		for (s = slot_of(&cache.recs[i]); cache.slots[s];
		    s = (s + 1) & (cache.nslots - 1))
			if (same_key(&cache.recs[cache.slots[s] - 1],
			    &cache.recs[i]))
				break;
		cache.slots[s] = (uint32_t)(i + 1);
	}
}

static void make_dir(const char *dir)
{
	char *parent, *slash;

	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return;
	parent = pv_xstrdup(dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		(void)mkdir(parent, 0700);
	}
	free(parent);
	(void)mkdir(dir, 0700);
}

void pv_hashcache_open(const char *dir)
{
	struct stat st;
	char *path;
	void *map;

	if (!dir || cache.fd >= 0)
		return;
	path = pv_xasprintf("%s/%s", dir, CACHE_FILE);
	/* The directory is made the first time only: a mkdir that finds
	 * it there still takes the parent's lock, on every compile. */
	cache.fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (cache.fd < 0 && errno == ENOENT) {
		make_dir(dir);
		cache.fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC,
		    0600);
	}
	if (cache.fd >= 0 && fstat(cache.fd, &st) == 0 &&
	    (size_t)st.st_size > CACHE_MAX_BYTES) {
		/* Start afresh by replacing the file, never by truncating
		 * it: others may have it mapped.  Their appends go to the
		 * old file and are lost, which costs only a re-hash. */
		close(cache.fd);
		(void)pv_write_file_atomic(path, "", 0, 0600);
		cache.fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	}
	free(path);
	if (cache.fd < 0 || fstat(cache.fd, &st) < 0 || st.st_size == 0)
		return;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, cache.fd,
	    0);
	if (map == MAP_FAILED)
		return;
	cache.recs = map;
	cache.maplen = (size_t)st.st_size;
	cache.nrecs = cache.maplen / sizeof(struct cache_rec);
	index_records();
}

void pv_hashcache_close(void)
{
	if (cache.recs)
		munmap((void *)cache.recs, cache.maplen);
	if (cache.fd >= 0)
		close(cache.fd);
	free(cache.slots);
	free(cache.added);
	memset(&cache, 0, sizeof(cache));
	cache.fd = -1;
}

void pv_hashcache_get_stats(struct pv_hashcache_stats *out)
{
	*out = stats;
}

static int is_racy(const struct stat *st)
{
	time_t now = time(NULL);

	return st->st_mtim.tv_sec >= now - RACY_SECONDS ||
	    st->st_ctim.tv_sec >= now - RACY_SECONDS;
}

static void cache_add(const struct cache_rec *r)
{
	ssize_t n;

	cache.added = pv_xrealloc(cache.added,
	    (cache.nadded + 1) * sizeof(*cache.added));
	cache.added[cache.nadded++] = *r;
	n = write(cache.fd, r, sizeof(*r));
	/* A lost record only costs a re-hash. */
	if (n == (ssize_t)sizeof(*r))
		stats.stored++;
}

int pv_sha256_file(const char *path, unsigned char out[PV_SHA256_LEN])
{
	const struct cache_rec *hit;
	struct cache_rec key;
	struct stat st;
	int fd, saved;

	/* A hit costs one stat and no open. */
	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	key_from_stat(&key, &st);
	hit = table_find(&key);
	if (hit) {
		memcpy(out, hit->sha, PV_SHA256_LEN);
		stats.hits++;
		return 0;
	}
	stats.misses++;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || hash_fd(fd, out) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	key_from_stat(&key, &st);
	if (cache.fd >= 0 && !is_racy(&st)) {
		memcpy(key.sha, out, PV_SHA256_LEN);
		key.crc = rec_crc(&key);
		cache_add(&key);
	}
	return 0;
}

const char *pv_cache_dir(void)
{
	static char *dir;
	const char *env;

	if (dir)
		return dir;
	env = getenv("PROVCC_CACHE_DIR");
	if (env && *env)
		dir = strcmp(env, "off") == 0 ? NULL : pv_xstrdup(env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env == '/')
		dir = pv_xasprintf("%s/provcc", env);
	else if ((env = getenv("HOME")) && *env == '/')
		dir = pv_xasprintf("%s/.cache/provcc", env);
	return dir;
}

int pv_sha256_file_hex(const char *path, char hex[PV_SHA256_HEX])
{
	unsigned char sha[PV_SHA256_LEN];

	if (pv_sha256_file(path, sha) < 0)
		return -1;
	pv_hex(sha, sizeof(sha), hex);
	hex[PV_SHA256_HEX - 1] = '\0';
	return 0;
}

void pv_sha256_buf_hex(const void *buf, size_t len, char hex[PV_SHA256_HEX])
{
	unsigned char sha[PV_SHA256_LEN];

	pv_sha256_buf(buf, len, sha);
	pv_hex(sha, sizeof(sha), hex);
	hex[PV_SHA256_HEX - 1] = '\0';
}
