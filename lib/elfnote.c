/* elfnote.c - write and find provenance notes in ELF files with libelf.
 */
#define _GNU_SOURCE
#include "elfnote.h"
#include "note.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SHF_EXCLUDE
#define SHF_EXCLUDE (1U << 31)
#endif

static int libelf_ready(void)
{
	static int ready = -1;

	if (ready < 0)
		ready = elf_version(EV_CURRENT) != EV_NONE;
	return ready;
}

static Elf_Scn *find_section(Elf *e, size_t shstrndx, const char *name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e, scn)) != NULL) {
		const char *n;

		if (!gelf_getshdr(scn, &sh))
			return NULL;
		n = elf_strptr(e, shstrndx, sh.sh_name);
		if (n && strcmp(n, name) == 0)
			return scn;
	}
	return NULL;
}

/* Append NAME to the section name table; returns its offset or 0. */
static size_t add_section_name(Elf *e, size_t shstrndx, const char *name,
    char **keep)
{
	Elf_Scn *scn = elf_getscn(e, shstrndx);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	size_t off, n = strlen(name) + 1;
	char *buf;

	if (!d || elf_getdata(scn, d) != NULL)
		return 0;	/* one data block expected */
	off = d->d_size;
	buf = pv_xmalloc(off + n);
	memcpy(buf, d->d_buf, off);
	memcpy(buf + off, name, n);
	d->d_buf = buf;
	d->d_size = off + n;
	*keep = buf;
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	return off;
}

static int put_note_in(Elf *e, const char *secname, const unsigned char *note,
    size_t notelen, char **keep, const char **why)
{
	size_t shstrndx;
	Elf_Scn *scn;
	Elf_Data *d;
	GElf_Shdr sh;

	if (elf_kind(e) != ELF_K_ELF) {
		*why = "not an ELF file";
		return -1;
	}
	if (elf_getshdrstrndx(e, &shstrndx) < 0) {
		*why = "no section name table";
		return -1;
	}
	scn = find_section(e, shstrndx, secname);
	if (!scn) {
		size_t name = add_section_name(e, shstrndx, secname, keep);

		if (name == 0 || (scn = elf_newscn(e)) == NULL ||
		    !gelf_getshdr(scn, &sh)) {
			*why = "cannot add a section";
			return -1;
		}
		sh.sh_name = name;
		sh.sh_type = SHT_NOTE;
		sh.sh_flags = SHF_EXCLUDE;
		sh.sh_addralign = 4;
		gelf_update_shdr(scn, &sh);
	}
	d = elf_getdata(scn, NULL);
	if (!d)
		d = elf_newdata(scn);
	if (!d) {
		*why = "cannot add section data";
		return -1;
	}
	d->d_buf = (void *)note;
	d->d_size = notelen;
	d->d_type = ELF_T_BYTE;
	d->d_align = 4;
	d->d_version = EV_CURRENT;
	d->d_off = 0;
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	if (elf_update(e, ELF_C_WRITE) < 0) {
		*why = elf_errmsg(-1);
		return -1;
	}
	return 0;
}

static int write_copy(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* --- in place ------------------------------------------------------------
 *
 * A compiler's object gets its note without a copy: the new section-name
 * table, the note and a new section header table (the old headers plus
 * one) are appended after the last byte, and only then does one write
 * of the ELF header point e_shoff and e_shnum at them.  Until that write
 * the file is the compiler's object with bytes past its end that nothing
 * refers to; after it, the object with the note.  If appending fails,
 * the file is cut back to its old length.  The old section-name table
 * and headers stay behind as unreferenced bytes.
 *
 * Copying through a temporary file and renaming it over the object cost
 * about a millisecond per compile on ext4 (the rename over an existing
 * file flushes the new one, and freeing the old blocks is work too).
 * Objects this does not cover take the copy path below: another link to
 * the same inode (ccache's hard_link mode would see its cache entry
 * change), an existing note section to replace, extended section
 * numbering, anything but ET_REL. */

struct ehdr {
	unsigned char b[64];
	int is64, msb;
	uint64_t shoff;
	unsigned shentsize, shnum, shstrndx;
};

static uint64_t get_n(const unsigned char *p, int n, int msb)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[msb ? n - 1 - i : i] << (8 * i);
	return v;
}

