/* pkgdb.c - files to Debian packages from the dpkg database; pkgdb.h. */
#define _GNU_SOURCE
#include "pkgdb.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The kernel gives up after 40 links; so do we. */
#define MAX_LINK_HOPS 40

/* One path of the .list files: KEY is its offset in db->arena (0 marks
 * an empty slot).  The first package to record it is PKG, any others
 * are chained from MORE through db->owners (0 means none).  Offsets
 * rather than pointers keep an entry at 16 bytes: the table of a
 * desktop system is then 4 MiB, and its page faults are much of the
 * load time. */
struct entry {
	uint32_t key;
	uint32_t hash;
	uint32_t pkg;
	uint32_t more;
};

struct owner {
	uint32_t pkg;
	uint32_t next;
};

struct diversion {
	const char *from, *to, *by;	/* by is ":" for a local diversion */
};

struct pv_pkgdb {
	char *admindir;
	char *root;		/* "" for "/": prefixed to recorded paths */
	char *vendor;		/* purl namespace, os-release ID */
	char *distro;		/* purl distro qualifier, "" for none */
	unsigned usrmerged;	/* bit i: merged_dirs[i] is a link into /usr */

	struct pv_pkg *pkgs;
	size_t npkgs;

	char *arena;		/* every .list file, lines NUL-terminated */
	size_t arenalen, arenacap;
	struct entry *tab;	/* open addressing, size a power of two */
	size_t tabsize, nkeys;
	struct owner *owners;
	size_t nowners, owncap;

	struct diversion *divs;
	size_t ndivs;

	unsigned char **bufs;	/* file contents the pointers above use */
	size_t nbufs;
};

/* Directories that Debian 12's merged /usr turns into symbolic links. */
static const char *const merged_dirs[] = {
	"bin", "sbin", "lib", "lib32", "lib64", "libx32",
};
#define NMERGED (sizeof merged_dirs / sizeof merged_dirs[0])

static char why_buf[PATH_MAX + 256];

__attribute__((format(printf, 1, 2)))
static const char *why_fmt(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why_buf, sizeof why_buf, fmt, ap);
	va_end(ap);
	return why_buf;
}

/* ---- version strings ---- */

char *pv_deb_upstream_version(const char *version)
{
	const char *colon = strchr(version, ':');
	const char *dash;

	/* An epoch is digits before the first colon. */
	if (colon && colon > version &&
	    strspn(version, "0123456789") == (size_t)(colon - version))
		version = colon + 1;
	dash = strrchr(version, '-');
	if (!dash)
		return pv_xstrdup(version);	/* native package */
	return pv_xasprintf("%.*s", (int)(dash - version), version);
}

/* Repacked upstream tarballs ("1.2.13.dfsg", "2.1+ds1", "3.0~repack")
 * are still upstream's release for vulnerability matching. */
static char *strip_repack(const char *upstream)
{
	static const char *const marks[] = { "dfsg", "ds", "repack" };
	size_t i, n = strlen(upstream);

	for (i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		const char *p = upstream;

		while ((p = strstr(p, marks[i])) != NULL) {
			const char *after = p + strlen(marks[i]);

			if (p > upstream && strchr(".+~", p[-1]) &&
			    (*after == '\0' || *after == '.' ||
			    isdigit((unsigned char)*after)))
				n = (size_t)(p - 1 - upstream) < n ?
				    (size_t)(p - 1 - upstream) : n;
			p++;
		}
	}
	return pv_xasprintf("%.*s", (int)n, upstream);
}

/* ---- purl ---- */

/* The purl specification's percent-encoding: alphanumerics, ".-_~" and
 * the colon stay as they are, everything else becomes %XX. */
static int purl_plain(unsigned char c)
{
	return isalnum(c) || strchr(".-_~:", c) != NULL;
}

char *pv_purl_encode(const char *s, int lower)
{
	char *out = pv_xmalloc(3 * strlen(s) + 1), *o = out;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p && purl_plain(*p))
			*o++ = (char)(lower ? tolower(*p) : *p);
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

char *pv_deb_purl(const char *vendor, const char *name,
    const char *version, const char *arch, const char *distro)
{
	char *v = pv_purl_encode(vendor, 1), *n = pv_purl_encode(name, 1);
	char *ver = pv_purl_encode(version, 0), *a = pv_purl_encode(arch, 0);
	char *d = pv_purl_encode(distro ? distro : "", 0);
	char *purl;

	/* Qualifiers in key order: arch, distro. */
	purl = pv_xasprintf("pkg:deb/%s/%s@%s?arch=%s%s%s", v, n, ver, a,
	    *d ? "&distro=" : "", d);
	free(v);
	free(n);
	free(ver);
	free(a);
	free(d);
	return purl;
}

