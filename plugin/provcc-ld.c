/* provcc-ld.c - GNU linker plugin (ld.bfd, gold) that records which
 * input files a link really used.
 *
 *   ld ... -plugin libprovcc-ld.so -plugin-opt=out=MANIFEST ...
 *   gcc ... -Wl,-plugin,libprovcc-ld.so,-plugin-opt=out=MANIFEST
 *
 * The linker offers every input file it loads to the claim-file hook of
 * each plugin in command-line order, until one claims it.  This plugin
 * claims nothing: it only looks.  For each input it records the name,
 * the offset and size (an archive member: offset within the archive),
 * the member name from the ar header, SHA-256 of the bytes the linker
 * read, what kind of file it is, and how many provcc compile records it
 * carries.  When the linker is done (cleanup hook) the list is written
 * as JSON to MANIFEST, through a temporary file and a rename, with the
 * output (SHA-256, DT_NEEDED) and the linker process (its executable and
 * every library and plugin mapped into it, the LTO plugin included).
 *
 * It must never change what the linker does: it claims nothing, adds
 * nothing unless asked to (sync=, below), reads the linker's descriptors
 * only with pread (never moving their offsets), and a failure of its own
 * is a warning, never a failed link (warnings go to stderr, never through
 * the linker, which would count them for --fatal-warnings).  It is built without sanitizers, since it
 * runs inside the linker.
 *
 * With -plugin-opt=sync=RFD,WFD (provcc running the linker as its
 * child) it also writes the manifest at all-symbols-read, tells the
 * parent "ready" on WFD and adds the object the parent names on RFD to
 * the link; a failed handshake fails the link (see "The all-symbols-read
 * handshake" below).
 * plugin/README.md lists which inputs each linker shows it.
 */
#define _GNU_SOURCE
#include "ld_plugin_abi.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#ifndef PROVCC_VERSION
#define PROVCC_VERSION "unknown"
#endif

#define PVLD_EXPORT __attribute__((visibility("default")))
#define MANIFEST_VERSION 1

/* ------------------------------------------------------------------ */
/* State                                                               */

struct input {
	char *name;		/* as the linker named it */
	long long offset;	/* 0, or where the member starts */
	long long size;
	char *member;		/* archive member name, or NULL */
	int member_status;	/* MEMBER_* */
	char sha256[65];	/* of [offset, offset + size); "" if unread */
	char archive_sha256[65];	/* of the whole archive (members) */
	const char *kind;	/* rel, dyn, exec, bitcode, other, ... */
	int lto;		/* ET_REL with .gnu.lto_ sections */
	int compile_notes;	/* provcc compile records found */
	char *soname;		/* DT_SONAME of a shared library */
	char **needed;		/* DT_NEEDED entries (the output only) */
	size_t nneeded;
	int want_needed;	/* collect them */
	int dynamic;		/* has a SHT_DYNAMIC section */
	char *error;		/* why something could not be read */
	unsigned seq;		/* order of first sight, from 0 */
	unsigned calls;		/* times the linker offered it */
	int after_asr;		/* first offered after all_symbols_read */
	int new_input;		/* seen by gold's new-input hook only */
	int added;		/* the object the sync parent had us add */
};

enum { MEMBER_NONE, MEMBER_OK, MEMBER_NO_HEADER, MEMBER_BSD };

struct archive {
	char *name;
	dev_t dev;
	ino_t ino;
	char sha256[65];
	char *longnames;	/* contents of the "//" member, or NULL */
	size_t longnames_len;
};

static struct {
	pthread_mutex_t lock;
	char *out;		/* -plugin-opt=out= */
	char **options;		/* every -plugin-opt given to us */
	size_t noptions;
	char *unknown_option;	/* first option we do not know */
	const char *output_name;
	int output_type;	/* -1: not told */
	int api_version;	/* -1: not told */
	int gnu_ld_version;	/* -1: not told */
	int gold_version;	/* -1: not told */
	uint64_t tags_seen;	/* bit per tag number < 64 */
	int all_symbols_read;
	int written;
	struct input *inputs;
	size_t ninputs, cap_inputs;
	struct archive *archives;
	size_t narchives, cap_archives;
	int oom;		/* some allocation failed: list incomplete */
	char **mapped;		/* executable files mapped into the linker */
	size_t nmapped;
	struct input output;	/* the output as found at cleanup */
	int output_exists;
	const char *phase;	/* of the manifest being written */
	char *sync_opt;		/* -plugin-opt=sync= value, as given */
	int no_hash;		/* hash=no: leave SHA-256 to the caller */
	int sync_rfd, sync_wfd;	/* the handshake pipes, or -1 */
	int handshake_done;
	char *added;		/* path given to add_input_file */
	pvld_add_input_file_fn add_input_file;
	pvld_message_fn message;
} g = { .lock = PTHREAD_MUTEX_INITIALIZER, .output_type = -1,
	.api_version = -1, .gnu_ld_version = -1, .gold_version = -1,
	.phase = "cleanup", .sync_rfd = -1, .sync_wfd = -1 };

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void warn(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Straight to stderr, not through the linker's LDPT_MESSAGE: ld.bfd
	 * prints plugin warnings on stdout, and both linkers count them
	 * for --fatal-warnings, which would fail the link. */
	fprintf(stderr, "provcc-ld: warning: %s\n", buf);
}

static char *xstrdup_or_oom(const char *s)
{
	char *p = s ? strdup(s) : NULL;

	if (s && !p)
		g.oom = 1;
	return p;
}

/* Note every file mapped executable into the linker process: the linker
 * itself, its libraries (ld.bfd's libbfd, libctf), and the plugins -- the
 * LTO plugin among them.  Called at onload, all_symbols_read and cleanup,
 * since gold loads the plugins one after another and ld.bfd unloads each
 * after its cleanup hook. */
static void note_mapped_objects(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[PATH_MAX + 128];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char perms[8], *path = strchr(line, '/');
		size_t n;
		char **p;

		if (!path || sscanf(line, "%*s %7s", perms) != 1 ||
		    !strchr(perms, 'x'))
			continue;
		n = strcspn(path, "\n");
		path[n] = '\0';
		if (n > 10 && strcmp(path + n - 10, " (deleted)") == 0)
			continue;
		for (n = 0; n < g.nmapped; n++)
			if (strcmp(g.mapped[n], path) == 0)
				break;
		if (n < g.nmapped)
			continue;
		p = realloc(g.mapped, (g.nmapped + 1) * sizeof(*p));
		if (!p || !(p[g.nmapped] = strdup(path))) {
			g.oom = 1;
			if (p)
				g.mapped = p;
			break;
		}
		g.mapped = p;
		g.nmapped++;
	}
	fclose(f);
}