static void put_n(unsigned char *p, int n, int msb, uint64_t v)
{
	int i;

	for (i = 0; i < n; i++)
		p[msb ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* Offsets and sizes of the fields used here, by class. */
#define E_SHOFF(h)	((h)->is64 ? 0x28 : 0x20)
#define E_SHNUM(h)	((h)->is64 ? 0x3c : 0x30)
#define E_ADDR(h)	((h)->is64 ? 8 : 4)
#define SH_FLAGS	8
#define SH_OFFSET(h)	((h)->is64 ? 24 : 16)
#define SH_SIZE(h)	((h)->is64 ? 32 : 20)
#define SH_ALIGN(h)	((h)->is64 ? 48 : 32)

/* The ELF header, when it is one this path handles. */
static int read_ehdr(int fd, uint64_t filesize, struct ehdr *h)
{
	const unsigned char *b = h->b;
	unsigned ehsize;

	if (pread(fd, h->b, sizeof(h->b), 0) != (ssize_t)sizeof(h->b) ||
	    memcmp(b, ELFMAG, SELFMAG) != 0 || b[EI_VERSION] != EV_CURRENT ||
	    (b[EI_CLASS] != ELFCLASS32 && b[EI_CLASS] != ELFCLASS64) ||
	    (b[EI_DATA] != ELFDATA2LSB && b[EI_DATA] != ELFDATA2MSB))
		return -1;
	h->is64 = b[EI_CLASS] == ELFCLASS64;
	h->msb = b[EI_DATA] == ELFDATA2MSB;
	ehsize = h->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	h->shoff = get_n(b + E_SHOFF(h), E_ADDR(h), h->msb);
	h->shentsize = (unsigned)get_n(b + E_SHNUM(h) - 2, 2, h->msb);
	h->shnum = (unsigned)get_n(b + E_SHNUM(h), 2, h->msb);
	h->shstrndx = (unsigned)get_n(b + E_SHNUM(h) + 2, 2, h->msb);
	if (get_n(b + 16, 2, h->msb) != ET_REL ||
	    get_n(b + E_SHNUM(h) - 8, 2, h->msb) != ehsize ||
	    h->shentsize != (h->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)))
		return -1;
	/* Extended numbering (e_shnum 0, SHN_XINDEX) is left to libelf. */
	if (h->shnum == 0 || h->shnum + 1 >= SHN_LORESERVE ||
	    h->shstrndx == 0 || h->shstrndx >= h->shnum ||
	    h->shoff < ehsize || h->shoff > filesize ||
	    (uint64_t)h->shnum * h->shentsize > filesize - h->shoff)
		return -1;
	return 0;
}

static int has_section(const unsigned char *shdrs, const struct ehdr *h,
    const char *names, size_t nameslen, const char *secname)
{
	size_t i, n = strlen(secname) + 1;

	for (i = 0; i < h->shnum; i++) {
		uint64_t name = get_n(shdrs + i * h->shentsize, 4, h->msb);

		if (name < nameslen && nameslen - name >= n &&
		    memcmp(names + name, secname, n) == 0)
			return 1;
	}
	return 0;
}

static uint64_t align_up(uint64_t n, uint64_t a)
{
	return (n + a - 1) & ~(a - 1);
}

/* The bytes to append at END: names, note, headers. */
static unsigned char *build_tail(const struct ehdr *h, unsigned char *shdrs,
    const char *names, size_t nameslen, const char *secname,
    const unsigned char *note, size_t notelen, uint64_t end,
    uint64_t *taillen, uint64_t *newshoff)
{
	size_t namelen = strlen(secname) + 1, es = h->shentsize;
	uint64_t noteoff = align_up(end + nameslen + namelen, 4);
	uint64_t shoff = align_up(noteoff + notelen, h->is64 ? 8 : 4);
	unsigned char *t, *str, *sh;

	*taillen = shoff + (uint64_t)(h->shnum + 1) * es - end;
	*newshoff = shoff;
	t = pv_xcalloc(1, *taillen);
	memcpy(t, names, nameslen);
	memcpy(t + nameslen, secname, namelen);
	memcpy(t + (noteoff - end), note, notelen);
	str = shdrs + (size_t)h->shstrndx * es;
	put_n(str + SH_OFFSET(h), E_ADDR(h), h->msb, end);
	put_n(str + SH_SIZE(h), E_ADDR(h), h->msb, nameslen + namelen);
	memcpy(t + (shoff - end), shdrs, (size_t)h->shnum * es);
	sh = t + (shoff - end) + (size_t)h->shnum * es;
	put_n(sh, 4, h->msb, nameslen);			/* sh_name */
	put_n(sh + 4, 4, h->msb, SHT_NOTE);
	put_n(sh + SH_FLAGS, E_ADDR(h), h->msb, SHF_EXCLUDE);
	put_n(sh + SH_OFFSET(h), E_ADDR(h), h->msb, noteoff);
	put_n(sh + SH_SIZE(h), E_ADDR(h), h->msb, notelen);
	put_n(sh + SH_ALIGN(h), E_ADDR(h), h->msb, 4);
	return t;
}

static int pwrite_all(int fd, const unsigned char *buf, size_t len,
    uint64_t off)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Append the tail, then switch the header to it; on failure the file is
 * cut back to END and keeps its old header. */
static int append_and_switch(int fd, struct ehdr *h, const unsigned char *tail,
    uint64_t taillen, uint64_t end, uint64_t newshoff, const char **why)
{
	unsigned char old[sizeof(h->b)];

	memcpy(old, h->b, sizeof(old));
	put_n(h->b + E_SHOFF(h), E_ADDR(h), h->msb, newshoff);
	put_n(h->b + E_SHNUM(h), 2, h->msb, h->shnum + 1);
	if (pwrite_all(fd, tail, (size_t)taillen, end) == 0 &&
	    pwrite_all(fd, h->b, sizeof(h->b), 0) == 0)
		return 0;
	*why = strerror(errno);
	if (pwrite_all(fd, old, sizeof(old), 0) < 0 ||
	    ftruncate(fd, (off_t)end) < 0)
		*why = "cannot restore the object after a failed write";
	return -1;
}

/* Returns 0 when done, -1 on failure (reason in *why), 1 when the object
 * is not one this path handles. */
static int put_note_in_place(const char *path, const char *secname,
    unsigned type, const unsigned char *desc, size_t desclen,
    const char **why)
{
	unsigned char *shdrs = NULL, *note = NULL, *tail = NULL, *str;
	char *names = NULL;
	uint64_t nameoff, nameslen, taillen, newshoff;
	size_t shlen, notelen;
	struct ehdr h;
	struct stat st;
	int fd, rc = 1;

	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    read_ehdr(fd, (uint64_t)st.st_size, &h) < 0)
		goto out;
	shlen = (size_t)h.shnum * h.shentsize;
	shdrs = pv_xmalloc(shlen);
	if (pread(fd, shdrs, shlen, (off_t)h.shoff) != (ssize_t)shlen)
		goto out;
	str = shdrs + (size_t)h.shstrndx * h.shentsize;
	nameoff = get_n(str + SH_OFFSET(&h), E_ADDR(&h), h.msb);
	nameslen = get_n(str + SH_SIZE(&h), E_ADDR(&h), h.msb);
	if (get_n(str + 4, 4, h.msb) != SHT_STRTAB ||
	    nameoff > (uint64_t)st.st_size ||
	    nameslen > (uint64_t)st.st_size - nameoff)
		goto out;
	names = pv_xmalloc((size_t)nameslen + 1);
	if (pread(fd, names, (size_t)nameslen, (off_t)nameoff) !=
	    (ssize_t)nameslen ||
	    has_section(shdrs, &h, names, (size_t)nameslen, secname))
		goto out;
	if (pv_note_build(type, desc, desclen, h.msb, &note, &notelen) < 0)
		goto out;
	tail = build_tail(&h, shdrs, names, (size_t)nameslen, secname, note,
	    notelen, (uint64_t)st.st_size, &taillen, &newshoff);
	rc = append_and_switch(fd, &h, tail, taillen, (uint64_t)st.st_size,
	    newshoff, why);
out:
	if (close(fd) < 0 && rc == 0) {
		*why = strerror(errno);
		rc = -1;
	}
	free(tail);
	free(note);
	free(names);
	free(shdrs);
	return rc;
}

