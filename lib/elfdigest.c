/* elfdigest.c - the strip-invariant digest of linked ELF files and the
 * provcc note finder; see elfdigest.h and docs/elf-digest.md.
 *
 * libelf parses the headers.  The digested bytes themselves are read
 * from the caller's image or from the file, never through libelf, whose
 * copies may have been converted to the host's byte order.
 */
#define _GNU_SOURCE
#include "elfdigest.h"
#include "provcc/provcc.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define CHUNK (64u << 10)	/* bytes hashed per read */

/* Where the digested bytes come from: the caller's image, or a file. */
struct src {
	const unsigned char *mem;	/* NULL: read fd */
	int fd;
	uint64_t size;
};

/* The headers the digest needs, checked against the file size. */
struct layout {
	GElf_Ehdr eh;
	size_t phnum;
	GElf_Phdr *ph;
};

/* Notes of the wanted type found so far. */
struct found {
	int n;			/* distinct notes, counted up to 2 */
	struct pv_byte_range note;	/* the first, header to desc end */
	struct pv_byte_range desc;	/* the first one's descriptor */
};

/* SHA-256 of the digested message, with the first failure remembered
 * so that the serialisation below need not check every call. */
struct msg {
	EVP_MD_CTX *ctx;
	int ok;
};

typedef int (*elf_fn)(Elf *e, const struct src *s, void *arg,
    const char **why);

static char whybuf[200];

__attribute__((format(printf, 1, 2)))
static const char *whyf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(whybuf, sizeof(whybuf), fmt, ap);
	va_end(ap);
	return whybuf;
}

static int libelf_ready(void)
{
	static int ready = -1;

	if (ready < 0)
		ready = elf_version(EV_CURRENT) != EV_NONE;
	return ready;
}