/* ---- CPE ---- */

/* Source packages whose NVD vendor and product are known for certain.
 * Guessing them for other packages produces CPEs that match the wrong
 * product's vulnerabilities, or none, so others get no CPE. */
static const struct {
	const char *source, *vendor, *product;
} cpe_table[] = {
	{ "bash", "gnu", "bash" },
	{ "binutils", "gnu", "binutils" },
	{ "bzip2", "bzip", "bzip2" },
	{ "coreutils", "gnu", "coreutils" },
	{ "curl", "haxx", "curl" },
	{ "elfutils", "elfutils_project", "elfutils" },
	{ "expat", "libexpat_project", "libexpat" },
	{ "gcc-11", "gnu", "gcc" },
	{ "gcc-12", "gnu", "gcc" },
	{ "gcc-13", "gnu", "gcc" },
	{ "glibc", "gnu", "glibc" },
	{ "gnutls28", "gnu", "gnutls" },
	{ "krb5", "mit", "kerberos_5" },
	{ "libgcrypt20", "gnupg", "libgcrypt" },
	{ "libjpeg-turbo", "libjpeg-turbo", "libjpeg-turbo" },
	{ "libpng1.6", "libpng", "libpng" },
	{ "libssh2", "libssh2", "libssh2" },
	{ "libxml2", "xmlsoft", "libxml2" },
	{ "ncurses", "gnu", "ncurses" },
	{ "nghttp2", "nghttp2", "nghttp2" },
	{ "openssl", "openssl", "openssl" },
	{ "pcre2", "pcre", "pcre2" },
	{ "readline", "gnu", "readline" },
	{ "sqlite3", "sqlite", "sqlite" },
	{ "systemd", "systemd_project", "systemd" },
	{ "tar", "gnu", "tar" },
	{ "util-linux", "kernel", "util-linux" },
	{ "xz-utils", "tukaani", "xz" },
	{ "zlib", "zlib", "zlib" },
	{ "zstd", "facebook", "zstandard" },
};

/* CPE 2.3 formatted-string binding (NISTIR 7695, 6.2): letters folded
 * to lower case; alphanumerics, '_', '-' and '.' as they are; every
 * other character quoted with a backslash. */
char *pv_cpe_escape(const char *s)
{
	char *out = pv_xmalloc(2 * strlen(s) + 1), *o = out;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (!isalnum(*p) && !strchr("_-.", *p))
			*o++ = '\\';
		*o++ = (char)tolower(*p);
	}
	*o = '\0';
	return out;
}

char *pv_deb_cpe(const char *source, const char *source_version)
{
	char *up, *ver, *vend, *prod, *ve, *cpe;
	size_t i;

	for (i = 0; i < sizeof cpe_table / sizeof cpe_table[0]; i++)
		if (strcmp(cpe_table[i].source, source) == 0)
			break;
	if (i == sizeof cpe_table / sizeof cpe_table[0])
		return NULL;
	up = pv_deb_upstream_version(source_version);
	ver = strip_repack(up);
	vend = pv_cpe_escape(cpe_table[i].vendor);
	prod = pv_cpe_escape(cpe_table[i].product);
	ve = pv_cpe_escape(ver);
	cpe = pv_xasprintf("cpe:2.3:a:%s:%s:%s:*:*:*:*:*:*:*", vend, prod,
	    ve);
	free(up);
	free(ver);
	free(vend);
	free(prod);
	free(ve);
	return cpe;
}

/* ---- the path table ---- */

/* Eight bytes a step (a byte at a time, FNV-1a, was a third of the
 * load time): multiply and fold, as in the finaliser of MurmurHash3.
 * Only ever compared within one process, so byte order is no matter. */
static uint32_t hash_path(const char *s)
{
	const uint64_t k = 0xff51afd7ed558ccdULL;
	size_t n = strlen(s);
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * k;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * k;
	h ^= h >> 33;
	return (uint32_t)h;
}

static struct entry *probe(const struct pv_pkgdb *db, struct entry *tab,
    size_t size, const char *key, uint32_t h)
{
	size_t i = h & (size - 1);

	while (tab[i].key && (tab[i].hash != h ||
	    strcmp(db->arena + tab[i].key, key) != 0))
		i = (i + 1) & (size - 1);
	return &tab[i];
}

/* A table of at least N/0.7 slots: linear probing stays short below
 * that load. */
static void size_table(struct pv_pkgdb *db, size_t n)
{
	size_t size = 1024, i;
	struct entry *tab;

	while (size * 7 < n * 10)
		size *= 2;
	tab = pv_xcalloc(size, sizeof *tab);
	for (i = 0; i < db->tabsize; i++)
		if (db->tab[i].key)
			*probe(db, tab, size, db->arena + db->tab[i].key,
			    db->tab[i].hash) = db->tab[i];
	free(db->tab);
	db->tab = tab;
	db->tabsize = size;
}