/* --- through a copy ------------------------------------------------------ */

static int put_note_by_copy(const char *path, const char *secname,
    unsigned type, const unsigned char *desc, size_t desclen,
    const char **why)
{
	unsigned char *orig = NULL, *note = NULL;
	char *tmp = NULL, *names = NULL;
	size_t origlen, notelen;
	struct stat st;
	Elf *e = NULL;
	int fd = -1, rc = -1;

	if (!libelf_ready()) {
		*why = "libelf is unusable";
		return -1;
	}
	if (stat(path, &st) < 0 || pv_read_file(path, &orig, &origlen) < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (origlen >= 4 && (memcmp(orig, "BC\xc0\xde", 4) == 0 ||
	    memcmp(orig, "\xde\xc0\x17\x0b", 4) == 0)) {
		*why = "LLVM bitcode (clang -flto) has no place for an ELF note";
		goto out;
	}
	if (origlen < EI_NIDENT || memcmp(orig, ELFMAG, SELFMAG) != 0) {
		*why = "not an ELF file";
		goto out;
	}
	pv_note_build(type, desc, desclen, orig[EI_DATA] == ELFDATA2MSB,
	    &note, &notelen);
	tmp = pv_xasprintf("%s.provcc-XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0 || write_copy(fd, orig, origlen) < 0) {
		*why = strerror(errno);
		goto out;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		*why = strerror(errno);
		goto out;
	}
	e = elf_begin(fd, ELF_C_RDWR, NULL);
	if (!e) {
		*why = elf_errmsg(-1);
		goto out;
	}
	if (put_note_in(e, secname, note, notelen, &names, why) < 0)
		goto out;
	elf_end(e);
	e = NULL;
	if (fchmod(fd, st.st_mode & 07777) < 0 || close(fd) < 0) {
		fd = -1;
		*why = strerror(errno);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		*why = strerror(errno);
		goto out;
	}
	rc = 0;
out:
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
	if (rc < 0 && tmp)
		unlink(tmp);
	free(tmp);
	free(names);
	free(note);
	free(orig);
	return rc;
}

int pv_elf_put_note(const char *path, const char *secname, unsigned type,
    const unsigned char *desc, size_t desclen, const char **why)
{
	int rc = put_note_in_place(path, secname, type, desc, desclen, why);

	if (rc <= 0)
		return rc;
	return put_note_by_copy(path, secname, type, desc, desclen, why);
}

static int scan_elf_notes(Elf *e, const char *member, pv_note_fn on_note,
    void *ctx)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e, scn)) != NULL) {
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, next, name_off, desc_off;

		if (!gelf_getshdr(scn, &sh))
			return PV_SCAN_BAD_ELF;
		if (sh.sh_type != SHT_NOTE)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d)
			return PV_SCAN_BAD_ELF;
		while (off < d->d_size) {
			const char *name;

			next = gelf_getnote(d, off, &nh, &name_off, &desc_off);
			if (next == 0) {
				/* Less than a note header left is padding; a
				 * header that overruns the section is damage. */
				if (d->d_size - off >= 12)
					return PV_SCAN_BAD_NOTE;
				break;
			}
			name = (const char *)d->d_buf + name_off;
			if (nh.n_namesz == sizeof(PV_NOTE_OWNER) &&
			    memcmp(name, PV_NOTE_OWNER, nh.n_namesz) == 0 &&
			    on_note(ctx, member, nh.n_type,
			    (const unsigned char *)d->d_buf + desc_off,
			    nh.n_descsz))
				return PV_SCAN_OK;
			off = next;
		}
	}
	return PV_SCAN_OK;
}