static int src_read(const struct src *s, uint64_t off, unsigned char *buf,
    size_t len, const char **why)
{
	size_t done = 0;

	if (off > s->size || len > s->size - off) {
		*why = "read past the end of the file";
		return -1;
	}
	if (s->mem) {
		memcpy(buf, s->mem + off, len);
		return 0;
	}
	while (done < len) {
		ssize_t n = pread(s->fd, buf + done, len - done,
		    (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = strerror(errno);
			return -1;
		}
		if (n == 0) {
			*why = "the file shrank while being read";
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/* Whether LEN bytes at OFF lie within the first SIZE bytes. */
static int within(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static int digested_segment(const GElf_Phdr *ph)
{
	/* PT_NULL entries are unused; their other fields mean nothing. */
	return ph->p_type != PT_NULL && ph->p_filesz > 0;
}

static int check_ehdr(Elf *e, const GElf_Ehdr *eh, uint64_t size,
    const char **why)
{
	if (eh->e_ehsize != gelf_fsize(e, ELF_T_EHDR, 1, EV_CURRENT)) {
		*why = "e_ehsize is not the size of an ELF header";
		return -1;
	}
	if (eh->e_phnum == 0) {
		*why = "no program headers: not a linked ELF file";
		return -1;
	}
	/* The real count would be in section 0, which is not digested. */
	if (eh->e_phnum == PN_XNUM) {
		*why = "more than 65534 program headers";
		return -1;
	}
	if (eh->e_phentsize != gelf_fsize(e, ELF_T_PHDR, 1, EV_CURRENT)) {
		*why = "e_phentsize is not the size of a program header";
		return -1;
	}
	if (!within(eh->e_phoff, (uint64_t)eh->e_phnum * eh->e_phentsize,
	    size)) {
		*why = "the program headers extend past the end of the file";
		return -1;
	}
	return 0;
}

static int read_layout(Elf *e, const struct src *s, struct layout *l,
    const char **why)
{
	size_t i;

	l->ph = NULL;
	if (elf_kind(e) != ELF_K_ELF) {
		*why = elf_kind(e) == ELF_K_AR ?
		    "an ar archive, not a linked ELF file" : "not an ELF file";
		return -1;
	}
	if (!gelf_getehdr(e, &l->eh)) {
		*why = whyf("cannot read the ELF header: %s", elf_errmsg(-1));
		return -1;
	}
	if (check_ehdr(e, &l->eh, s->size, why) < 0)
		return -1;
	l->phnum = l->eh.e_phnum;
	l->ph = pv_xcalloc(l->phnum, sizeof(*l->ph));
	for (i = 0; i < l->phnum; i++) {
		GElf_Phdr *ph = &l->ph[i];

		if (!gelf_getphdr(e, (int)i, ph)) {
			*why = whyf("cannot read program header %zu: %s", i,
			    elf_errmsg(-1));
			goto bad;
		}
		if (digested_segment(ph) &&
		    !within(ph->p_offset, ph->p_filesz, s->size)) {
			*why = whyf("segment %zu extends past the end of "
			    "the file", i);
			goto bad;
		}
	}
	return 0;
bad:
	free(l->ph);
	l->ph = NULL;
	return -1;
}

/* Whether LEN bytes at OFF lie within the file bytes of one PT_LOAD. */
static int in_load(const struct layout *l, uint64_t off, uint64_t len)
{
	size_t i;

	for (i = 0; i < l->phnum; i++) {
		const GElf_Phdr *ph = &l->ph[i];

		if (ph->p_type == PT_LOAD && off >= ph->p_offset &&
		    len <= ph->p_filesz &&
		    off - ph->p_offset <= ph->p_filesz - len)
			return 1;
	}
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct pv_byte_range *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return 0;
}

/* The maximal runs of the bytes that ranges IN cover, ascending: sorted,
 * empty ranges dropped, overlapping and adjacent ones merged.  Returns
 * 0 and a malloc'd array, or -1 when a range wraps past 2^64. */
static int canon_runs(const struct pv_byte_range *in, size_t n,
    struct pv_byte_range **out, size_t *nout, const char **why)
{
	struct pv_byte_range *r = pv_xcalloc(n, sizeof(*r));
	size_t i, k = 0, j = 0;

	for (i = 0; i < n; i++) {
		if (in[i].len == 0)
			continue;
		if (in[i].off > UINT64_MAX - in[i].len) {
			free(r);
			*why = "a byte range wraps around";
			return -1;
		}
		r[k++] = in[i];
	}
	qsort(r, k, sizeof(*r), cmp_range);
	for (i = 0; i < k; i++) {
		struct pv_byte_range *last = j ? &r[j - 1] : NULL;

		if (last && r[i].off <= last->off + last->len) {
			uint64_t end = r[i].off + r[i].len;

			if (end > last->off + last->len)
				last->len = end - last->off;
		} else
			r[j++] = r[i];
	}
	*out = r;
	*nout = j;
	return 0;
}

static void put(struct msg *m, const void *p, size_t n)
{
	if (m->ok && !EVP_DigestUpdate(m->ctx, p, n))
		m->ok = 0;
}

/* Every number is digested as 8 bytes, big-endian, whatever the class
 * and byte order of the file and the host. */
static void put_u64(struct msg *m, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (56 - 8 * i));
	put(m, b, sizeof(b));
}

/* The header fields strip tools leave alone.  Left out: e_shoff, e_shnum
 * and e_shstrndx, which every strip changes; e_shentsize, which
 * llvm-objcopy --strip-sections zeroes; EI_PAD, which means nothing. */
static void put_ehdr(struct msg *m, const GElf_Ehdr *eh)
{
	static const char prefix[] = PV_ELF_DIGEST_PREFIX;

	put(m, prefix, sizeof(prefix));		/* with its NUL */
	put_u64(m, eh->e_ident[EI_CLASS]);
	put_u64(m, eh->e_ident[EI_DATA]);
	put_u64(m, eh->e_ident[EI_VERSION]);
	put_u64(m, eh->e_ident[EI_OSABI]);
	put_u64(m, eh->e_ident[EI_ABIVERSION]);
	put_u64(m, eh->e_type);
	put_u64(m, eh->e_machine);
	put_u64(m, eh->e_version);
	put_u64(m, eh->e_entry);
	put_u64(m, eh->e_phoff);
	put_u64(m, eh->e_flags);
	put_u64(m, eh->e_ehsize);
	put_u64(m, eh->e_phentsize);
	put_u64(m, eh->e_phnum);
}

/* In ELF64 field order for both classes. */
static void put_phdrs(struct msg *m, const struct layout *l)
{
	size_t i;

	for (i = 0; i < l->phnum; i++) {
		const GElf_Phdr *ph = &l->ph[i];

		put_u64(m, ph->p_type);
		put_u64(m, ph->p_flags);
		put_u64(m, ph->p_offset);
		put_u64(m, ph->p_vaddr);
		put_u64(m, ph->p_paddr);
		put_u64(m, ph->p_filesz);
		put_u64(m, ph->p_memsz);
		put_u64(m, ph->p_align);
	}
}

static void put_runs(struct msg *m, const struct pv_byte_range *r, size_t n)
{
	size_t i;

	put_u64(m, n);
	for (i = 0; i < n; i++) {
		put_u64(m, r[i].off);
		put_u64(m, r[i].len);
	}
}

/* Zero the bytes of BUF (LEN bytes from file offset POS) within HOLES. */
static void mask(unsigned char *buf, uint64_t pos, size_t len,
    const struct pv_byte_range *holes, size_t nholes)
{
	size_t i;

	for (i = 0; i < nholes; i++) {
		uint64_t lo = holes[i].off, hi = holes[i].off + holes[i].len;

		if (lo < pos)
			lo = pos;
		if (hi > pos + len)
			hi = pos + len;
		if (lo < hi)
			memset(buf + (lo - pos), 0, (size_t)(hi - lo));
	}
}

static int put_bytes(struct msg *m, const struct src *s, uint64_t off,
    uint64_t len, const struct pv_byte_range *holes, size_t nholes,
    unsigned char *buf, const char **why)
{
	while (len > 0) {
		size_t n = len < CHUNK ? (size_t)len : CHUNK;

		if (src_read(s, off, buf, n, why) < 0)
			return -1;
		mask(buf, off, n, holes, nholes);
		put(m, buf, n);
		off += n;
		len -= n;
	}
	return 0;
}

static int put_contents(struct msg *m, const struct src *s,
    const struct layout *l, const struct pv_byte_range *holes,
    size_t nholes, const char **why)
{
	unsigned char *buf = pv_xmalloc(CHUNK);
	size_t i;
	int rc = 0;

	for (i = 0; i < l->phnum && rc == 0; i++)
		if (digested_segment(&l->ph[i]))
			rc = put_bytes(m, s, l->ph[i].p_offset,
			    l->ph[i].p_filesz, holes, nholes, buf, why);
	free(buf);
	return rc;
}

/* The bytes read as zero: the runs, and the ELF header, which the
 * first PT_LOAD usually holds but which is digested field by field. */
static int make_holes(const struct layout *l, const struct pv_byte_range *runs,
    size_t nruns, struct pv_byte_range **holes, size_t *nholes,
    const char **why)
{
	struct pv_byte_range *all = pv_xcalloc(nruns + 1, sizeof(*all));
	int rc;

	memcpy(all, runs, nruns * sizeof(*all));
	all[nruns].off = 0;
	all[nruns].len = l->eh.e_ehsize;
	rc = canon_runs(all, nruns + 1, holes, nholes, why);
	free(all);
	return rc;
}

static int check_runs(const struct layout *l, const struct pv_byte_range *r,
    size_t n, const char **why)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!in_load(l, r[i].off, r[i].len)) {
			*why = whyf("zeroed bytes %#llx+%#llx lie outside "
			    "every PT_LOAD segment",
			    (unsigned long long)r[i].off,
			    (unsigned long long)r[i].len);
			return -1;
		}
	return 0;
}

static int hash_message(const struct src *s, const struct layout *l,
    const struct pv_byte_range *runs, size_t nruns,
    const struct pv_byte_range *holes, size_t nholes,
    unsigned char out[PV_SHA256_LEN], const char **why)
{
	struct msg m;
	unsigned int n = 0;
	int rc;

	if (!pv_sha256_md() || (m.ctx = EVP_MD_CTX_new()) == NULL) {
		*why = "OpenSSL has no SHA-256";
		return -1;
	}
	m.ok = EVP_DigestInit_ex(m.ctx, pv_sha256_md(), NULL);
	put_ehdr(&m, &l->eh);
	put_phdrs(&m, l);
	put_runs(&m, runs, nruns);
	rc = put_contents(&m, s, l, holes, nholes, why);
	if (rc == 0 && (!m.ok || !EVP_DigestFinal_ex(m.ctx, out, &n) ||
	    n != PV_SHA256_LEN)) {
		*why = "SHA-256 failed";
		rc = -1;
	}
	EVP_MD_CTX_free(m.ctx);
	return rc;
}

struct digest_args {
	const struct pv_byte_range *zero;
	size_t nzero;
	unsigned char *out;
};

static int digest(Elf *e, const struct src *s, void *arg, const char **why)
{
	struct digest_args *a = arg;
	struct pv_byte_range *runs = NULL, *holes = NULL;
	size_t nruns, nholes;
	struct layout l;
	int rc = -1;

	if (read_layout(e, s, &l, why) < 0)
		return -1;
	if (canon_runs(a->zero, a->nzero, &runs, &nruns, why) == 0 &&
	    check_runs(&l, runs, nruns, why) == 0 &&
	    make_holes(&l, runs, nruns, &holes, &nholes, why) == 0)
		rc = hash_message(s, &l, runs, nruns, holes, nholes, a->out,
		    why);
	free(holes);
	free(runs);
	free(l.ph);
	return rc;
}

static void add_note(struct found *f, uint64_t note, uint64_t desc,
    uint64_t desclen)
{
	/* A note in a PT_NOTE segment is usually in a section too. */
	if (f->n > 0 && f->desc.off == desc)
		return;
	if (f->n == 0) {
		f->note.off = note;
		f->note.len = desc + desclen - note;
		f->desc.off = desc;
		f->desc.len = desclen;
	}
	if (f->n < 2)
		f->n++;
}

/* Notes in D, which holds the file bytes from offset BASE. */
static void scan_data(Elf_Data *d, uint64_t base, unsigned type,
    struct found *f)
{
	static const char owner[] = PROVCC_NOTE_OWNER;
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	while (off < d->d_size &&
	    (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == type && nh.n_namesz == sizeof(owner) &&
		    memcmp((const char *)d->d_buf + name_off, owner,
		    sizeof(owner)) == 0)
			add_note(f, base + off, base + desc_off, nh.n_descsz);
		off = next;
	}
}

static int scan_segments(Elf *e, const struct layout *l, unsigned type,
    struct found *f, const char **why)
{
	size_t i;

	for (i = 0; i < l->phnum; i++) {
		const GElf_Phdr *ph = &l->ph[i];
		Elf_Data *d;

		if (ph->p_type != PT_NOTE || ph->p_filesz == 0)
			continue;
		if (ph->p_filesz > SIZE_MAX || ph->p_offset > INT64_MAX) {
			*why = whyf("note segment %zu is too large", i);
			return -1;
		}
		/* As readelf: 8-byte alignment means 8-byte note layout. */
		d = elf_getdata_rawchunk(e, (int64_t)ph->p_offset,
		    (size_t)ph->p_filesz,
		    ph->p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
		if (!d) {
			*why = whyf("cannot read note segment %zu: %s", i,
			    elf_errmsg(-1));
			return -1;
		}
		scan_data(d, ph->p_offset, type, f);
	}
	return 0;
}

/* The number of sections, 0 when there is no section header table or it
 * does not lie within the file: then there are none to go by. */
static size_t usable_sections(Elf *e, const struct layout *l,
    const struct src *s)
{
	size_t n;

	if (l->eh.e_shoff == 0 || elf_getshdrnum(e, &n) < 0 || n == 0 ||
	    !within(l->eh.e_shoff,
	    (uint64_t)n * gelf_fsize(e, ELF_T_SHDR, 1, EV_CURRENT), s->size))
		return 0;
	return n;
}

/* Sections too, for firmware whose linker script has no PT_NOTE. */
static int scan_sections(Elf *e, const struct layout *l, const struct src *s,
    unsigned type, struct found *f, const char **why)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	if (usable_sections(e, l, s) == 0)
		return 0;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh)) {
			*why = whyf("cannot read a section header: %s",
			    elf_errmsg(-1));
			return -1;
		}
		if (sh.sh_type != SHT_NOTE || !(sh.sh_flags & SHF_ALLOC) ||
		    sh.sh_size == 0)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d) {
			*why = whyf("cannot read note section %zu: %s",
			    elf_ndxscn(scn), elf_errmsg(-1));
			return -1;
		}
		scan_data(d, sh.sh_offset, type, f);
	}
	return 0;
}