static void add_owner(struct pv_pkgdb *db, struct entry *e, uint32_t pkg)
{
	if (db->nowners == db->owncap) {
		db->owncap = db->owncap ? 2 * db->owncap : 1024;
		db->owners = pv_xrealloc(db->owners,
		    db->owncap * sizeof *db->owners);
		if (db->nowners == 0)
			db->nowners = 1;	/* index 0 means "none" */
	}
	db->owners[db->nowners].pkg = pkg;
	db->owners[db->nowners].next = e->more;
	e->more = (uint32_t)db->nowners++;
}

static void insert_path(struct pv_pkgdb *db, uint32_t off, uint32_t pkg)
{
	const char *key = db->arena + off;
	uint32_t h = hash_path(key);
	struct entry *e;

	if ((db->nkeys + 1) * 10 > db->tabsize * 7)
		size_table(db, 2 * (db->nkeys + 1));
	e = probe(db, db->tab, db->tabsize, key, h);
	if (e->key) {
		if (e->pkg != pkg)
			add_owner(db, e, pkg);
		return;
	}
	e->key = off;
	e->hash = h;
	e->pkg = pkg;
	e->more = 0;
	db->nkeys++;
}

static const struct entry *get_path(const struct pv_pkgdb *db,
    const char *key)
{
	const struct entry *e;

	if (!db->tabsize)
		return NULL;
	e = probe(db, db->tab, db->tabsize, key, hash_path(key));
	return e->key ? e : NULL;
}

static unsigned count_owners(const struct pv_pkgdb *db,
    const struct entry *e)
{
	unsigned n = 1;
	uint32_t i;

	for (i = e->more; i; i = db->owners[i].next)
		n++;
	return n;
}

/* The owner of E named NAME (want) or, with WANT 0, any owner not
 * named NAME; -1 if none. */
static long pick_owner(const struct pv_pkgdb *db, const struct entry *e,
    const char *name, int want)
{
	uint32_t i;

	if ((strcmp(db->pkgs[e->pkg].name, name) == 0) == want)
		return e->pkg;
	for (i = e->more; i; i = db->owners[i].next)
		if ((strcmp(db->pkgs[db->owners[i].pkg].name, name) == 0) ==
		    want)
			return db->owners[i].pkg;
	return -1;
}

/* ---- reading files ---- */

static unsigned char *keep_file(struct pv_pkgdb *db, const char *path,
    size_t *len)
{
	unsigned char *buf;

	if (pv_read_file(path, &buf, len) != 0)
		return NULL;
	db->bufs = pv_xrealloc(db->bufs, (db->nbufs + 1) * sizeof *db->bufs);
	db->bufs[db->nbufs++] = buf;
	return buf;
}

/* Cut BUF into NUL-terminated lines in place; returns the next line
 * after *POS, or NULL at the end. */
static char *next_line(char *buf, size_t len, size_t *pos)
{
	char *line, *nl;

	if (*pos >= len)
		return NULL;
	line = buf + *pos;
	nl = memchr(line, '\n', len - *pos);
	if (nl) {
		*nl = '\0';
		*pos = (size_t)(nl - buf) + 1;
	} else
		*pos = len;
	return line;
}

static void rtrim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* ---- status ---- */

/* The fields of one stanza that matter here; pointers into the buffer. */
struct stanza {
	const char *package, *arch, *version, *source, *maintainer;
	const char *multi_arch, *status;
};

/* dpkg's states in which all of a package's files are on disk. */
static int files_present(const char *status)
{
	static const char *const ok[] = { "installed", "unpacked",
	    "half-configured", "triggers-awaited", "triggers-pending" };
	const char *state = strrchr(status, ' ');
	size_t i;

	state = state ? state + 1 : status;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(state, ok[i]) == 0)
			return 1;
	return 0;
}

static void stanza_field(struct stanza *st, char *line)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "Package", offsetof(struct stanza, package) },
		{ "Architecture", offsetof(struct stanza, arch) },
		{ "Version", offsetof(struct stanza, version) },
		{ "Source", offsetof(struct stanza, source) },
		{ "Maintainer", offsetof(struct stanza, maintainer) },
		{ "Multi-Arch", offsetof(struct stanza, multi_arch) },
		{ "Status", offsetof(struct stanza, status) },
	};
	char *colon = strchr(line, ':'), *value;
	size_t i;

	if (!colon)
		return;
	*colon = '\0';
	value = colon + 1;
	value += strspn(value, " \t");
	rtrim(value);
	/* Field names are case-insensitive (deb822). */
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strcasecmp(line, fields[i].name) == 0)
			*(const char **)((char *)st + fields[i].off) = value;
}

