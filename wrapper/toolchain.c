/* toolchain.c - compiler lookup and identity; see toolchain.h. */
#define _GNU_SOURCE
#include "toolchain.h"
#include "child.h"
#include "argv.h"
#include "depfile.h"
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

int pv_is_self(const char *path)
{
	char real[PATH_MAX];
	const char *self = pv_self_exe();

	return self && pv_realpath_memo(path, real) &&
	    strcmp(real, self) == 0;
}

/* Launchers run the compiler named after them ("ccache gcc") or,
 * through a link named like the compiler, the next one in PATH. */
static const char *const launchers[] = {
	"ccache", "sccache", "distcc", "icecc", NULL,
};

static int is_launcher_name(const char *name)
{
	const char *base = strrchr(name, '/');
	const char *const *l;

	for (l = launchers; *l; l++)
		if (strcmp(*l, base ? base + 1 : name) == 0)
			return 1;
	return 0;
}

int pv_is_launcher(const char *path)
{
	char real[PATH_MAX];

	return pv_realpath_memo(path, real) && is_launcher_name(real);
}

static char *find_in(const char *name, const char *path, int no_launcher)
{
	const char *p;

	for (p = path;; p++) {
		const char *end = strchrnul(p, ':');
		char *cand;

		cand = end == p ? pv_xasprintf("./%s", name) :
		    pv_xasprintf("%.*s/%s", (int)(end - p), p, name);
		if (is_executable_file(cand) && !pv_is_self(cand) &&
		    !(no_launcher && pv_is_launcher(cand)))
			return cand;
		free(cand);
		if (*end == '\0')
			break;
		p = end;
	}
	errno = ENOENT;
	return NULL;
}

static char *find_program(const char *name, int no_launcher)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		if (is_executable_file(name) &&
		    !(no_launcher && pv_is_launcher(name)))
			return pv_xstrdup(name);
		errno = ENOENT;
		return NULL;
	}
	return find_in(name, path ? path : "/usr/local/bin:/usr/bin:/bin",
	    no_launcher);
}

char *pv_find_in(const char *name, const char *path)
{
	return find_in(name, path, 0);
}

char *pv_find_program(const char *name)
{
	return find_program(name, 0);
}

char *pv_find_compiler(const char *name)
{
	return find_program(name, 1);
}

static int looks_like_command(const char *name)
{
	const char *dot;

	if (name[0] == '-' || name[0] == '@' || name[0] == '\0')
		return 0;
	if (pv_lang_from_suffix(name))
		return 0;
	dot = strrchr(name, '.');
	return !(dot && (strcmp(dot, ".o") == 0 || strcmp(dot, ".a") == 0 ||
	    strcmp(dot, ".so") == 0));
}

char *pv_command_path(const char *name)
{
	return looks_like_command(name) ? pv_find_program(name) : NULL;
}

void pv_tool_resolve(const char *name, char *path, const char *next,
    struct pv_tool *t)
{
	char *cc = NULL;

	memset(t, 0, sizeof(*t));
	t->run = t->compiler = path;
	if (!pv_is_launcher(path))
		return;
	if (is_launcher_name(name))	/* provcc ccache gcc ... */
		cc = next && looks_like_command(next) ?
		    find_program(next, 1) : NULL;
	else				/* /usr/lib/ccache/gcc */
		cc = find_program(name, 1);
	if (!cc)
		return;		/* no compiler behind it: run it as one */
	t->compiler = cc;
	t->launcher = 1;
	t->skip = is_launcher_name(name);
}

/* The first word of a `-###` command line, unquoted (gcc quotes a word
 * only when needed and escapes '"' and '\\' in it; clang quotes all). */
static char *first_word(const char *line)
{
	char *w = pv_xcalloc(strlen(line) + 1, 1), *o = w;

	while (*line == ' ')
		line++;
	if (*line != '"') {
		memcpy(w, line, strcspn(line, " "));
		return w;
	}
	for (line++; *line && *line != '"'; line++) {
		if (*line == '\\' && line[1])
			line++;
		*o++ = *line;
	}
	return w;
}

/* Where a program the driver names runs from: a bare name is looked up
 * in PATH, as the driver's exec does. */
static char *program_real_path(const char *word)
{
	char *found = strchr(word, '/') ? pv_xstrdup(word) :
	    pv_find_program(word);
	char *real = found ? realpath(found, NULL) : NULL;

	free(found);
	return real;
}

int pv_driver_programs(const char *driver, char *const argv[],
    struct pv_pathlist *out)
{
	char real_driver[PATH_MAX], *text, *line, *save = NULL;
	size_t i, n = 0;
	char **v;

	if (!realpath(driver, real_driver))
		return -1;
	while (argv[n])
		n++;
	v = pv_xcalloc(n + 2, sizeof(char *));
	memcpy(v, argv, n * sizeof(char *));
	v[n] = "-###";
	text = pv_capture_stderr(driver, v);
	free(v);
	if (!text) {
		errno = EINVAL;
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		char *word, *real;

		if (line[0] != ' ' || strcmp(line, " (in-process)") == 0)
			continue;
		word = first_word(line);
		real = program_real_path(word);
		free(word);
		if (!real) {
			free(text);
			errno = ENOENT;
			return -1;
		}
		for (i = 0; i < out->n; i++)
			if (strcmp(out->v[i], real) == 0)
				break;
		if (i == out->n && strcmp(real, real_driver) != 0)
			pv_pathlist_add(out, real);
		free(real);
	}
	free(text);
	return 0;
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
	/* A linker has a version but no -dumpmachine: its empty target is
	 * an answer too, and not caching it cost every link two runs of
	 * the linker. */
	if (cache && id->version[0]) {
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
