/* hash.h - SHA-256 of buffers and files (OpenSSL 3), with a
 * persistent cache so that a file read by many compiles is hashed once.
 */
#ifndef PROVCC_HASH_H
#define PROVCC_HASH_H

#include <stddef.h>
#include <openssl/evp.h>

#define PV_SHA256_LEN 32
#define PV_SHA256_HEX (2 * PV_SHA256_LEN + 1)

/* The SHA-256 implementation, fetched once, without reading OpenSSL's
 * configuration file (nothing in it may change SHA-256). */
const EVP_MD *pv_sha256_md(void);

int pv_sha256_buf(const void *buf, size_t len,
    unsigned char out[PV_SHA256_LEN]);

/* SHA-256 of a file's contents, looked up in or added to the cache
 * opened by pv_hashcache_open (if any).  Returns 0, or -1 with errno. */
int pv_sha256_file(const char *path, unsigned char out[PV_SHA256_LEN]);

void pv_hex(const unsigned char *bin, size_t len, char *out);

/* SHA-256 as 64 lowercase hex digits and a NUL: of a file (through the
 * cache; returns 0, or -1 with errno) and of a buffer. */
int pv_sha256_file_hex(const char *path, char hex[PV_SHA256_HEX]);
void pv_sha256_buf_hex(const void *buf, size_t len, char hex[PV_SHA256_HEX]);

/* Open the cache in DIR (created if missing).  Without a usable
 * directory every file is simply hashed; that is slower, not wrong.
 * Safe with many concurrent processes: records are appended whole and
 * carry their own checksum.  Past 1 MiB the file starts afresh. */
void pv_hashcache_open(const char *dir);
void pv_hashcache_close(void);

/* What the cache did in this process, for tests and benchmarks. */
struct pv_hashcache_stats {
	unsigned long hits;	/* lookups answered from the cache */
	unsigned long misses;	/* lookups that had to hash the file */
	unsigned long stored;	/* records written */
};
void pv_hashcache_get_stats(struct pv_hashcache_stats *stats);

/* The cache directory: $PROVCC_CACHE_DIR, else $XDG_CACHE_HOME/provcc,
 * else $HOME/.cache/provcc; NULL when none can be named, or "off". */
const char *pv_cache_dir(void);

#endif