static int scan_archive(int fd, Elf *ar, pv_elf_fn on_elf,
    pv_note_fn on_note, void *ctx)
{
	Elf_Cmd cmd = ELF_C_READ_MMAP;
	Elf *m;
	int rc = PV_SCAN_OK;

	while (rc == PV_SCAN_OK && (m = elf_begin(fd, cmd, ar)) != NULL) {
		Elf_Arhdr *h = elf_getarhdr(m);
		const char *name = h ? h->ar_name : "?";

		/* "/" and "//" are the symbol and long-name tables. */
		if (name[0] != '/' && elf_kind(m) == ELF_K_ELF) {
			if (on_elf)
				on_elf(ctx, name);
			rc = scan_elf_notes(m, name, on_note, ctx);
		}
		cmd = elf_next(m);
		elf_end(m);
	}
	return rc;
}

/* Thin archives ("ar T") hold only member names; the members are files
 * named relative to the archive.  libelf does not read them, so their
 * headers are walked here: 60-byte headers, "//" holds long names. */
#define THIN_MAGIC "!<thin>\n"

static char *thin_member_name(const char *hdr, const char *longnames,
    size_t longlen)
{
	size_t n = 16, off;
	const char *end;

	if (hdr[0] == '/' && hdr[1] >= '0' && hdr[1] <= '9' && longnames) {
		off = strtoul(hdr + 1, NULL, 10);
		if (off >= longlen)
			return NULL;
		end = memchr(longnames + off, '\n', longlen - off);
		n = end ? (size_t)(end - longnames - off) : longlen - off;
		if (n > 0 && longnames[off + n - 1] == '/')
			n--;
		return pv_xasprintf("%.*s", (int)n, longnames + off);
	}
	while (n > 0 && (hdr[n - 1] == ' ' || hdr[n - 1] == '/'))
		n--;
	return pv_xasprintf("%.*s", (int)n, hdr);
}

