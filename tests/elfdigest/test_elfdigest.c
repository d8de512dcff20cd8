/* test_elfdigest.c - lib/elfdigest.c on small ELF images built here, in
 * both classes and both byte orders: known answers, what changes the
 * digest and what does not, zeroed ranges, the note finder, refusal of
 * malformed files, and a fuzz loop that must not crash (run it under
 * -DPROVCC_SANITIZE=ON).
 *
 * With "--write DIR" the four images are also written to DIR, for
 * elfdigest.vectors to digest with the Python and shell implementations.
 */
#define _GNU_SOURCE
#include "check.h"
#include "elfdigest.h"
#include "hash.h"
#include "util.h"

#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TYPE 0x7e57
#define IMG_MAX 2048
#define NPH 4
#define NSEC 6

/* Golden digests of the four images with the slot zeroed, from the
 * Python implementation (tests/elfdigest/elfdigest.py), which is
 * written from docs/elf-digest.md alone. */
static const char *const golden[4] = {
	/* ELF32 LSB */
	"a3767a90047241e3fdfdb564f90f7db0e6e03c21d59e1450d632ec17ef076b77",
	/* ELF32 MSB */
	"dbbf70d8320beded42e6a8f59c0095a4cd0095b6bba8632e9ff630a38a7cc06b",
	/* ELF64 LSB */
	"e28029a9729551e60d16f3f1f2086361b7f0b6f5490c3f626ca184852e737a98",
	/* ELF64 MSB */
	"c5c67934d68212987a8b7a05d4dd6272ffcc4a46c055b6dcd10925a0db86d9ea",
};

struct opts {
	int is64, be;
	int no_pt_note;		/* the note only in a section */
	int data_note;		/* .data is a note of type DATA_TYPE */
	int short_load;		/* the first PT_LOAD ends in the note */
};

#define DATA_TYPE 0x7e58

/* Where things are in an image; see build(). */
struct img {
	unsigned char b[IMG_MAX];
	size_t len;
	struct opts o;
	size_t H, P, shent;
	size_t note, desc, desclen, slot, slotlen, gap;
	size_t text, textlen, data, datalen, comment, shstr, shoff;
	uint64_t entry, load0len;
};

static void put(struct img *m, size_t off, uint64_t v, int size)
{
	int i;

	for (i = 0; i < size; i++) {
		int shift = m->o.be ? 8 * (size - 1 - i) : 8 * i;

		m->b[off + (size_t)i] = (unsigned char)(v >> shift);
	}
}

/* A word of the class's address size. */
static void put_word(struct img *m, size_t off, uint64_t v)
{
	put(m, off, v, m->o.is64 ? 8 : 4);
}

static void put_ehdr(struct img *m)
{
	int w = m->o.is64 ? 8 : 4;
	size_t o = 24;

	memcpy(m->b, ELFMAG, SELFMAG);
	m->b[EI_CLASS] = m->o.is64 ? ELFCLASS64 : ELFCLASS32;
	m->b[EI_DATA] = m->o.be ? ELFDATA2MSB : ELFDATA2LSB;
	m->b[EI_VERSION] = EV_CURRENT;
	m->b[EI_OSABI] = ELFOSABI_NONE;
	put(m, 16, ET_EXEC, 2);
	put(m, 18, m->o.is64 ? EM_X86_64 : EM_ARM, 2);
	put(m, 20, EV_CURRENT, 4);
	put_word(m, o, m->entry);
	put_word(m, o += (size_t)w, m->H);		/* e_phoff */
	put_word(m, o += (size_t)w, m->shoff);	/* e_shoff */
	put(m, o += (size_t)w, 0x5000200, 4);	/* e_flags */
	put(m, o += 4, m->H, 2);
	put(m, o += 2, m->P, 2);
	put(m, o += 2, NPH, 2);
	put(m, o += 2, m->shent, 2);
	put(m, o += 2, NSEC, 2);
	put(m, o += 2, NSEC - 1, 2);	/* e_shstrndx */
}