/* "gcc-12 (12.2.0-14)": name and, when given, version. */
static void split_source(struct pv_pkg *p, const char *field)
{
	size_t n = strcspn(field, " (");
	const char *open = strchr(field, '('), *close;

	p->source = pv_xasprintf("%.*s", (int)n, field);
	if (open && (close = strchr(open, ')')) != NULL)
		p->source_version = pv_xasprintf("%.*s",
		    (int)(close - open - 1), open + 1);
	else
		p->source_version = pv_xstrdup(p->version);
}

/* "Name <email>": the supplier as SBOMs want it. */
static void split_maintainer(struct pv_pkg *p, const char *field)
{
	const char *lt = strchr(field, '<'), *gt;
	size_t n;

	if (!lt || (gt = strchr(lt, '>')) == NULL) {
		p->supplier_name = pv_xstrdup(field);
		return;
	}
	for (n = (size_t)(lt - field); n > 0 && field[n - 1] == ' '; n--)
		;
	p->supplier_name = pv_xasprintf("%.*s", (int)n, field);
	p->supplier_email = pv_xasprintf("%.*s", (int)(gt - lt - 1), lt + 1);
}

static void describe(struct pv_pkgdb *db, struct pv_pkg *p)
{
	p->upstream_version = pv_deb_upstream_version(p->version);
	if (p->source)
		split_source(p, p->source);
	else {
		p->source = pv_xstrdup(p->name);
		p->source_version = pv_xstrdup(p->version);
	}
	if (p->maintainer)
		split_maintainer(p, p->maintainer);
	p->purl = pv_deb_purl(db->vendor, p->name, p->version,
	    p->arch ? p->arch : "", db->distro);
	p->cpe = pv_deb_cpe(p->source, p->source_version);
}

static void end_stanza(struct pv_pkgdb *db, struct stanza *st)
{
	struct pv_pkg *p;

	if (st->package && st->version && st->status &&
	    files_present(st->status)) {
		db->pkgs = pv_xrealloc(db->pkgs,
		    (db->npkgs + 1) * sizeof *db->pkgs);
		p = &db->pkgs[db->npkgs++];
		memset(p, 0, sizeof *p);
		p->name = st->package;
		p->arch = st->arch;
		p->version = st->version;
		p->source = st->source;	/* raw field; describe() splits it */
		p->maintainer = st->maintainer;
		p->multi_arch = st->multi_arch;
		p->state = strrchr(st->status, ' ') ?
		    strrchr(st->status, ' ') + 1 : st->status;
	}
	memset(st, 0, sizeof *st);
}

static int load_status(struct pv_pkgdb *db, const char **why)
{
	char *path = pv_xasprintf("%s/status", db->admindir), *buf, *line;
	struct stanza st = { 0 };
	size_t len, pos = 0, i;

	buf = (char *)keep_file(db, path, &len);
	if (!buf) {
		int err = errno;

		*why = why_fmt("no dpkg database at %s: %s: %s", db->admindir,
		    path, strerror(err));
		free(path);
		return err == ENOENT || err == ENOTDIR ?
		    PV_PKGDB_ABSENT : PV_PKGDB_BROKEN;
	}
	free(path);
	while ((line = next_line(buf, len, &pos)) != NULL) {
		if (line[0] == '\0' || (line[0] == '\r' && line[1] == '\0'))
			end_stanza(db, &st);
		else if (line[0] != ' ' && line[0] != '\t')
			stanza_field(&st, line);
	}
	end_stanza(db, &st);
	for (i = 0; i < db->npkgs; i++)
		describe(db, &db->pkgs[i]);
	return PV_PKGDB_OK;
}

/* ---- info/NAME.list ---- */

static void arena_reserve(struct pv_pkgdb *db, size_t n)
{
	if (db->arenalen + n <= db->arenacap)
		return;
	while (db->arenalen + n > db->arenacap)
		db->arenacap = db->arenacap ? 2 * db->arenacap : 1 << 20;
	db->arena = pv_xrealloc(db->arena, db->arenacap);
}

/* Append the file at PATH and a NUL to the arena; its offset in *OFF. */
static int arena_read(struct pv_pkgdb *db, const char *path, size_t *off)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return -1;
	*off = db->arenalen;
	arena_reserve(db, fstat(fd, &st) == 0 && st.st_size > 0 ?
	    (size_t)st.st_size + 1 : 4096);
	for (;;) {
		arena_reserve(db, 2);
		n = read(fd, db->arena + db->arenalen,
		    db->arenacap - db->arenalen - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		db->arenalen += (size_t)n;
	}
	saved = errno;
	close(fd);
	db->arena[db->arenalen++] = '\0';
	if (n < 0) {
		db->arenalen = *off;
		errno = saved;
		return -1;
	}
	return 0;
}