static int scan_elf_file(const char *path, const char *member,
    pv_elf_fn on_elf, pv_note_fn on_note, void *ctx);

static int scan_thin_archive(const char *path, const unsigned char *buf,
    size_t len, pv_elf_fn on_elf, pv_note_fn on_note, void *ctx)
{
	const char *longnames = NULL, *slash = strrchr(path, '/');
	size_t off = strlen(THIN_MAGIC), longlen = 0, size;
	int rc = PV_SCAN_OK;

	while (rc == PV_SCAN_OK && off + 60 <= len) {
		const char *hdr = (const char *)buf + off;
		char *name, *file;

		size = strtoul(hdr + 48, NULL, 10);
		off += 60;
		if (hdr[0] == '/' && (hdr[1] == ' ' || hdr[1] == '/')) {
			/* symbol table or long names: stored in the file */
			if (size > len - off)
				return PV_SCAN_BAD_ELF;
			if (hdr[1] == '/') {
				longnames = (const char *)buf + off;
				longlen = size;
			}
			off += size + (size & 1);
			continue;
		}
		name = thin_member_name(hdr, longnames, longlen);
		if (!name)
			return PV_SCAN_BAD_ELF;
		file = name[0] == '/' || !slash ? pv_xstrdup(name) :
		    pv_xasprintf("%.*s/%s", (int)(slash - path), path, name);
		rc = scan_elf_file(file, name, on_elf, on_note, ctx);
		free(file);
		free(name);
	}
	return rc;
}

int pv_elf_scan_notes(const char *path, pv_elf_fn on_elf, pv_note_fn on_note,
    void *ctx)
{
	char magic[sizeof(THIN_MAGIC) - 1];
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return PV_SCAN_UNREADABLE;
	got = read(fd, magic, sizeof(magic));
	close(fd);
	if (got == (ssize_t)sizeof(magic) &&
	    memcmp(magic, THIN_MAGIC, sizeof(magic)) == 0) {
		unsigned char *buf;
		size_t len;
		int rc;

		if (pv_read_file(path, &buf, &len) < 0)
			return PV_SCAN_UNREADABLE;
		rc = scan_thin_archive(path, buf, len, on_elf, on_note, ctx);
		free(buf);
		return rc;
	}
	return scan_elf_file(path, NULL, on_elf, on_note, ctx);
}

/* An ELF file or a regular archive; MEMBER names it inside a thin one. */
static int scan_elf_file(const char *path, const char *member,
    pv_elf_fn on_elf, pv_note_fn on_note, void *ctx)
{
	Elf *e;
	int fd, rc;

	if (!libelf_ready())
		return PV_SCAN_BAD_ELF;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return PV_SCAN_UNREADABLE;
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e) {
		close(fd);
		return PV_SCAN_BAD_ELF;
	}
	switch (elf_kind(e)) {
	case ELF_K_AR:
		rc = scan_archive(fd, e, on_elf, on_note, ctx);
		break;
	case ELF_K_ELF:
		if (on_elf)
			on_elf(ctx, member);
		rc = scan_elf_notes(e, member, on_note, ctx);
		break;
	default:
		rc = PV_SCAN_NOT_ELF;
	}
	elf_end(e);
	close(fd);
	return rc;
}

int pv_elf_scan_notes_mem(const void *img, size_t len, pv_note_fn on_note,
    void *ctx)
{
	Elf *e;
	int rc;

	if (!libelf_ready())
		return PV_SCAN_BAD_ELF;
	e = elf_memory((char *)img, len);
	if (!e)
		return PV_SCAN_BAD_ELF;
	rc = elf_kind(e) == ELF_K_ELF ? scan_elf_notes(e, NULL, on_note, ctx) :
	    PV_SCAN_NOT_ELF;
	elf_end(e);
	return rc;
}