struct note_args {
	unsigned type;
	struct pv_byte_range *desc;
};

static int note(Elf *e, const struct src *s, void *arg, const char **why)
{
	struct note_args *a = arg;
	struct found f = { 0, { 0, 0 }, { 0, 0 } };
	struct layout l;
	int rc = -1;

	if (read_layout(e, s, &l, why) < 0)
		return -1;
	if (scan_segments(e, &l, a->type, &f, why) < 0 ||
	    scan_sections(e, &l, s, a->type, &f, why) < 0)
		goto out;
	if (f.n > 1)
		*why = whyf("several provcc notes of type %u", a->type);
	else if (f.n == 1 && !in_load(&l, f.note.off, f.note.len))
		*why = whyf("the provcc note of type %u lies outside every "
		    "PT_LOAD segment", a->type);
	else {
		if (f.n == 1)
			*a->desc = f.desc;
		rc = f.n;
	}
out:
	free(l.ph);
	return rc;
}

/* Count non-zero bytes in LEN bytes at OFF. */
static int count_nonzero(const struct src *s, uint64_t off, uint64_t len,
    unsigned char *buf, uint64_t *count, uint64_t *first, const char **why)
{
	while (len > 0) {
		size_t i, n = len < CHUNK ? (size_t)len : CHUNK;

		if (src_read(s, off, buf, n, why) < 0)
			return -1;
		for (i = 0; i < n; i++)
			if (buf[i] && (*count)++ == 0)
				*first = off + i;
		off += n;
		len -= n;
	}
	return 0;
}