/* dpkg names the list NAME:ARCH.list for Multi-Arch: same packages,
 * NAME.list otherwise; try the expected one first. */
static int read_list(struct pv_pkgdb *db, const struct pv_pkg *p,
    size_t *off)
{
	int same = p->multi_arch && strcmp(p->multi_arch, "same") == 0, rc;
	char *a = pv_xasprintf("%s/info/%s:%s.list", db->admindir, p->name,
	    p->arch ? p->arch : "");
	char *b = pv_xasprintf("%s/info/%s.list", db->admindir, p->name);

	rc = arena_read(db, same ? a : b, off);
	if (rc != 0 && errno == ENOENT && p->arch)
		rc = arena_read(db, same ? b : a, off);
	free(a);
	free(b);
	return rc;
}

/* Cut LEN bytes of text into NUL-terminated lines; count them. */
static size_t cut_lines(char *text, size_t len)
{
	char *end = text + len;
	size_t n = 1;

	while ((text = memchr(text, '\n', (size_t)(end - text))) != NULL) {
		*text++ = '\0';
		n++;
	}
	return n;
}

/* Index the lines of one package's list, OFF to END (cut_lines). */
static void index_list(struct pv_pkgdb *db, size_t off, size_t end,
    uint32_t pkg)
{
	size_t n;

	for (; off < end; off += n + 1) {
		n = strlen(db->arena + off);
		if (db->arena[off] == '/' && off <= UINT32_MAX)
			insert_path(db, (uint32_t)off, pkg);
	}
}

static void load_lists(struct pv_pkgdb *db)
{
	size_t *start = pv_xcalloc(db->npkgs + 1, sizeof *start);
	size_t i, lines = 0;

	/* The arena's first byte keeps offset 0 free to mean "empty". */
	arena_reserve(db, 1);
	db->arena[db->arenalen++] = '\0';
	/* Read everything first, so the table is sized once.  A package
	 * without a list (dpkg complains of that) simply owns no files. */
	for (i = 0; i < db->npkgs; i++) {
		start[i] = db->arenalen;
		if (read_list(db, &db->pkgs[i], &start[i]) != 0)
			start[i] = db->arenalen;
	}
	start[db->npkgs] = db->arenalen;
	for (i = 0; i < db->npkgs; i++)
		lines += cut_lines(db->arena + start[i], start[i + 1] - start[i]);
	size_table(db, lines);
	for (i = 0; i < db->npkgs; i++)
		index_list(db, start[i], start[i + 1], (uint32_t)i);
	free(start);
}

/* ---- diversions ---- */

static void load_diversions(struct pv_pkgdb *db)
{
	char *path = pv_xasprintf("%s/diversions", db->admindir);
	char *buf, *l[3];
	size_t len, pos = 0;

	buf = (char *)keep_file(db, path, &len);
	free(path);
	if (!buf)
		return;		/* no diversions is the usual case */
	for (;;) {
		if ((l[0] = next_line(buf, len, &pos)) == NULL ||
		    (l[1] = next_line(buf, len, &pos)) == NULL ||
		    (l[2] = next_line(buf, len, &pos)) == NULL)
			break;
		db->divs = pv_xrealloc(db->divs,
		    (db->ndivs + 1) * sizeof *db->divs);
		db->divs[db->ndivs].from = l[0];
		db->divs[db->ndivs].to = l[1];
		db->divs[db->ndivs].by = l[2];
		db->ndivs++;
	}
}

/* ---- the root: usrmerge, os-release ---- */

static void detect_usrmerge(struct pv_pkgdb *db)
{
	char dest[PATH_MAX], *path, *want;
	ssize_t n;
	size_t i;

	for (i = 0; i < NMERGED; i++) {
		path = pv_xasprintf("%s/%s", db->root, merged_dirs[i]);
		want = pv_xasprintf("usr/%s", merged_dirs[i]);
		n = readlink(path, dest, sizeof dest - 1);
		if (n > 0) {
			dest[n] = '\0';
			if (strcmp(dest, want) == 0 ||
			    (dest[0] == '/' && strcmp(dest + 1, want) == 0))
				db->usrmerged |= 1u << i;
		}
		free(path);
		free(want);
	}
}

