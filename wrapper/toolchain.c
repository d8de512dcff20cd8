/* toolchain.c - compiler lookup and identity; see toolchain.h. */
#define _GNU_SOURCE
#include "toolchain.h"
#include "child.h"
#include "argv.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static int is_executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

static int is_self(const char *path)
{
	char real[PATH_MAX];
	const char *self = pv_self_exe();

	return self && realpath(path, real) && strcmp(real, self) == 0;
}

char *pv_find_program(const char *name)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		if (is_executable_file(name))
			return pv_xstrdup(name);
		errno = ENOENT;
		return NULL;
	}
	return pv_find_in(name, path ? path : "/usr/local/bin:/usr/bin:/bin");
}

char *pv_find_in(const char *name, const char *path)
{
	const char *p;

	for (p = path;; p++) {
		const char *end = strchrnul(p, ':');
		char *cand;

		cand = end == p ? pv_xasprintf("./%s", name) :
		    pv_xasprintf("%.*s/%s", (int)(end - p), p, name);
		if (is_executable_file(cand) && !is_self(cand))
			return cand;
		free(cand);
		if (*end == '\0')
			break;
		p = end;
	}
	errno = ENOENT;
	return NULL;
}

char *pv_command_path(const char *name)
{
	const char *dot;

	if (name[0] == '-' || name[0] == '@' || name[0] == '\0')
		return NULL;
	if (pv_lang_from_suffix(name))
		return NULL;
	dot = strrchr(name, '.');
	if (dot && (strcmp(dot, ".o") == 0 || strcmp(dot, ".a") == 0 ||
	    strcmp(dot, ".so") == 0))
		return NULL;
	return pv_find_program(name);
}

/* Cache entry name: the driver's inode and a checksum of everything
 * else that identifies the answer.  No SHA-256 here: a warm compile
 * should not have to start the crypto library at all. */
static char *toolid_cache_path(const char *driver, const char *target)
{
	const char *dir = pv_cache_dir();
	struct stat st;
	char *key, *path;
	uLong crc;

	if (!dir || stat(driver, &st) < 0)
		return NULL;
	key = pv_xasprintf("%s\n%s\n%lld %lld.%ld %lld.%ld", driver,
	    target ? target : "", (long long)st.st_size,
	    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
	    (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	crc = crc32(0L, (const Bytef *)key, (uInt)strlen(key));
	path = pv_xasprintf("%s/tool-%llx-%llx-%08lx", dir,
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, crc);
	free(key);
	return path;
}

static int toolid_load(const char *cache, struct pv_toolid *id)
{
	unsigned char *buf;
	size_t len;
	char *text, *nl;

	if (!cache || pv_read_file(cache, &buf, &len) < 0)
		return -1;
	text = (char *)buf;
	if (len == 0 || text[len - 1] != '\n' || memchr(text, '\0', len)) {
		free(buf);
		return -1;
	}
	text[len - 1] = '\0';
	nl = strchr(text, '\n');
	if (!nl) {
		free(buf);
		return -1;
	}
	*nl = '\0';
	id->version = pv_xstrdup(text);
	id->target = pv_xstrdup(nl + 1);
	free(buf);
	return 0;
}

static char *ask_driver(const char *driver, const char *target,
    const char *question)
{
	char *targ = target ? pv_xasprintf("--target=%s", target) : NULL;
	char *argv[4];
	char *line;
	int n = 0;

	argv[n++] = (char *)driver;
	if (targ)
		argv[n++] = targ;
	argv[n++] = (char *)question;
	argv[n] = NULL;
	line = pv_capture_line(driver, argv);
	free(targ);
	return line ? line : pv_xstrdup("");
}

void pv_toolid_get(const char *driver, const char *target,
    struct pv_toolid *id)
{
	char *cache = toolid_cache_path(driver, target);
	char *text;

	if (toolid_load(cache, id) == 0) {
		free(cache);
		return;
	}
	id->version = ask_driver(driver, NULL, "--version");
	id->target = ask_driver(driver, target, "-dumpmachine");
	if (cache && id->version[0] && id->target[0]) {
		text = pv_xasprintf("%s\n%s\n", id->version, id->target);
		(void)pv_write_file_atomic(cache, text, strlen(text), 0600);
		free(text);
	}
	free(cache);
}

void pv_toolid_free(struct pv_toolid *id)
{
	free(id->version);
	free(id->target);
	id->version = id->target = NULL;
}