/* Non-zero bytes of segment PH outside the COVER runs. */
static int segment_hazard(const struct src *s, const GElf_Phdr *ph,
    const struct pv_byte_range *cover, size_t ncover, unsigned char *buf,
    uint64_t *count, uint64_t *first, const char **why)
{
	uint64_t pos = ph->p_offset, end = ph->p_offset + ph->p_filesz;
	size_t i;

	for (i = 0; i < ncover && pos < end; i++) {
		uint64_t lo = cover[i].off, hi = cover[i].off + cover[i].len;

		if (hi <= pos)
			continue;
		if (lo >= end)
			break;
		if (lo > pos && count_nonzero(s, pos, lo - pos, buf, count,
		    first, why) < 0)
			return -1;
		pos = hi;
	}
	if (pos < end)
		return count_nonzero(s, pos, end - pos, buf, count, first, why);
	return 0;
}

/* What the section headers, the ELF header and the program headers
 * cover, as canonical runs. */
static int covered(Elf *e, const struct layout *l, const struct src *s,
    size_t nsec, struct pv_byte_range **cover, size_t *ncover,
    const char **why)
{
	struct pv_byte_range *r = pv_xcalloc(nsec + 2, sizeof(*r));
	Elf_Scn *scn = NULL;
	size_t k = 0;
	GElf_Shdr sh;
	int rc;

	r[k].off = 0;
	r[k++].len = l->eh.e_ehsize;
	r[k].off = l->eh.e_phoff;
	r[k++].len = (uint64_t)l->eh.e_phnum * l->eh.e_phentsize;
	while ((scn = elf_nextscn(e, scn)) != NULL && k < nsec + 2) {
		if (!gelf_getshdr(scn, &sh)) {
			free(r);
			*why = whyf("cannot read a section header: %s",
			    elf_errmsg(-1));
			return -1;
		}
		/* Clipped to the file: only bytes in it can be covered. */
		if (sh.sh_type != SHT_NOBITS && sh.sh_offset < s->size) {
			r[k].off = sh.sh_offset;
			r[k++].len = sh.sh_size < s->size - sh.sh_offset ?
			    sh.sh_size : s->size - sh.sh_offset;
		}
	}
	rc = canon_runs(r, k, cover, ncover, why);
	free(r);
	return rc;
}