/* The value of KEY in an os-release file, unquoted, or NULL. */
static char *osrel_value(const char *text, const char *key)
{
	size_t n = strlen(key), v;
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, key, n) == 0 && p[n] == '=') {
			p += n + 1;
			if (*p == '"' || *p == '\'')
				p++;
			v = strcspn(p, "\"'\n");
			return pv_xasprintf("%.*s", (int)v, p);
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* purl namespace and distro from os-release: "debian", "debian-12";
 * a release without VERSION_ID (testing, sid) has its codename. */
static void read_os_release(struct pv_pkgdb *db, const char *distro)
{
	char *path = pv_xasprintf("%s/etc/os-release", db->root);
	char *id = NULL, *ver = NULL;
	unsigned char *buf = NULL;
	size_t len;

	if (pv_read_file(path, &buf, &len) != 0) {
		free(path);
		path = pv_xasprintf("%s/usr/lib/os-release", db->root);
		if (pv_read_file(path, &buf, &len) != 0)
			buf = NULL;
	}
	free(path);
	if (buf) {
		id = osrel_value((char *)buf, "ID");
		ver = osrel_value((char *)buf, "VERSION_ID");
		if (!ver)
			ver = osrel_value((char *)buf, "VERSION_CODENAME");
	}
	db->vendor = id ? id : pv_xstrdup("debian");
	if (distro)
		db->distro = pv_xstrdup(distro);
	else if (ver)
		db->distro = pv_xasprintf("%s-%s", db->vendor, ver);
	else
		db->distro = pv_xstrdup("");
	free(ver);
	free(buf);
}

/* ---- opening ---- */

const char *pv_pkgdb_default_admindir(void)
{
	const char *env = getenv("PROVCC_DPKG_ADMINDIR");

	return env && *env ? env : PV_PKGDB_DEFAULT_ADMINDIR;
}

/* D for D/var/lib/dpkg (a chroot or image), else the running system. */
static char *root_of(const char *admindir)
{
	static const char tail[] = "/var/lib/dpkg";
	size_t n = strlen(admindir), t = sizeof tail - 1;

	if (n >= t && strcmp(admindir + n - t, tail) == 0)
		return pv_xasprintf("%.*s", (int)(n - t), admindir);
	return pv_xstrdup("");
}

static int check_admindir(const char *admindir, const char **why)
{
	struct stat st;

	if (stat(admindir, &st) != 0) {
		*why = why_fmt("no dpkg database at %s: %s", admindir,
		    strerror(errno));
		return PV_PKGDB_ABSENT;
	}
	if (!S_ISDIR(st.st_mode)) {
		*why = why_fmt("no dpkg database at %s: %s", admindir,
		    strerror(ENOTDIR));
		return PV_PKGDB_ABSENT;
	}
	return PV_PKGDB_OK;
}

int pv_pkgdb_open_opts(const struct pv_pkgdb_opts *opts,
    struct pv_pkgdb **dbp, const char **why)
{
	const char *admindir = opts->admindir ? opts->admindir :
	    pv_pkgdb_default_admindir();
	struct pv_pkgdb *db;
	char cwd[PATH_MAX];
	int rc;

	*dbp = NULL;
	if ((rc = check_admindir(admindir, why)) != PV_PKGDB_OK)
		return rc;
	db = pv_xcalloc(1, sizeof *db);
	db->admindir = pv_path_normalize(getcwd(cwd, sizeof cwd) ? cwd : "/",
	    admindir);
	db->root = opts->root ? pv_path_normalize("/", opts->root) :
	    root_of(db->admindir);
	if (strcmp(db->root, "/") == 0)
		db->root[0] = '\0';
	read_os_release(db, opts->distro);
	detect_usrmerge(db);
	if ((rc = load_status(db, why)) != PV_PKGDB_OK) {
		pv_pkgdb_close(db);
		return rc;
	}
	load_lists(db);
	load_diversions(db);
	*dbp = db;
	return PV_PKGDB_OK;
}

int pv_pkgdb_open(const char *admindir, struct pv_pkgdb **db,
    const char **why)
{
	struct pv_pkgdb_opts o = { admindir, NULL, NULL };

	return pv_pkgdb_open_opts(&o, db, why);
}

static void free_pkg(struct pv_pkg *p)
{
	free((char *)p->upstream_version);
	free((char *)p->source);
	free((char *)p->source_version);
	free((char *)p->supplier_name);
	free((char *)p->supplier_email);
	free((char *)p->purl);
	free((char *)p->cpe);
}

void pv_pkgdb_close(struct pv_pkgdb *db)
{
	size_t i;

	if (!db)
		return;
	for (i = 0; i < db->npkgs; i++)
		free_pkg(&db->pkgs[i]);
	for (i = 0; i < db->nbufs; i++)
		free(db->bufs[i]);
	free(db->bufs);
	free(db->pkgs);
	free(db->arena);
	free(db->tab);
	free(db->owners);
	free(db->divs);
	free(db->admindir);
	free(db->root);
	free(db->vendor);
	free(db->distro);
	free(db);
}

size_t pv_pkgdb_packages(const struct pv_pkgdb *db)
{
	return db->npkgs;
}

size_t pv_pkgdb_paths(const struct pv_pkgdb *db)
{
	return db->nkeys;
}

const struct pv_pkg *pv_pkgdb_package(const struct pv_pkgdb *db, size_t i)
{
	return i < db->npkgs ? &db->pkgs[i] : NULL;
}

/* ---- lookup ---- */

/* The same file under the other name merged /usr gives it: /lib/x is
 * /usr/lib/x and the reverse.  Returns 0 when PATH has no alias. */
static int usrmerge_alias(const struct pv_pkgdb *db, const char *path,
    char *out, size_t size)
{
	size_t i, n;

	for (i = 0; i < NMERGED; i++) {
		if (!(db->usrmerged & (1u << i)))
			continue;
		n = strlen(merged_dirs[i]);
		if (path[0] == '/' && strncmp(path + 1, merged_dirs[i], n) == 0 &&
		    path[n + 1] == '/')
			return snprintf(out, size, "/usr%s", path) < (int)size;
		if (strncmp(path, "/usr/", 5) == 0 &&
		    strncmp(path + 5, merged_dirs[i], n) == 0 &&
		    path[5 + n] == '/')
			return snprintf(out, size, "%s", path + 4) < (int)size;
	}
	return 0;
}

/* The file at a diversion's TO came from another package's FROM; the
 * file at FROM is the diverting package's, or nobody's for a local
 * diversion.  Returns 1 when a diversion decided (*PKG may be -1). */
static int diverted_owner(const struct pv_pkgdb *db, const char *path,
    struct pv_pkgdb_hit *hit, long *pkg)
{
	const struct diversion *d;
	const struct entry *e;
	size_t i;

	for (i = 0; i < db->ndivs; i++) {
		d = &db->divs[i];
		if (strcmp(d->to, path) == 0) {
			e = get_path(db, d->from);
			*pkg = e ? pick_owner(db, e, d->by, 0) : -1;
			hit->path = e ? db->arena + e->key : NULL;
			hit->owners = e ? count_owners(db, e) : 0;
			hit->how |= PV_PKGDB_DIVERTED;
			return 1;
		}
		if (strcmp(d->from, path) == 0) {
			e = get_path(db, d->from);
			*pkg = e ? pick_owner(db, e, d->by, 1) : -1;
			hit->path = e ? db->arena + e->key : NULL;
			hit->owners = e ? count_owners(db, e) : 0;
			hit->how |= PV_PKGDB_DIVERTED;
			return 1;
		}
	}
	return 0;
}

/* PATH (normalised, no symbolic links followed) as recorded. */
static long owner_of(const struct pv_pkgdb *db, const char *path,
    struct pv_pkgdb_hit *hit)
{
	const struct entry *e;
	long pkg;

	if (db->ndivs && diverted_owner(db, path, hit, &pkg))
		return pkg;
	if ((e = get_path(db, path)) == NULL)
		return -1;
	hit->path = db->arena + e->key;
	hit->owners = count_owners(db, e);
	return e->pkg;
}

/* PATH, or failing that its usrmerge alias. */
static long owner_or_alias(const struct pv_pkgdb *db, const char *path,
    struct pv_pkgdb_hit *hit)
{
	char alias[PATH_MAX];
	long pkg = owner_of(db, path, hit);

	if (pkg < 0 && usrmerge_alias(db, path, alias, sizeof alias)) {
		pkg = owner_of(db, alias, hit);
		if (pkg >= 0)
			hit->how |= PV_PKGDB_USRMERGE;
	}
	return pkg;
}

/* Replace the unresolved rest of a walk by TARGET + "/" + REST. */
static int splice_link(char *todo, size_t size, const char *target,
    const char *rest)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof tmp, "%s/%s", target, rest) >= (int)sizeof tmp)
		return -1;
	return snprintf(todo, size, "%s", tmp) >= (int)size ? -1 : 0;
}