/* ------------------------------------------------------------------ */
/* Reading the linker's descriptor                                     */

static int read_full(int fd, void *buf, size_t len, long long off)
{
	unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static const EVP_MD *sha256_md(void)
{
	static EVP_MD *md;

	if (!md) {
		/* As lib/hash.c: no configuration file, no atexit handler
		 * (the linker dlcloses plugins before it exits). */
		OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG |
		    OPENSSL_INIT_NO_ATEXIT, NULL);
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	}
	return md;
}

/* SHA-256 of LEN bytes of FD from OFF, as 64 hex digits into HEX. */
static int sha256_range(int fd, long long off, long long len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int ok;

	hex[0] = '\0';
	if (g.no_hash)
		return 0;	/* hash=no: the caller hashes, with its cache */
	if (!sha256_md() || !(ctx = EVP_MD_CTX_new()))
		return -1;
	ok = EVP_DigestInit_ex(ctx, sha256_md(), NULL);
	while (ok && len > 0) {
		size_t n = len > (long long)sizeof(buf) ? sizeof(buf)
		    : (size_t)len;

		if (read_full(fd, buf, n, off) < 0)
			ok = 0;
		else
			ok = EVP_DigestUpdate(ctx, buf, n);
		off += (long long)n;
		len -= (long long)n;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	for (unsigned i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* ar archives                                                         */

#define AR_MAGIC "!<arch>\n"
#define AR_THIN_MAGIC "!<thin>\n"
#define AR_HDR 60

static long long ar_size_field(const char *hdr)
{
	char tmp[11];
	char *end;
	long long v;

	memcpy(tmp, hdr + 48, 10);
	tmp[10] = '\0';
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (errno || end == tmp || v < 0)
		return -1;
	return v;
}

/* The archive record for the archive open on FD, created on first use:
 * its SHA-256 and its GNU long-name table. */
static struct archive *archive_of(const char *name, int fd)
{
	struct stat st;
	struct archive *a;
	char magic[8], hdr[AR_HDR];
	long long pos = 8;

	if (fstat(fd, &st) < 0)
		return NULL;
	for (size_t i = 0; i < g.narchives; i++) {
		a = &g.archives[i];
		if (a->dev == st.st_dev && a->ino == st.st_ino &&
		    strcmp(a->name, name) == 0)
			return a;
	}
	if (g.narchives == g.cap_archives) {
		size_t cap = g.cap_archives ? 2 * g.cap_archives : 8;
		struct archive *p = realloc(g.archives, cap * sizeof(*p));

		if (!p) {
			g.oom = 1;
			return NULL;
		}
		g.archives = p;
		g.cap_archives = cap;
	}
	a = &g.archives[g.narchives];
	memset(a, 0, sizeof(*a));
	if (!(a->name = strdup(name))) {
		g.oom = 1;
		return NULL;
	}
	a->dev = st.st_dev;
	a->ino = st.st_ino;
	g.narchives++;
	if (sha256_range(fd, 0, (long long)st.st_size, a->sha256) < 0)
		a->sha256[0] = '\0';
	if (read_full(fd, magic, 8, 0) < 0 || memcmp(magic, AR_MAGIC, 8) != 0)
		return a;
	/* The GNU long-name table "//" follows the symbol tables ("/" and
	 * "/SYM64/"), before the first ordinary member. */
	while (pos + AR_HDR <= (long long)st.st_size &&
	    read_full(fd, hdr, AR_HDR, pos) == 0 &&
	    hdr[58] == '`' && hdr[59] == '\n') {
		long long size = ar_size_field(hdr);

		if (size < 0 || pos + AR_HDR + size > (long long)st.st_size)
			break;
		if (memcmp(hdr, "// ", 3) == 0) {
			if (size > (64 << 20) ||
			    !(a->longnames = malloc((size_t)size + 1)))
				break;
			if (read_full(fd, a->longnames, (size_t)size,
			    pos + AR_HDR) < 0) {
				free(a->longnames);
				a->longnames = NULL;
				break;
			}
			a->longnames[size] = '\0';
			a->longnames_len = (size_t)size;
			break;
		}
		if (memcmp(hdr, "/ ", 2) != 0 &&
		    memcmp(hdr, "/SYM64/ ", 8) != 0)
			break;
		pos += AR_HDR + size + (size & 1);
	}
	return a;
}

/* Fill in the member name of IN (an archive member at IN->offset). */
static void read_member_name(struct input *in, int fd, struct archive *a)
{
	char hdr[AR_HDR];
	size_t n;

	in->member_status = MEMBER_NO_HEADER;
	if (in->offset < 8 + AR_HDR ||
	    read_full(fd, hdr, AR_HDR, in->offset - AR_HDR) < 0 ||
	    hdr[58] != '`' || hdr[59] != '\n')
		return;
	if (memcmp(hdr, "#1/", 3) == 0) {
		/* BSD long names sit between header and data; not seen with
		 * GNU ar.  The header is then not just before the data. */
		in->member_status = MEMBER_BSD;
		return;
	}
	if (ar_size_field(hdr) != in->size)
		return;
	if (hdr[0] == '/' && hdr[1] >= '0' && hdr[1] <= '9') {
		/* GNU long name: "/OFFSET" into "//", ended by "/\n". */
		char tmp[16], *end;
		unsigned long off;
		const char *s;

		memcpy(tmp, hdr + 1, 15);
		tmp[15] = '\0';
		off = strtoul(tmp, &end, 10);
		if (!a || !a->longnames || off >= a->longnames_len)
			return;
		s = a->longnames + off;
		n = strcspn(s, "\n");
		if (n > 0 && s[n - 1] == '/')
			n--;
		in->member = strndup(s, n);
	} else {
		/* GNU short name: up to 16 characters ended by '/'. */
		for (n = 0; n < 16 && hdr[n] != '/'; n++)
			;
		if (n == 16)	/* no '/': SysV/BSD, blank padded */
			while (n > 0 && hdr[n - 1] == ' ')
				n--;
		in->member = strndup(hdr, n);
	}
	if (!in->member)
		g.oom = 1;
	else
		in->member_status = MEMBER_OK;
}

/* ------------------------------------------------------------------ */
/* ELF                                                                 */

struct elf {
	int fd;
	long long base, size;	/* the file within the descriptor */
	int is64, msb;
	unsigned shnum, shstrndx;
	long long shoff;
	unsigned shentsize;
};

struct shdr {
	uint32_t name, type, link;
	uint64_t offset, size;
};

static uint64_t get_u(const unsigned char *p, int n, int msb)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[msb ? i : n - 1 - i] << (8 * (n - 1 - i));
	return v;
}

static int elf_read(const struct elf *e, void *buf, uint64_t off,
    uint64_t len)
{
	if (off > (uint64_t)e->size || len > (uint64_t)e->size - off)
		return -1;
	return read_full(e->fd, buf, (size_t)len, e->base + (long long)off);
}

static int elf_shdr(const struct elf *e, unsigned i, struct shdr *sh)
{
	unsigned char b[64];
	int m = e->msb;

	if (elf_read(e, b, (uint64_t)e->shoff + (uint64_t)i * e->shentsize,
	    e->is64 ? 64 : 40) < 0)
		return -1;
	sh->name = (uint32_t)get_u(b, 4, m);
	sh->type = (uint32_t)get_u(b + 4, 4, m);
	if (e->is64) {
		sh->offset = get_u(b + 24, 8, m);
		sh->size = get_u(b + 32, 8, m);
		sh->link = (uint32_t)get_u(b + 40, 4, m);
	} else {
		sh->offset = get_u(b + 16, 4, m);
		sh->size = get_u(b + 20, 4, m);
		sh->link = (uint32_t)get_u(b + 24, 4, m);
	}
	return 0;
}

/* Section contents, NUL-terminated, at most 64 MiB; NULL on failure. */
static unsigned char *elf_contents(const struct elf *e, const struct shdr *sh)
{
	unsigned char *p;

	if (sh->type == 8 /* SHT_NOBITS */ || sh->size > (64u << 20) ||
	    !(p = malloc((size_t)sh->size + 1)))
		return NULL;
	if (elf_read(e, p, sh->offset, sh->size) < 0) {
		free(p);
		return NULL;
	}
	p[sh->size] = '\0';
	return p;
}

static int count_provcc_notes(const struct elf *e, const unsigned char *p,
    uint64_t len)
{
	uint64_t pos = 0;
	int count = 0;

	while (len - pos >= 12) {
		uint64_t namesz = get_u(p + pos, 4, e->msb);
		uint64_t descsz = get_u(p + pos + 4, 4, e->msb);
		uint64_t type = get_u(p + pos + 8, 4, e->msb);
		uint64_t name_pad = (namesz + 3) & ~(uint64_t)3;
		uint64_t desc_pad = (descsz + 3) & ~(uint64_t)3;

		if (name_pad > len - pos - 12 ||
		    desc_pad > len - pos - 12 - name_pad)
			break;
		if (namesz == 7 && memcmp(p + pos + 12, "provcc", 7) == 0 &&
		    type == 1)
			count++;
		pos += 12 + name_pad + desc_pad;
	}
	return count;
}

static void add_needed(struct input *in, const char *name)
{
	char **p = realloc(in->needed, (in->nneeded + 1) * sizeof(*p));

	if (!p || !(p[in->nneeded] = strdup(name))) {
		g.oom = 1;
		if (p)
			in->needed = p;
		return;
	}
	in->needed = p;
	in->nneeded++;
}

/* Kind, LTO marker, provcc notes and soname of an ELF file at BASE. */
static void inspect_elf(struct input *in, int fd, long long base,
    long long size, const unsigned char *ident)
{
	struct elf e = { .fd = fd, .base = base, .size = size };
	unsigned char h[64];
	struct shdr sh, strsh;
	unsigned char *names = NULL;
	uint64_t names_len = 0;
	unsigned etype;
	int dynamic_done = 0;

	e.is64 = ident[4] == 2;
	e.msb = ident[5] == 2;
	if (elf_read(&e, h, 0, e.is64 ? 64 : 52) < 0) {
		in->kind = "elf-truncated";
		return;
	}
	etype = (unsigned)get_u(h + 16, 2, e.msb);
	in->kind = etype == 1 ? "rel" : etype == 2 ? "exec" :
	    etype == 3 ? "dyn" : etype == 4 ? "core" : "elf-other";
	if (e.is64) {
		e.shoff = (long long)get_u(h + 40, 8, e.msb);
		e.shentsize = (unsigned)get_u(h + 58, 2, e.msb);
		e.shnum = (unsigned)get_u(h + 60, 2, e.msb);
		e.shstrndx = (unsigned)get_u(h + 62, 2, e.msb);
	} else {
		e.shoff = (long long)get_u(h + 32, 4, e.msb);
		e.shentsize = (unsigned)get_u(h + 46, 2, e.msb);
		e.shnum = (unsigned)get_u(h + 48, 2, e.msb);
		e.shstrndx = (unsigned)get_u(h + 50, 2, e.msb);
	}
	if (e.shoff == 0 || e.shentsize < (e.is64 ? 64u : 40u))
		return;
	if (e.shnum == 0 || e.shstrndx == 0xffff) {
		/* Extended numbering: the real values are in section 0. */
		if (elf_shdr(&e, 0, &sh) < 0)
			return;
		if (e.shnum == 0)
			e.shnum = (unsigned)sh.size;
		if (e.shstrndx == 0xffff)
			e.shstrndx = sh.link;
	}
	if (e.shnum > 1u << 20)
		return;
	if (e.shstrndx < e.shnum && elf_shdr(&e, e.shstrndx, &sh) == 0 &&
	    (names = elf_contents(&e, &sh)))
		names_len = sh.size;
	for (unsigned i = 1; i < e.shnum; i++) {
		unsigned char *p;

		if (elf_shdr(&e, i, &sh) < 0)
			break;
		if (names && sh.name < names_len &&
		    strncmp((char *)names + sh.name, ".gnu.lto_", 9) == 0)
			in->lto = 1;
		if (sh.type == 7 /* SHT_NOTE */ && (p = elf_contents(&e, &sh))) {
			in->compile_notes += count_provcc_notes(&e, p, sh.size);
			free(p);
		}
		if (sh.type == 6 /* SHT_DYNAMIC */ && !dynamic_done &&
		    sh.link < e.shnum && elf_shdr(&e, sh.link, &strsh) == 0) {
			unsigned char *dyn = elf_contents(&e, &sh);
			unsigned char *str = elf_contents(&e, &strsh);
			unsigned ent = e.is64 ? 16 : 8, w = e.is64 ? 8 : 4;

			dynamic_done = 1;
			in->dynamic = 1;

			for (uint64_t o = 0; dyn && str && o + ent <= sh.size;
			    o += ent) {
				uint64_t tag = get_u(dyn + o, (int)w, e.msb);
				uint64_t val = get_u(dyn + o + w, (int)w, e.msb);

				if (tag == 0)
					break;
				if (val >= strsh.size)
					continue;
				if (tag == 14 /* DT_SONAME */ && !in->soname)
					in->soname = xstrdup_or_oom(
					    (char *)str + val);
				if (tag == 1 /* DT_NEEDED */ &&
				    in->want_needed)
					add_needed(in, (char *)str + val);
			}
			free(dyn);
			free(str);
		}
	}
	free(names);
}

/* ------------------------------------------------------------------ */
/* The hooks                                                           */

/* An input the linker took that is neither ELF, nor bitcode, nor an
 * archive: both GNU linkers read any such file as a linker script
 * (libc.so, libgcc_s.so).  Text, then, is what it should look like. */
static int looks_like_text(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t' &&
		    p[i] != '\r' && p[i] != '\f') || p[i] == 0x7f)
			return 0;
	return 1;
}