struct hazard_args {
	uint64_t *count, *first;
};

static int hazard(Elf *e, const struct src *s, void *arg, const char **why)
{
	struct hazard_args *a = arg;
	struct pv_byte_range *cover = NULL;
	unsigned char *buf = NULL;
	size_t i, nsec, ncover;
	struct layout l;
	int rc = -1;

	*a->count = *a->first = 0;
	if (read_layout(e, s, &l, why) < 0)
		return -1;
	rc = 0;
	nsec = usable_sections(e, &l, s);
	if (nsec == 0)		/* nothing can be told */
		goto out;
	if (covered(e, &l, s, nsec, &cover, &ncover, why) < 0) {
		rc = -1;
		goto out;
	}
	buf = pv_xmalloc(CHUNK);
	for (i = 0; i < l.phnum && rc == 0; i++)
		if (digested_segment(&l.ph[i]))
			rc = segment_hazard(s, &l.ph[i], cover, ncover, buf,
			    a->count, a->first, why);
out:
	free(buf);
	free(cover);
	free(l.ph);
	return rc;
}

static int with_file(const char *path, elf_fn fn, void *arg,
    const char **why)
{
	struct stat st;
	struct src s;
	Elf *e;
	int fd, rc;

	if (!libelf_ready()) {
		*why = "libelf is unusable";
		return -1;
	}
	/* O_NONBLOCK: a FIFO must not hang the open; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0) {
		*why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*why = "not a regular file";
		return -1;
	}
	s.mem = NULL;
	s.fd = fd;
	s.size = (uint64_t)st.st_size;
	/* ELF_C_READ reads what is asked for; a mapping would fault if the
	 * file were truncated meanwhile. */
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e) {
		*why = whyf("not a usable ELF file: %s", elf_errmsg(-1));
		close(fd);
		return -1;
	}
	rc = fn(e, &s, arg, why);
	elf_end(e);
	close(fd);
	return rc;
}