/* Drop the last component of DONE. */
static void pop_component(char *done, size_t *dlen)
{
	while (*dlen > 0 && done[*dlen - 1] != '/')
		(*dlen)--;
	if (*dlen > 0)
		(*dlen)--;
	done[*dlen] = '\0';
}

/* realpath(3) inside ROOT: symbolic links are followed as the kernel
 * would if ROOT were "/" (absolute targets start again at ROOT), so a
 * database of an image or a test tree resolves within it.  Returns the
 * resolved path (below ROOT, starting with '/'), or NULL with errno. */
static char *resolve_in_root(const char *root, const char *path)
{
	char todo[PATH_MAX], done[PATH_MAX], full[PATH_MAX], dest[PATH_MAX];
	const char *p;
	size_t dlen = 0, n;
	int hops = 0;
	struct stat st;
	ssize_t k;

	if (snprintf(todo, sizeof todo, "%s", path) >= (int)sizeof todo)
		return errno = ENAMETOOLONG, NULL;
	done[0] = '\0';
	for (p = todo; *p; p += n) {
		p += strspn(p, "/");
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			pop_component(done, &dlen);
			continue;
		}
		if (dlen + 1 + n >= sizeof done ||
		    snprintf(full, sizeof full, "%s%s/%.*s", root, done,
		    (int)n, p) >= (int)sizeof full)
			return errno = ENAMETOOLONG, NULL;
		if (lstat(full, &st) != 0)
			return NULL;
		if (!S_ISLNK(st.st_mode)) {
			done[dlen++] = '/';
			memcpy(done + dlen, p, n);
			dlen += n;
			done[dlen] = '\0';
			continue;
		}
		if (++hops > MAX_LINK_HOPS)
			return errno = ELOOP, NULL;
		if ((k = readlink(full, dest, sizeof dest - 1)) < 0)
			return NULL;
		dest[k] = '\0';
		if (dest[0] == '/')
			dlen = 0, done[0] = '\0';
		if (splice_link(todo, sizeof todo, dest, p + n) != 0)
			return errno = ENAMETOOLONG, NULL;
		p = todo;
		n = 0;
	}
	return pv_xstrdup(dlen ? done : "/");
}