static struct input *find_input(const char *name, long long offset)
{
	for (size_t i = 0; i < g.ninputs; i++)
		if (g.inputs[i].offset == offset &&
		    strcmp(g.inputs[i].name, name) == 0)
			return &g.inputs[i];
	return NULL;
}

static void record_input(const struct pvld_input_file *file, int new_input)
{
	struct input *in;
	unsigned char ident[16];
	struct archive *a = NULL;
	long long off = (long long)file->offset;
	long long size = (long long)file->filesize;

	if (!file->name)
		return;
	if ((in = find_input(file->name, off))) {
		if (!new_input)
			in->calls++;
		else if (in->calls == 0)
			in->new_input = 1;	/* an added object, in gold */
		return;
	}
	if (g.ninputs == g.cap_inputs) {
		size_t cap = g.cap_inputs ? 2 * g.cap_inputs : 64;
		struct input *p = realloc(g.inputs, cap * sizeof(*p));

		if (!p) {
			g.oom = 1;
			return;
		}
		g.inputs = p;
		g.cap_inputs = cap;
	}
	in = &g.inputs[g.ninputs];
	memset(in, 0, sizeof(*in));
	if (!(in->name = strdup(file->name))) {
		g.oom = 1;
		return;
	}
	in->seq = (unsigned)g.ninputs;
	in->calls = new_input ? 0 : 1;
	in->new_input = new_input;
	in->offset = off;
	in->size = size;
	in->after_asr = g.all_symbols_read;
	in->added = g.added && off == 0 && strcmp(file->name, g.added) == 0;
	in->kind = "other";
	g.ninputs++;

	if (off > 0) {
		a = archive_of(file->name, file->fd);
		if (a)
			memcpy(in->archive_sha256, a->sha256, 65);
		read_member_name(in, file->fd, a);
	}
	if (sha256_range(file->fd, off, size, in->sha256) < 0) {
		in->error = xstrdup_or_oom("cannot read the input");
		return;
	}
	if (size >= 16 && read_full(file->fd, ident, 16, off) == 0) {
		if (memcmp(ident, "\177ELF", 4) == 0 &&
		    (ident[4] == 1 || ident[4] == 2) &&
		    (ident[5] == 1 || ident[5] == 2))
			inspect_elf(in, file->fd, off, size, ident);
		else if (memcmp(ident, "BC\xc0\xde", 4) == 0 ||
		    memcmp(ident, "\xde\xc0\x17\x0b", 4) == 0)
			in->kind = "bitcode";
		else if (memcmp(ident, AR_MAGIC, 8) == 0 ||
		    memcmp(ident, AR_THIN_MAGIC, 8) == 0)
			in->kind = "archive";
		else if (looks_like_text(ident, 16))
			in->kind = "script";
	} else if (size > 0 && size < 16 &&
	    read_full(file->fd, ident, (size_t)size, off) == 0 &&
	    looks_like_text(ident, (size_t)size)) {
		in->kind = "script";
	}
}