static int with_mem(const void *img, size_t len, elf_fn fn, void *arg,
    const char **why)
{
	struct src s;
	char *copy;
	Elf *e;
	int rc;

	if (!libelf_ready()) {
		*why = "libelf is unusable";
		return -1;
	}
	if (!img && len > 0) {
		*why = "no image";
		return -1;
	}
	/* libelf wants a writable image it may use in place; it gets a copy
	 * so that what is digested is exactly the caller's bytes. */
	copy = pv_xmalloc(len);
	if (len > 0)
		memcpy(copy, img, len);
	e = elf_memory(copy, len);
	if (!e) {
		free(copy);
		*why = whyf("not a usable ELF file: %s", elf_errmsg(-1));
		return -1;
	}
	s.mem = img;
	s.fd = -1;
	s.size = len;
	rc = fn(e, &s, arg, why);
	elf_end(e);
	free(copy);
	return rc;
}

int pv_elf_digest(const char *path, const struct pv_byte_range *zero,
    size_t nzero, unsigned char out[PV_SHA256_LEN], const char **why)
{
	struct digest_args a = { zero, nzero, out };

	return with_file(path, digest, &a, why);
}

int pv_elf_digest_mem(const void *img, size_t len,
    const struct pv_byte_range *zero, size_t nzero,
    unsigned char out[PV_SHA256_LEN], const char **why)
{
	struct digest_args a = { zero, nzero, out };

	return with_mem(img, len, digest, &a, why);
}

int pv_elf_find_note(const char *path, unsigned type,
    struct pv_byte_range *desc, const char **why)
{
	struct note_args a = { type, desc };

	return with_file(path, note, &a, why);
}

int pv_elf_find_note_mem(const void *img, size_t len, unsigned type,
    struct pv_byte_range *desc, const char **why)
{
	struct note_args a = { type, desc };

	return with_mem(img, len, note, &a, why);
}

int pv_elf_strip_hazard(const char *path, uint64_t *count, uint64_t *first,
    const char **why)
{
	struct hazard_args a = { count, first };

	return with_file(path, hazard, &a, why);
}

int pv_elf_strip_hazard_mem(const void *img, size_t len, uint64_t *count,
    uint64_t *first, const char **why)
{
	struct hazard_args a = { count, first };

	return with_mem(img, len, hazard, &a, why);
}