static int is_symlink(const struct pv_pkgdb *db, const char *path)
{
	char full[PATH_MAX];
	struct stat st;

	if (snprintf(full, sizeof full, "%s%s", db->root, path) >=
	    (int)sizeof full)
		return 0;
	return lstat(full, &st) == 0 && S_ISLNK(st.st_mode);
}

/* A recorded path that is itself a link (/usr/bin/gcc -> gcc-12): say
 * also who owns what it leads to, since that is the code that runs. */
static void link_target(struct pv_pkgdb *db, const char *path,
    struct pv_pkgdb_hit *hit)
{
	struct pv_pkgdb_hit t = { 0 };
	char *real;
	long pkg;

	if (!is_symlink(db, path))
		return;
	hit->how |= PV_PKGDB_IS_LINK;
	if ((real = resolve_in_root(db->root, path)) == NULL)
		return;
	pkg = owner_or_alias(db, real, &t);
	if (pkg >= 0) {
		hit->target = &db->pkgs[pkg];
		hit->target_path = t.path;
	}
	free(real);
}

/* Not recorded as named: perhaps what its links lead to is. */
static long through_links(struct pv_pkgdb *db, const char *path,
    const char *norm, struct pv_pkgdb_hit *hit)
{
	char *real = resolve_in_root(db->root, path);
	long pkg = -1;

	if (real && strcmp(real, norm) != 0) {
		pkg = owner_or_alias(db, real, hit);
		if (pkg >= 0)
			hit->how |= PV_PKGDB_SYMLINK;
	}
	free(real);
	return pkg;
}

/* LINKS: say whether a recorded path is itself a link, and where to.
 * That costs an lstat, and never changes the package found. */
static const struct pv_pkg *find(struct pv_pkgdb *db, const char *path,
    struct pv_pkgdb_hit *hit, int links)
{
	char cwd[PATH_MAX], *abs, *norm;
	long pkg;

	memset(hit, 0, sizeof *hit);
	if (path[0] == '/')
		abs = pv_xstrdup(path);
	else
		abs = pv_xasprintf("%s/%s",
		    getcwd(cwd, sizeof cwd) ? cwd : "", path);
	norm = pv_path_normalize("/", abs);
	pkg = owner_or_alias(db, norm, hit);
	if (pkg >= 0 && links)
		link_target(db, hit->path, hit);
	else if (pkg < 0) {
		memset(hit, 0, sizeof *hit);
		/* The kernel's "..", after links, not the lexical one. */
		pkg = through_links(db, abs, norm, hit);
	}
	free(norm);
	free(abs);
	if (pkg < 0) {
		memset(hit, 0, sizeof *hit);
		return NULL;
	}
	if (!hit->owners)
		hit->owners = 1;
	hit->pkg = &db->pkgs[pkg];
	return hit->pkg;
}

const struct pv_pkg *pv_pkgdb_find(struct pv_pkgdb *db, const char *path,
    struct pv_pkgdb_hit *hit)
{
	return find(db, path, hit, 1);
}

const struct pv_pkg *pv_pkgdb_lookup(struct pv_pkgdb *db, const char *path)
{
	struct pv_pkgdb_hit hit;

	return find(db, path, &hit, 0);
}