static void put_phdr(struct img *m, int i, uint32_t type, uint32_t flags,
    uint64_t off, uint64_t vaddr, uint64_t filesz, uint64_t memsz,
    uint64_t align)
{
	size_t o = m->H + (size_t)i * m->P;

	put(m, o, type, 4);
	if (m->o.is64) {
		put(m, o + 4, flags, 4);
		put(m, o + 8, off, 8);
		put(m, o + 16, vaddr, 8);
		put(m, o + 24, vaddr ^ 0x10000000, 8);	/* p_paddr */
		put(m, o + 32, filesz, 8);
		put(m, o + 40, memsz, 8);
		put(m, o + 48, align, 8);
	} else {
		put(m, o + 4, off, 4);
		put(m, o + 8, vaddr, 4);
		put(m, o + 12, vaddr ^ 0x10000000, 4);
		put(m, o + 16, filesz, 4);
		put(m, o + 20, memsz, 4);
		put(m, o + 24, flags, 4);
		put(m, o + 28, align, 4);
	}
}

static void put_shdr(struct img *m, int i, uint32_t name, uint32_t type,
    uint64_t flags, uint64_t off, uint64_t size, uint64_t align)
{
	size_t o = m->shoff + (size_t)i * m->shent;

	put(m, o, name, 4);
	put(m, o + 4, type, 4);
	if (m->o.is64) {
		put(m, o + 8, flags, 8);
		put(m, o + 24, off, 8);
		put(m, o + 32, size, 8);
		put(m, o + 48, align, 8);
	} else {
		put(m, o + 8, flags, 4);
		put(m, o + 16, off, 4);
		put(m, o + 20, size, 4);
		put(m, o + 32, align, 4);
	}
}

static void put_note(struct img *m, size_t at, uint32_t type, size_t desclen)
{
	put(m, at, 7, 4);
	put(m, at + 4, desclen, 4);
	put(m, at + 8, type, 4);
	memcpy(m->b + at + 12, "provcc\0", 8);
}

static const char shstrtab[] =
    "\0.note.provcc.test\0.text\0.data\0.comment\0.shstrtab";

/* ELF header, 4 program headers (PT_LOAD RX from 0 over headers, note
 * and text; PT_LOAD RW over data; PT_NOTE; PT_GNU_STACK), the note, 4
 * gap bytes, text, 16 bytes outside every segment, data, .comment,
 * .shstrtab, 6 section headers. */
static void build(struct img *m, struct opts o)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->o = o;
	m->H = o.is64 ? 64 : 52;
	m->P = o.is64 ? 56 : 32;
	m->shent = o.is64 ? 64 : 40;
	m->note = (m->H + NPH * m->P + 7) & ~(size_t)7;
	m->desclen = 40;
	m->desc = m->note + 20;
	m->slot = m->desc + 8;
	m->slotlen = 32;
	m->gap = m->desc + m->desclen;
	m->text = m->gap + 4;
	m->textlen = 64;
	m->data = m->text + m->textlen + 16;
	m->datalen = 32;
	m->comment = m->data + m->datalen;
	m->shstr = m->comment + 16;
	m->shoff = (m->shstr + sizeof(shstrtab) + 7) & ~(size_t)7;
	m->len = m->shoff + NSEC * m->shent;
	m->entry = 0x400000 + m->text;
	m->load0len = o.short_load ? m->desc + 4 : m->text + m->textlen;

	put_ehdr(m);
	put_phdr(m, 0, PT_LOAD, PF_R | PF_X, 0, 0x400000, m->load0len,
	    m->load0len, 0x1000);
	put_phdr(m, 1, PT_LOAD, PF_R | PF_W, m->data, 0x600000 + m->data,
	    m->datalen, m->datalen + 16, 0x1000);
	put_phdr(m, 2, o.no_pt_note ? PT_NULL : PT_NOTE, PF_R, m->note,
	    0x400000 + m->note, m->desc + m->desclen - m->note,
	    m->desc + m->desclen - m->note, 4);
	put_phdr(m, 3, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);

	put_note(m, m->note, TYPE, m->desclen);
	for (i = 0; i < m->desclen; i++)
		m->b[m->desc + i] = (unsigned char)(0xd0 + i % 8);
	for (i = 0; i < m->textlen; i++)
		m->b[m->text + i] = (unsigned char)(0x90 + i);
	for (i = 0; i < 16; i++)	/* between the segments */
		m->b[m->text + m->textlen + i] = 0xee;
	if (o.data_note)
		put_note(m, m->data, DATA_TYPE, m->datalen - 20);
	else
		for (i = 0; i < m->datalen; i++)
			m->b[m->data + i] = (unsigned char)(0x40 + i);
	memcpy(m->b + m->comment, "GCC: (test) 1.0", 16);
	memcpy(m->b + m->shstr, shstrtab, sizeof(shstrtab));

	put_shdr(m, 1, 1, SHT_NOTE, SHF_ALLOC, m->note,
	    m->desc + m->desclen - m->note, 4);
	put_shdr(m, 2, 19, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, m->text,
	    m->textlen, 16);
	put_shdr(m, 3, 25, o.data_note ? SHT_NOTE : SHT_PROGBITS,
	    SHF_ALLOC | SHF_WRITE, m->data, m->datalen, 4);
	put_shdr(m, 4, 31, SHT_PROGBITS, 0, m->comment, 16, 1);
	put_shdr(m, 5, 40, SHT_STRTAB, 0, m->shstr, sizeof(shstrtab), 1);
}