static enum pvld_status claim_file(const struct pvld_input_file *file,
    int *claimed)
{
	*claimed = 0;
	pthread_mutex_lock(&g.lock);
	record_input(file, 0);
	pthread_mutex_unlock(&g.lock);
	return PVLD_OK;
}

/* gold does not offer the inputs it loads after all_symbols_read to the
 * claim-file hook (archive members that LTO-generated code needs, the
 * LTO plugin's own output objects); it tells the new-input hook. */
static enum pvld_status new_input(const struct pvld_input_file *file)
{
	pthread_mutex_lock(&g.lock);
	record_input(file, 1);
	pthread_mutex_unlock(&g.lock);
	return PVLD_OK;
}

/* The output file as the linker left it by the cleanup hook.  Both GNU
 * linkers have closed it by then; after a failed link it may be missing
 * or (gold removes it only after the cleanup hooks) stale, so it means
 * something only when the linker exits with status 0. */
static void inspect_output(void)
{
	struct input *o = &g.output;
	unsigned char ident[16];
	struct stat st;
	int fd;

	if (!g.output_name ||
	    (fd = open(g.output_name, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		g.output_exists = 1;
		o->size = (long long)st.st_size;
		o->kind = "other";
		o->want_needed = 1;
		if (sha256_range(fd, 0, o->size, o->sha256) < 0)
			o->sha256[0] = '\0';
		if (o->size >= 16 && read_full(fd, ident, 16, 0) == 0 &&
		    memcmp(ident, "\177ELF", 4) == 0 &&
		    (ident[4] == 1 || ident[4] == 2) &&
		    (ident[5] == 1 || ident[5] == 2))
			inspect_elf(o, fd, 0, o->size, ident);
	}
	close(fd);
}

/* Whether shared library IN is named by a DT_NEEDED of the output. */
static int in_output_needed(const struct input *in)
{
	const char *base = strrchr(in->name, '/');

	base = base ? base + 1 : in->name;
	for (size_t i = 0; i < g.nmapped; i++)
		free(g.mapped[i]);
	free(g.mapped);
	g.mapped = NULL;
	g.nmapped = 0;
	for (size_t i = 0; i < g.output.nneeded; i++) {
		const char *n = g.output.needed[i];

		if (in->soname ? strcmp(n, in->soname) == 0 :
		    strcmp(n, in->name) == 0 || strcmp(n, base) == 0)
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The manifest                                                        */

struct buf {
	char *p;
	size_t len, cap;
	int failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap))) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void putf(struct buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		b->failed = 1;
	else
		put(b, tmp, (size_t)n);
}

/* A JSON string with only ASCII: other characters as \uXXXX.  A byte
 * that is not part of valid UTF-8 is written as the code point of the
 * same value (U+0080..U+00FF), which loses the distinction; paths like
 * that are rare enough for a prototype. */
static void put_json_string(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	put(b, "\"", 1);
	while (*p) {
		unsigned c = *p, cp = c;
		int n = 1;

		if (c >= 0x80) {
			int need = c >= 0xf0 && c < 0xf5 ? 3 :
			    c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;

			if (c >= 0xf5)
				need = -1;
			cp = need == 3 ? c & 7 : need == 2 ? c & 15 : c & 31;
			for (int i = 1; need > 0 && i <= need; i++) {
				if ((p[i] & 0xc0) != 0x80) {
					need = -1;
					break;
				}
				cp = (cp << 6) | (p[i] & 0x3f);
			}
			if (need < 0 || (need == 2 && cp < 0x800) ||
			    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
			    (cp >= 0xd800 && cp <= 0xdfff)) {
				cp = c;
				n = 1;
			} else {
				n = need + 1;
			}
		}
		if (cp == '"' || cp == '\\') {
			put(b, "\\", 1);
			put(b, (const char *)p, 1);
		} else if (cp == '\n') {
			puts_(b, "\\n");
		} else if (cp == '\t') {
			puts_(b, "\\t");
		} else if (cp < 0x20 || (cp >= 0x7f && cp < 0x10000)) {
			putf(b, "\\u%04x", cp);
		} else if (cp >= 0x10000) {
			cp -= 0x10000;
			putf(b, "\\u%04x\\u%04x", 0xd800 + (cp >> 10),
			    0xdc00 + (cp & 0x3ff));
		} else {
			put(b, (const char *)p, 1);
		}
		p += n;
	}
	put(b, "\"", 1);
}

static const char *const tag_names[PVLD_TAG_COUNT_KNOWN] = {
	"NULL", "API_VERSION", "GOLD_VERSION", "LINKER_OUTPUT", "OPTION",
	"REGISTER_CLAIM_FILE_HOOK", "REGISTER_ALL_SYMBOLS_READ_HOOK",
	"REGISTER_CLEANUP_HOOK", "ADD_SYMBOLS", "GET_SYMBOLS",
	"ADD_INPUT_FILE", "MESSAGE", "GET_INPUT_FILE", "RELEASE_INPUT_FILE",
	"ADD_INPUT_LIBRARY", "OUTPUT_NAME", "SET_EXTRA_LIBRARY_PATH",
	"GNU_LD_VERSION", "GET_VIEW", "GET_INPUT_SECTION_COUNT",
	"GET_INPUT_SECTION_TYPE", "GET_INPUT_SECTION_NAME",
	"GET_INPUT_SECTION_CONTENTS", "UPDATE_SECTION_ORDER",
	"ALLOW_SECTION_ORDERING", "GET_SYMBOLS_V2",
	"ALLOW_UNIQUE_SEGMENT_FOR_SECTIONS", "UNIQUE_SEGMENT_FOR_SECTIONS",
	"GET_SYMBOLS_V3", "GET_INPUT_SECTION_ALIGNMENT",
	"GET_INPUT_SECTION_SIZE", "REGISTER_NEW_INPUT_HOOK",
	"GET_WRAP_SYMBOLS", "ADD_SYMBOLS_V2", "GET_API_VERSION",
	"REGISTER_CLAIM_FILE_HOOK_V2",
};

static void put_linker(struct buf *b)
{
	char exe[PATH_MAX], sha[65] = "";
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int fd, first = 1;
	struct stat st;

	puts_(b, "\"linker\":{");
	if (n > 0) {
		exe[n] = '\0';
		puts_(b, "\"exe\":");
		put_json_string(b, exe);
		puts_(b, ",");
		fd = open(exe, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (fstat(fd, &st) == 0)
				sha256_range(fd, 0, (long long)st.st_size, sha);
			close(fd);
		}
		if (sha[0])
			putf(b, "\"sha256\":\"%s\",", sha);
	}
	if (g.gnu_ld_version >= 0)
		putf(b, "\"gnuLdVersion\":%d,", g.gnu_ld_version);
	if (g.gold_version >= 0)
		putf(b, "\"goldVersion\":%d,", g.gold_version);
	if (g.api_version >= 0)
		putf(b, "\"pluginApiVersion\":%d,", g.api_version);
	puts_(b, "\"tags\":[");
	for (int t = 1; t < 64; t++) {
		if (!(g.tags_seen & ((uint64_t)1 << t)))
			continue;
		if (!first)
			puts_(b, ",");
		first = 0;
		if (t < PVLD_TAG_COUNT_KNOWN)
			putf(b, "\"%s\"", tag_names[t]);
		else
			putf(b, "\"%d\"", t);
	}
	/* Everything mapped executable: the linker's libraries and the
	 * plugins, each with its SHA-256. */
	puts_(b, "],\"loaded\":[");
	for (size_t i = 0; i < g.nmapped; i++) {
		if (i)
			puts_(b, ",");
		puts_(b, "{\"path\":");
		put_json_string(b, g.mapped[i]);
		sha[0] = '\0';
		fd = open(g.mapped[i], O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (fstat(fd, &st) == 0)
				sha256_range(fd, 0, (long long)st.st_size, sha);
			close(fd);
		}
		if (sha[0])
			putf(b, ",\"sha256\":\"%s\"", sha);
		puts_(b, "}");
	}
	puts_(b, "]}");
}

static void put_input(struct buf *b, const struct input *in)
{
	puts_(b, "{\"name\":");
	put_json_string(b, in->name);
	putf(b, ",\"seq\":%u,\"calls\":%u,\"offset\":%lld,\"size\":%lld",
	    in->seq, in->calls, in->offset, in->size);
	putf(b, ",\"kind\":\"%s\"", in->kind);
	if (in->sha256[0])
		putf(b, ",\"sha256\":\"%s\"", in->sha256);
	if (in->offset > 0) {
		if (in->archive_sha256[0])
			putf(b, ",\"archiveSha256\":\"%s\"",
			    in->archive_sha256);
		if (in->member) {
			puts_(b, ",\"member\":");
			put_json_string(b, in->member);
		} else {
			putf(b, ",\"memberError\":\"%s\"",
			    in->member_status == MEMBER_BSD ?
			    "BSD long name" : "no ar header before the data");
		}
	}
	if (in->soname) {
		puts_(b, ",\"soname\":");
		put_json_string(b, in->soname);
	}
	if (in->lto)
		puts_(b, ",\"lto\":true");
	if (in->dynamic && strcmp(in->kind, "dyn") == 0 && g.output_exists &&
	    g.output.dynamic)
		putf(b, ",\"inOutputNeeded\":%s",
		    in_output_needed(in) ? "true" : "false");
	putf(b, ",\"compileRecords\":%d", in->compile_notes);
	if (in->after_asr)
		puts_(b, ",\"afterAllSymbolsRead\":true");
	if (in->new_input)
		puts_(b, ",\"newInputHook\":true");
	if (in->added)
		puts_(b, ",\"added\":true");
	if (in->error) {
		puts_(b, ",\"error\":");
		put_json_string(b, in->error);
	}
	puts_(b, "}");
}

static const char *output_type_name(int t)
{
	switch (t) {
	case PVLD_OUT_REL: return "rel";
	case PVLD_OUT_EXEC: return "exec";
	case PVLD_OUT_DYN: return "dyn";
	case PVLD_OUT_PIE: return "pie";
	default: return "unknown";
	}
}

static int write_manifest(void)
{
	struct buf b = { 0 };
	char cwd[PATH_MAX], *tmp;
	mode_t mask;
	int fd, rc = -1;

	puts_(&b, "{");
	putf(&b, "\"version\":%d,", MANIFEST_VERSION);
	putf(&b, "\"phase\":\"%s\",", g.phase);
	puts_(&b, "\"plugin\":{\"version\":\"" PROVCC_VERSION "\",\"options\":[");
	for (size_t i = 0; i < g.noptions; i++) {
		if (i)
			puts_(&b, ",");
		put_json_string(&b, g.options[i]);
	}
	puts_(&b, "]},");
	if (getcwd(cwd, sizeof(cwd))) {
		puts_(&b, "\"cwd\":");
		put_json_string(&b, cwd);
		puts_(&b, ",");
	}
	put_linker(&b);
	puts_(&b, ",\"output\":{");
	if (g.output_name) {
		puts_(&b, "\"name\":");
		put_json_string(&b, g.output_name);
		puts_(&b, ",");
	}
	putf(&b, "\"type\":\"%s\",", output_type_name(g.output_type));
	putf(&b, "\"exists\":%s", g.output_exists ? "true" : "false");
	if (g.output_exists) {
		const struct input *o = &g.output;

		putf(&b, ",\"size\":%lld,\"kind\":\"%s\"", o->size, o->kind);
		if (o->sha256[0])
			putf(&b, ",\"sha256\":\"%s\"", o->sha256);
		if (o->soname) {
			puts_(&b, ",\"soname\":");
			put_json_string(&b, o->soname);
		}
		if (o->dynamic) {
			puts_(&b, ",\"needed\":[");
			for (size_t i = 0; i < o->nneeded; i++) {
				if (i)
					puts_(&b, ",");
				put_json_string(&b, o->needed[i]);
			}
			puts_(&b, "]");
		}
		putf(&b, ",\"compileRecords\":%d", o->compile_notes);
	}
	puts_(&b, "},");
	putf(&b, "\"allSymbolsRead\":%s,", g.all_symbols_read ? "true" : "false");
	putf(&b, "\"complete\":%s,", g.oom ? "false" : "true");
	puts_(&b, "\"inputs\":[");
	for (size_t i = 0; i < g.ninputs; i++) {
		if (i)
			puts_(&b, ",");
		put_input(&b, &g.inputs[i]);
	}
	puts_(&b, "]}\n");
	if (b.failed) {
		warn("out of memory writing the manifest");
		free(b.p);
		return -1;
	}

	if (asprintf(&tmp, "%s.XXXXXX", g.out) < 0) {
		free(b.p);
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		warn("cannot create a temporary file beside %s: %s", g.out,
		    strerror(errno));
		goto out;
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	for (size_t done = 0; done < b.len;) {
		ssize_t n = write(fd, b.p + done, b.len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			warn("cannot write %s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		done += (size_t)n;
	}
	if (close(fd) < 0 || rename(tmp, g.out) < 0) {
		warn("cannot write %s: %s", g.out, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(b.p);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The all-symbols-read handshake (-plugin-opt=sync=RFD,WFD)           */

/*
 * provcc runs the linker as its child, with this plugin first, and wants
 * to add an object it builds from what the link uses (a provenance note
 * in an allocated section).  The only moment a plugin may add an input
 * is the all-symbols-read hook, so there the plugin writes the manifest
 * so far (phase "allSymbolsRead"), says "ready\n" on WFD and waits for
 * one line on RFD: "add PATH", "none" or "fail".  Anything but "add"
 * that worked or "none" stops the link: provcc asked for the note, and
 * an output without it would be a wrong answer, not a degraded one.
 */

#define SYNC_LINE_MAX 4096

/* A descriptor given with sync=: open, a pipe or socket (so that it is
 * not one of the linker's own files that happens to have that number),
 * and open for reading (or writing).  Marked close-on-exec, so that the
 * LTO plugin's lto-wrapper and its children do not hold the parent's
 * pipe open. */
static int sync_fd_ok(int fd, int for_write)
{
	struct stat st;
	int fl, fdfl;

	if ((fdfl = fcntl(fd, F_GETFD)) < 0 || fstat(fd, &st) < 0 ||
	    (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode)) ||
	    (fl = fcntl(fd, F_GETFL)) < 0)
		return 0;
	fl &= O_ACCMODE;
	if (fl != O_RDWR && fl != (for_write ? O_WRONLY : O_RDONLY))
		return 0;
	return fcntl(fd, F_SETFD, fdfl | FD_CLOEXEC) == 0;
}

static int parse_fd(const char *s, const char **end)
{
	long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		if (v > INT_MAX)
			return -1;
	}
	*end = s;
	return (int)v;
}

/* Take sync=RFD,WFD; a bad value means no handshake, and the link goes
 * on as without the option. */
static void setup_sync(void)
{
	const char *p = g.sync_opt, *end;
	int rfd, wfd;

	if (!p)
		return;
	if ((rfd = parse_fd(p, &end)) < 0 || *end != ',' ||
	    (wfd = parse_fd(end + 1, &end)) < 0 || *end != '\0') {
		warn("bad option 'sync=%s' (want sync=RFD,WFD): no handshake",
		    p);
		return;
	}
	if (!sync_fd_ok(rfd, 0)) {
		warn("option 'sync=%s': descriptor %d is not a pipe open for "
		    "reading: no handshake", p, rfd);
		return;
	}
	if (!sync_fd_ok(wfd, 1)) {
		warn("option 'sync=%s': descriptor %d is not a pipe open for "
		    "writing: no handshake", p, wfd);
		return;
	}
	g.sync_rfd = rfd;
	g.sync_wfd = wfd;
}

/* Write all of LEN bytes to FD.  If the parent has gone the write fails
 * with EPIPE and raises SIGPIPE, which would kill the linker before its
 * cleanup (leaving ld.bfd's half-made output behind): SIGPIPE is blocked
 * around the write and one it raised is taken before unblocking. */
static int write_all_nosigpipe(int fd, const char *p, size_t len)
{
	sigset_t pipeset, old, pending;
	struct timespec zero = { 0, 0 };
	int was_pending, err = 0;

	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	if (pthread_sigmask(SIG_BLOCK, &pipeset, &old) != 0)
		return -1;
	was_pending = sigpending(&pending) == 0 &&
	    sigismember(&pending, SIGPIPE) == 1;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (err == EPIPE && !was_pending)
		while (sigtimedwait(&pipeset, NULL, &zero) < 0 &&
		    errno == EINTR)
			;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return err ? -1 : 0;
}

/* Read one line from FD into BUF (SYNC_LINE_MAX + 1 bytes), without the
 * newline.  Byte by byte, so nothing after the newline is consumed.
 * Returns its length, -1 on error, -2 at end of file before a newline,
 * -3 if it is too long. */
static ssize_t read_line(int fd, char *buf)
{
	size_t len = 0;

	for (;;) {
		ssize_t n = read(fd, buf + len, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return -2;
		if (buf[len] == '\n')
			break;
		if (++len == SYNC_LINE_MAX)
			return -3;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

static void sync_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* The handshake failed: say why (on stderr, like warn), unless the
 * parent said "fail" and reports it itself (FMT NULL). */
static void sync_error(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "provcc-ld: error: %s\n", buf);
}

/* Stop the link.  ld.bfd fails it when the hook returns an error (with
 * "plugin reported error after all symbols read"); gold ignores what
 * the all-symbols-read hooks return, so it is told through the message
 * callback at the fatal level, which makes it exit at once after the
 * cleanup hooks (and remove the output).  Never called with the lock
 * held: both exits run our cleanup hook. */
static enum pvld_status fail_link(void)
{
	if (g.gold_version >= 0 && g.message)
		g.message(PVLD_FATAL, "%s",
		    "provcc-ld: link stopped at all-symbols-read");
	return PVLD_ERR;
}

/* Printable form of a bad reply, for the error message. */
static const char *shown(char *line)
{
	size_t n = 0;

	for (char *p = line; *p && n < 60; p++, n++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	line[n] = '\0';
	return line;
}

/* Record the object the linker was told to add, as the linker would
 * show it.  ld.bfd never offers it to a claim-file hook (it marks
 * plugin-added files as LTO output), gold only to the new-input hook;
 * either offer then finds this entry (calls, newInputHook).  If it
 * cannot be opened the linker fails on it, with its own message. */
static void record_added(const char *path)
{
	struct pvld_input_file f = { .name = path, .fd = -1 };
	struct input *in;
	struct stat st;

	if ((f.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	pthread_mutex_lock(&g.lock);
	if (fstat(f.fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    !find_input(path, 0)) {
		f.filesize = st.st_size;
		record_input(&f, 0);
		if ((in = find_input(path, 0)))
			in->calls = 0;
	}
	pthread_mutex_unlock(&g.lock);
	close(f.fd);
}

static enum pvld_status handshake(void)
{
	char line[SYNC_LINE_MAX + 1];
	ssize_t n;
	char *path;

	if (write_all_nosigpipe(g.sync_wfd, "ready\n", 6) < 0) {
		sync_error("cannot write to the sync pipe (descriptor %d): %s",
		    g.sync_wfd, strerror(errno));
		return fail_link();
	}
	if ((n = read_line(g.sync_rfd, line)) < 0) {
		if (n == -1)
			sync_error("cannot read the sync pipe (descriptor %d): "
			    "%s", g.sync_rfd, strerror(errno));
		else if (n == -2)
			sync_error("no reply on the sync pipe (descriptor %d)",
			    g.sync_rfd);
		else
			sync_error("reply on the sync pipe longer than %d "
			    "bytes", SYNC_LINE_MAX);
		return fail_link();
	}
	if (strcmp(line, "none") == 0)
		return PVLD_OK;
	if (strcmp(line, "fail") == 0)
		return fail_link();
	if (strncmp(line, "add /", 5) != 0 || strlen(line) != (size_t)n) {
		sync_error("bad reply on the sync pipe: '%s'", shown(line));
		return fail_link();
	}
	if (!g.add_input_file) {
		sync_error("the linker cannot add input files "
		    "(no LDPT_ADD_INPUT_FILE)");
		return fail_link();
	}
	if (!(path = strdup(line + 4))) {
		sync_error("out of memory");
		return fail_link();
	}
	pthread_mutex_lock(&g.lock);
	free(g.added);
	g.added = path;
	pthread_mutex_unlock(&g.lock);
	if (g.add_input_file(path) != PVLD_OK) {
		sync_error("the linker refused to add %s", path);
		return fail_link();
	}
	record_added(path);
	return PVLD_OK;
}

/* At all-symbols-read the linker knows every input (bar the objects
 * LTO will generate and the archive members they pull in).  With sync=
 * this is where the manifest so far is handed to the parent. */
static enum pvld_status all_symbols_read(void)
{
	int sync;

	pthread_mutex_lock(&g.lock);
	sync = g.sync_rfd >= 0 && !g.handshake_done;
	g.handshake_done = 1;
	g.all_symbols_read = 1;
	note_mapped_objects();
	if (sync && g.out) {
		/* A manifest that cannot be written is only warned about:
		 * the parent finds it missing, or of the wrong phase, and
		 * decides. */
		g.phase = "allSymbolsRead";
		write_manifest();
		g.phase = "cleanup";
	}
	pthread_mutex_unlock(&g.lock);
	/* Unlocked: the linker may call our cleanup hook from within
	 * fail_link(), and the parent may take its time. */
	return sync ? handshake() : PVLD_OK;
}

static enum pvld_status cleanup(void)
{
	pthread_mutex_lock(&g.lock);
	if (g.out && !g.written) {
		g.written = 1;
		note_mapped_objects();
		inspect_output();
		write_manifest();
	}
	for (size_t i = 0; i < g.ninputs; i++) {
		free(g.inputs[i].name);
		free(g.inputs[i].member);
		free(g.inputs[i].soname);
		free(g.inputs[i].error);
	}
	for (size_t i = 0; i < g.nmapped; i++)
		free(g.mapped[i]);
	free(g.mapped);
	g.mapped = NULL;
	g.nmapped = 0;
	for (size_t i = 0; i < g.output.nneeded; i++)
		free(g.output.needed[i]);
	free(g.output.needed);
	free(g.output.soname);
	memset(&g.output, 0, sizeof(g.output));
	free(g.inputs);
	g.inputs = NULL;
	g.ninputs = g.cap_inputs = 0;
	for (size_t i = 0; i < g.narchives; i++) {
		free(g.archives[i].name);
		free(g.archives[i].longnames);
	}
	free(g.archives);
	g.archives = NULL;
	g.narchives = g.cap_archives = 0;
	free(g.added);
	g.added = NULL;
	/* The parent sees end of file: the linker is done with it. */
	if (g.sync_rfd >= 0)
		close(g.sync_rfd);
	if (g.sync_wfd >= 0 && g.sync_wfd != g.sync_rfd)
		close(g.sync_wfd);
	g.sync_rfd = g.sync_wfd = -1;
	pthread_mutex_unlock(&g.lock);
	return PVLD_OK;
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */

static void take_option(const char *opt)
{
	char **p = realloc(g.options, (g.noptions + 1) * sizeof(*p));

	if (!p || !(p[g.noptions] = strdup(opt))) {
		g.oom = 1;
		if (p)
			g.options = p;
		return;
	}
	g.options = p;
	g.noptions++;
	if (strncmp(opt, "out=", 4) == 0 && opt[4]) {
		free(g.out);
		g.out = xstrdup_or_oom(opt + 4);
	} else if (strcmp(opt, "hash=no") == 0) {
		g.no_hash = 1;
	} else if (strncmp(opt, "sync=", 5) == 0) {
		free(g.sync_opt);
		g.sync_opt = xstrdup_or_oom(opt + 5);
	} else if (!g.unknown_option) {
		g.unknown_option = xstrdup_or_oom(opt);
	}
}

PVLD_EXPORT enum pvld_status onload(struct pvld_tv *tv);

PVLD_EXPORT enum pvld_status onload(struct pvld_tv *tv)
{
	pvld_register_claim_file_fn reg_claim = NULL;
	pvld_register_all_symbols_read_fn reg_asr = NULL;
	pvld_register_cleanup_fn reg_cleanup = NULL;
	pvld_register_new_input_fn reg_new_input = NULL;

	for (; tv->tag != PVLD_TAG_NULL; tv++) {
		if (tv->tag > 0 && tv->tag < 64)
			g.tags_seen |= (uint64_t)1 << tv->tag;
		switch (tv->tag) {
		case PVLD_TAG_API_VERSION:
			g.api_version = tv->u.val;
			break;
		case PVLD_TAG_GOLD_VERSION:
			g.gold_version = tv->u.val;
			break;
		case PVLD_TAG_GNU_LD_VERSION:
			g.gnu_ld_version = tv->u.val;
			break;
		case PVLD_TAG_LINKER_OUTPUT:
			g.output_type = tv->u.val;
			break;
		case PVLD_TAG_OUTPUT_NAME:
			g.output_name = tv->u.string;
			break;
		case PVLD_TAG_OPTION:
			take_option(tv->u.string);
			break;
		case PVLD_TAG_REGISTER_CLAIM_FILE_HOOK:
			reg_claim = tv->u.register_claim_file;
			break;
		case PVLD_TAG_REGISTER_ALL_SYMBOLS_READ_HOOK:
			reg_asr = tv->u.register_all_symbols_read;
			break;
		case PVLD_TAG_REGISTER_CLEANUP_HOOK:
			reg_cleanup = tv->u.register_cleanup;
			break;
		case PVLD_TAG_REGISTER_NEW_INPUT_HOOK:
			reg_new_input = tv->u.register_new_input;
			break;
		case PVLD_TAG_ADD_INPUT_FILE:
			g.add_input_file = tv->u.add_input_file;
			break;
		case PVLD_TAG_MESSAGE:
			g.message = tv->u.message;
			break;
		default:
			break;
		}
	}
	if (g.unknown_option)
		warn("unknown option '%s' ignored", g.unknown_option);
	setup_sync();
	if (g.sync_rfd >= 0 && (!g.out || !reg_asr)) {
		warn("%s: no handshake", !g.out ? "sync= needs out=" :
		    "the linker offers no all-symbols-read hook");
		g.sync_rfd = g.sync_wfd = -1;
	}
	if (!g.out) {
		warn("no -plugin-opt=out=FILE given; recording nothing");
		return PVLD_OK;
	}
	/* Without a claim-file or cleanup hook there is nothing to record or
	 * no moment to write it: say so, but never fail the link. */
	if (!reg_claim || !reg_cleanup) {
		warn("the linker offers no %s hook; recording nothing",
		    !reg_claim ? "claim-file" : "cleanup");
		free(g.out);
		g.out = NULL;
		return PVLD_OK;
	}
	if (reg_claim(claim_file) != PVLD_OK ||
	    reg_cleanup(cleanup) != PVLD_OK) {
		warn("the linker refused a hook; recording nothing");
		free(g.out);
		g.out = NULL;
		return PVLD_OK;
	}
	if (reg_asr)
		reg_asr(all_symbols_read);
	if (reg_new_input)
		reg_new_input(new_input);
	note_mapped_objects();
	return PVLD_OK;
}