static struct opts variant(int v)
{
	struct opts o = { v >= 2, v % 2, 0, 0, 0 };

	return o;
}

static const char *vname(int v)
{
	static const char *const n[] = { "ELF32 LSB", "ELF32 MSB",
		"ELF64 LSB", "ELF64 MSB" };

	return n[v];
}

/* --- the digest, serialised here from what build() wrote ----------- */

struct buf {
	unsigned char *p;
	size_t len;
};

static void add(struct buf *b, const void *p, size_t n)
{
	b->p = pv_xrealloc(b->p, b->len + n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void add64(struct buf *b, uint64_t v)
{
	unsigned char x[8];
	int i;

	for (i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (56 - 8 * i));
	add(b, x, 8);
}

static void add_seg(struct buf *b, const struct img *m, size_t off,
    size_t len, int zero_slot)
{
	unsigned char tmp[IMG_MAX];
	size_t i;

	memcpy(tmp, m->b, m->len);
	memset(tmp, 0, m->H);
	if (zero_slot)
		memset(tmp + m->slot, 0, m->slotlen);
	for (i = 0; i < len; i++)
		add(b, tmp + off + i, 1);
}

static void add_ph(struct buf *b, uint64_t type, uint64_t flags,
    uint64_t off, uint64_t vaddr, uint64_t filesz, uint64_t memsz,
    uint64_t align)
{
	add64(b, type);
	add64(b, flags);
	add64(b, off);
	add64(b, vaddr);
	add64(b, vaddr ^ 0x10000000);
	add64(b, filesz);
	add64(b, memsz);
	add64(b, align);
}

static void expected(const struct img *m, int zero_slot,
    unsigned char out[PV_SHA256_LEN])
{
	struct buf b = { NULL, 0 };
	size_t notelen = m->desc + m->desclen - m->note;

	add(&b, "provcc-elf-digest-v1", 21);
	add64(&b, m->o.is64 ? 2 : 1);
	add64(&b, m->o.be ? 2 : 1);
	add64(&b, 1);
	add64(&b, 0);
	add64(&b, 0);
	add64(&b, ET_EXEC);
	add64(&b, m->o.is64 ? EM_X86_64 : EM_ARM);
	add64(&b, 1);
	add64(&b, m->entry);
	add64(&b, m->H);
	add64(&b, 0x5000200);
	add64(&b, m->H);
	add64(&b, m->P);
	add64(&b, NPH);
	add_ph(&b, PT_LOAD, PF_R | PF_X, 0, 0x400000, m->load0len,
	    m->load0len, 0x1000);
	add_ph(&b, PT_LOAD, PF_R | PF_W, m->data, 0x600000 + m->data,
	    m->datalen, m->datalen + 16, 0x1000);
	add_ph(&b, PT_NOTE, PF_R, m->note, 0x400000 + m->note, notelen,
	    notelen, 4);
	add_ph(&b, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
	add64(&b, zero_slot ? 1 : 0);
	if (zero_slot) {
		add64(&b, m->slot);
		add64(&b, m->slotlen);
	}
	add_seg(&b, m, 0, m->load0len, zero_slot);
	add_seg(&b, m, m->data, m->datalen, zero_slot);
	add_seg(&b, m, m->note, notelen, zero_slot);
	pv_sha256_buf(b.p, b.len, out);
	free(b.p);
}

/* --- helpers -------------------------------------------------------- */

static int digest(const struct img *m, const struct pv_byte_range *z,
    size_t nz, unsigned char out[PV_SHA256_LEN], const char **why)
{
	*why = NULL;
	return pv_elf_digest_mem(m->b, m->len, z, nz, out, why);
}

static int slot_digest(const struct img *m, unsigned char out[PV_SHA256_LEN])
{
	struct pv_byte_range z = { m->slot, m->slotlen };
	const char *why;

	return digest(m, &z, 1, out, &why);
}

static char *tmpfile_with(const struct img *m)
{
	char *path = pv_xasprintf("%s/elfdigest-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, m->b, m->len) != (ssize_t)m->len) {
		printf("cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
	return path;
}

/* --- tests ---------------------------------------------------------- */

static void test_known_answer(int v)
{
	unsigned char got[PV_SHA256_LEN], want[PV_SHA256_LEN];
	char hex[PV_SHA256_HEX];
	struct img m;
	const char *why;

	build(&m, variant(v));
	CHECK_INT(slot_digest(&m, got), 0);
	expected(&m, 1, want);
	CHECK_MEM(got, sizeof(got), want, sizeof(want));
	CHECK_INT(digest(&m, NULL, 0, got, &why), 0);
	expected(&m, 0, want);
	CHECK_MEM(got, sizeof(got), want, sizeof(want));

	slot_digest(&m, got);
	pv_hex(got, sizeof(got), hex);
	CHECK_STR(hex, golden[v]);
}

static void test_file_equals_mem(int v)
{
	struct pv_byte_range z, d1 = { 0, 0 }, d2 = { 1, 1 };
	unsigned char a[PV_SHA256_LEN], b[PV_SHA256_LEN];
	uint64_t c1, f1, c2, f2;
	const char *why;
	struct img m;
	char *path;

	build(&m, variant(v));
	z.off = m.slot;
	z.len = m.slotlen;
	path = tmpfile_with(&m);
	CHECK_INT(pv_elf_digest(path, &z, 1, a, &why), 0);
	CHECK_INT(slot_digest(&m, b), 0);
	CHECK_MEM(a, sizeof(a), b, sizeof(b));
	CHECK_INT(pv_elf_find_note(path, TYPE, &d1, &why), 1);
	CHECK_INT(pv_elf_find_note_mem(m.b, m.len, TYPE, &d2, &why), 1);
	CHECK_INT(d1.off, d2.off);
	CHECK_INT(d1.len, d2.len);
	CHECK_INT(pv_elf_strip_hazard(path, &c1, &f1, &why), 0);
	CHECK_INT(pv_elf_strip_hazard_mem(m.b, m.len, &c2, &f2, &why), 0);
	CHECK_INT(c1, c2);
	unlink(path);
	free(path);
}

/* Flip the byte at OFF; whether the digest (slot zeroed) changes. */
static int changes(int v, size_t off)
{
	unsigned char a[PV_SHA256_LEN], b[PV_SHA256_LEN];
	struct img m;

	build(&m, variant(v));
	if (slot_digest(&m, a) < 0)
		return -1;
	m.b[off] ^= 0x01;
	if (slot_digest(&m, b) < 0)
		return -1;
	return memcmp(a, b, sizeof(a)) != 0;
}

static void test_what_counts(int v)
{
	struct img m;
	size_t ph0, i, eh_sh;

	build(&m, variant(v));
	ph0 = m.H;
	eh_sh = m.o.is64 ? 40 : 32;	/* e_shoff */
	/* Loaded bytes, program headers and kept header fields count. */
	CHECK_INT(changes(v, m.text + 5), 1);
	CHECK_INT(changes(v, m.data + 3), 1);
	CHECK_INT(changes(v, m.desc), 1);	/* the note, not the slot */
	CHECK_INT(changes(v, m.note + 12), 1);	/* the owner name */
	CHECK_INT(changes(v, m.gap), 1);	/* padding in a load */
	CHECK_INT(changes(v, ph0 + (m.o.is64 ? 24 : 12)), 1); /* p_paddr */
	CHECK_INT(changes(v, ph0 + m.P * 3 + (m.o.is64 ? 4 : 24)), 1);
	CHECK_INT(changes(v, 24 + (m.o.be ? (m.o.is64 ? 7 : 3) : 0)), 1);
	CHECK_INT(changes(v, EI_OSABI), 1);
	CHECK_INT(changes(v, EI_ABIVERSION), 1);
	CHECK_INT(changes(v, m.o.is64 ? 48 : 36), 1);	/* e_flags */
	CHECK_INT(changes(v, 16 + m.o.be), 1);		/* e_type */
	/* The slot, and what strip changes or drops, do not. */
	for (i = 0; i < m.slotlen; i += 7)
		CHECK_INT(changes(v, m.slot + i), 0);
	CHECK_INT(changes(v, m.text + m.textlen + 3), 0); /* no segment */
	CHECK_INT(changes(v, m.comment + 2), 0);
	CHECK_INT(changes(v, m.shstr + 3), 0);
	CHECK_INT(changes(v, m.shoff + m.shent * 2 + 4), 0);
	CHECK_INT(changes(v, eh_sh + (m.o.be ? (m.o.is64 ? 7 : 3) : 0)), 0);
	CHECK_INT(changes(v, eh_sh + (m.o.is64 ? 8 : 4) + 4 + 6), 0);
	CHECK_INT(changes(v, EI_PAD + 2), 0);
}

static void test_ranges(int v)
{
	unsigned char a[PV_SHA256_LEN], b[PV_SHA256_LEN];
	struct pv_byte_range z[4];
	const char *why;
	struct img m;

	build(&m, variant(v));
	CHECK_INT(slot_digest(&m, a), 0);
	/* Pieces, unsorted, overlapping, with an empty one: same runs. */
	z[0].off = m.slot + 10, z[0].len = m.slotlen - 10;
	z[1].off = m.slot + 100, z[1].len = 0;
	z[2].off = m.slot, z[2].len = 6;
	z[3].off = m.slot + 4, z[3].len = 6;
	CHECK_INT(digest(&m, z, 4, b, &why), 0);
	CHECK_MEM(b, sizeof(b), a, sizeof(a));
	/* Another slot, even over the same bytes, is another digest. */
	z[0].off = m.slot, z[0].len = m.slotlen - 1;
	CHECK_INT(digest(&m, z, 1, b, &why), 0);
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	/* Zeroing the bytes in the image instead is not the same. */
	memset(m.b + m.slot, 0, m.slotlen);
	CHECK_INT(digest(&m, NULL, 0, b, &why), 0);
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	build(&m, variant(v));
	/* Outside every PT_LOAD, across two, or wrapping: refused. */
	z[0].off = m.text + m.textlen + 2, z[0].len = 4;
	CHECK_INT(digest(&m, z, 1, b, &why), -1);
	CHECK(why && strstr(why, "PT_LOAD"));
	z[0].off = m.text + m.textlen - 2, z[0].len = 4;
	CHECK_INT(digest(&m, z, 1, b, &why), -1);
	z[0].off = m.comment, z[0].len = 1;
	CHECK_INT(digest(&m, z, 1, b, &why), -1);
	z[0].off = UINT64_MAX - 2, z[0].len = 8;
	CHECK_INT(digest(&m, z, 1, b, &why), -1);
	CHECK(why != NULL);
	/* The ELF header may be named; it is read as zero anyway. */
	z[0].off = 0, z[0].len = 4;
	CHECK_INT(digest(&m, z, 1, b, &why), 0);
}

static void test_find_note(int v)
{
	struct pv_byte_range d = { 0, 0 };
	struct opts o = variant(v);
	const char *why;
	struct img m;

	build(&m, o);
	CHECK_INT(pv_elf_find_note_mem(m.b, m.len, TYPE, &d, &why), 1);
	CHECK_INT(d.off, m.desc);
	CHECK_INT(d.len, m.desclen);
	CHECK_INT(pv_elf_find_note_mem(m.b, m.len, TYPE + 9, &d, &why), 0);

	o.no_pt_note = 1;	/* found through its section */
	build(&m, o);
	CHECK_INT(pv_elf_find_note_mem(m.b, m.len, TYPE, &d, &why), 1);
	CHECK_INT(d.off, m.desc);

	o = variant(v);
	o.data_note = 1;	/* a second note, in .data only */
	build(&m, o);
	CHECK_INT(pv_elf_find_note_mem(m.b, m.len, DATA_TYPE, &d, &why), 1);
	CHECK_INT(d.off, m.data + 20);
	CHECK_INT(d.len, m.datalen - 20);
	put(&m, m.data + 8, TYPE, 4);	/* now two of TYPE */
	CHECK_INT(pv_elf_find_note_mem(m.b, m.len, TYPE, &d, &why), -1);
	CHECK(why && strstr(why, "several"));

	o = variant(v);
	o.short_load = 1;
	build(&m, o);
	CHECK_INT(pv_elf_find_note_mem(m.b, m.len, TYPE, &d, &why), -1);
	CHECK(why && strstr(why, "outside"));
}

static void test_hazard(int v)
{
	const char *why;
	uint64_t n, first;
	struct img m;

	build(&m, variant(v));
	CHECK_INT(pv_elf_strip_hazard_mem(m.b, m.len, &n, &first, &why), 0);
	CHECK_INT(n, 0);
	m.b[m.gap + 1] = 0xcc;
	m.b[m.gap + 3] = 0xcc;
	m.b[m.text + m.textlen + 1] = 0xcc;	/* outside segments: fine */
	CHECK_INT(pv_elf_strip_hazard_mem(m.b, m.len, &n, &first, &why), 0);
	CHECK_INT(n, 2);
	CHECK_INT(first, m.gap + 1);
	put(&m, m.o.is64 ? 60 : 48, 0, 2);	/* e_shnum: no sections */
	CHECK_INT(pv_elf_strip_hazard_mem(m.b, m.len, &n, &first, &why), 0);
	CHECK_INT(n, 0);
}

struct bad {
	const char *what;
	size_t off32, off64;	/* the field */
	int size;
	uint64_t value;
};

static void test_refused(int v)
{
	static const struct bad bad[] = {
		{ "EI_CLASS", 4, 4, 1, 3 },
		{ "EI_DATA", 5, 5, 1, 0 },
		{ "EI_VERSION", 6, 6, 1, 2 },
		{ "magic", 1, 1, 1, 'e' },
		{ "e_ehsize", 40, 52, 2, 60 },
		{ "e_phentsize", 42, 54, 2, 40 },
		{ "e_phnum 0", 44, 56, 2, 0 },
		{ "PN_XNUM", 44, 56, 2, PN_XNUM },
		{ "e_phnum large", 44, 56, 2, 30 },
		{ "e_phoff", 28, 32, 4, 0x7ffffff0 },
	};
	unsigned char out[PV_SHA256_LEN];
	const char *why;
	struct img m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		build(&m, variant(v));
		put(&m, m.o.is64 ? bad[i].off64 : bad[i].off32, bad[i].value,
		    bad[i].size);
		if (!CHECK_INT(digest(&m, NULL, 0, out, &why), -1) ||
		    !CHECK(why != NULL))
			printf("  (%s, %s)\n", vname(v), bad[i].what);
	}
	/* A segment past the end of the file. */
	build(&m, variant(v));
	put(&m, m.H + m.P + (m.o.is64 ? 32 : 16), m.len, m.o.is64 ? 8 : 4);
	CHECK_INT(digest(&m, NULL, 0, out, &why), -1);
	CHECK(why && strstr(why, "segment 1"));
	/* Every truncation that cuts a segment or header is refused;
	 * cutting only section headers does not matter. */
	build(&m, variant(v));
	for (i = 0; i < m.len; i++) {
		struct img t = m;
		int rc;

		t.len = i;
		rc = digest(&t, NULL, 0, out, &why);
		if (i < m.data + m.datalen && !CHECK_INT(rc, -1))
			printf("  (%s, cut at %zu)\n", vname(v), i);
		if (rc < 0)
			CHECK(why != NULL);
	}
}

static void test_sections_irrelevant(int v)
{
	unsigned char a[PV_SHA256_LEN], b[PV_SHA256_LEN];
	struct img m;

	/* Damaged or missing section headers change nothing. */
	build(&m, variant(v));
	slot_digest(&m, a);
	put_word(&m, m.o.is64 ? 40 : 32, 0x7ffffff0);	/* e_shoff */
	CHECK_INT(slot_digest(&m, b), 0);
	CHECK_MEM(b, sizeof(b), a, sizeof(a));
	build(&m, variant(v));
	put(&m, m.o.is64 ? 60 : 48, 0xff00, 2);		/* e_shnum */
	CHECK_INT(slot_digest(&m, b), 0);
	CHECK_MEM(b, sizeof(b), a, sizeof(a));
	build(&m, variant(v));
	m.len = m.shoff;				/* cut off */
	CHECK_INT(slot_digest(&m, b), 0);
	CHECK_MEM(b, sizeof(b), a, sizeof(a));
}

/* A FIFO is refused at once, not read until a writer comes. */
static void test_fifo(void)
{
	unsigned char out[PV_SHA256_LEN];
	const char *why;
	char *dir = pv_xasprintf("%s/elfdigest-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	char *fifo;

	if (!mkdtemp(dir)) {
		printf("mkdtemp: %s\n", strerror(errno));
		exit(1);
	}
	fifo = pv_xasprintf("%s/fifo", dir);
	if (mkfifo(fifo, 0600) == 0) {
		CHECK_INT(pv_elf_digest(fifo, NULL, 0, out, &why), -1);
		CHECK_STR(why, "not a regular file");
		unlink(fifo);
	}
	rmdir(dir);
	free(fifo);
	free(dir);
}

static void test_not_elf(void)
{
	static const char ar[] = "!<arch>\n/               0           0     "
	    "0     0       4         `\n\0\0\0\0";
	static const char text[] = "#!/bin/sh\necho this is not ELF\n";
	struct pv_byte_range d;
	unsigned char out[PV_SHA256_LEN];
	const char *why;
	uint64_t n, f;

	CHECK_INT(pv_elf_digest_mem(text, sizeof(text), NULL, 0, out, &why),
	    -1);
	CHECK_STR(why, "not an ELF file");
	CHECK_INT(pv_elf_digest_mem(ar, sizeof(ar) - 1, NULL, 0, out, &why),
	    -1);
	CHECK(why && strstr(why, "archive"));
	CHECK_INT(pv_elf_digest_mem("", 0, NULL, 0, out, &why), -1);
	CHECK_INT(pv_elf_digest_mem(NULL, 0, NULL, 0, out, &why), -1);
	CHECK_INT(pv_elf_find_note_mem(text, 5, TYPE, &d, &why), -1);
	CHECK_INT(pv_elf_strip_hazard_mem(text, 5, &n, &f, &why), -1);
	CHECK_INT(pv_elf_digest("/nonexistent/x", NULL, 0, out, &why), -1);
	CHECK_STR(why, strerror(ENOENT));
	CHECK_INT(pv_elf_digest("/", NULL, 0, out, &why), -1);
	CHECK_STR(why, "not a regular file");
	test_fifo();
}

/* Random damage to every variant: no crash, and a reason whenever one
 * of the entry points refuses. */
static void test_fuzz(int v, unsigned long rounds)
{
	struct pv_byte_range z, d;
	unsigned char out[PV_SHA256_LEN];
	unsigned long r;
	uint64_t n, f;
	struct img m, t;
	const char *why;

	build(&m, variant(v));
	z.off = m.slot;
	z.len = m.slotlen;
	srand(1234u + (unsigned)v);
	for (r = 0; r < rounds; r++) {
		int k, flips = 1 + rand() % 4, rc;

		t = m;
		for (k = 0; k < flips; k++)
			t.b[(size_t)rand() % (rand() % 3 ? m.shoff : m.len)] ^=
			    (unsigned char)(1 + rand() % 255);
		if (rand() % 8 == 0)
			t.len = (size_t)rand() % (m.len + 1);
		why = NULL;
		rc = pv_elf_digest_mem(t.b, t.len, &z, 1, out, &why);
		if (rc != 0 && !CHECK(rc == -1 && why))
			return;
		why = NULL;
		rc = pv_elf_find_note_mem(t.b, t.len, TYPE, &d, &why);
		if (rc < 0 && !CHECK(rc == -1 && why))
			return;
		why = NULL;
		rc = pv_elf_strip_hazard_mem(t.b, t.len, &n, &f, &why);
		if (rc != 0 && !CHECK(rc == -1 && why))
			return;
	}
}

static int write_images(const char *dir)
{
	int v;

	for (v = 0; v < 4; v++) {
		struct img m;
		char *path = pv_xasprintf("%s/image%d.elf", dir, v);
		FILE *fp = fopen(path, "wb");

		build(&m, variant(v));
		if (!fp || fwrite(m.b, 1, m.len, fp) != m.len ||
		    fclose(fp) != 0) {
			perror(path);
			return 1;
		}
		printf("%s %zu:%zu\n", path, m.slot, m.slotlen);
		free(path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int v;

	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return write_images(argv[2]);
	for (v = 0; v < 4; v++) {
		test_known_answer(v);
		test_file_equals_mem(v);
		test_what_counts(v);
		test_ranges(v);
		test_find_note(v);
		test_hazard(v);
		test_refused(v);
		test_sections_irrelevant(v);
		test_fuzz(v, 20000);
	}
	test_not_elf();
	return check_finish();
}
