/* elfcmp.c - check that provcc changed nothing in an object but its note.
 *
 *   elfcmp [-n] PLAIN.o PROV.o
 *
 * Exit 0 when the two ELF files have the same ELF header (e_shoff,
 * e_shnum and e_shstrndx aside) and the same sections in the same order,
 * each with identical name, type, flags, address, alignment, entry size,
 * link, info, size and bytes, except that PROV.o may have one extra
 * section ".note.provcc.compile" (SHT_NOTE, SHF_EXCLUDE, not SHF_ALLOC),
 * and its section name table may differ from PLAIN.o's only by names
 * appended at its end.  Section indices (sh_link, sh_info of relocation
 * sections, symbol st_shndx, group members) are compared through the
 * mapping of PLAIN's sections onto PROV's.  With -n the extra note is
 * required.  Exit 1 on the first difference (printed), 2 on bad usage or
 * an unreadable file.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SHF_EXCLUDE
#define SHF_EXCLUDE (1U << 31)
#endif

#define NOTE_NAME ".note.provcc.compile"

struct obj {
	const char *path;
	int fd;
	Elf *e;
	GElf_Ehdr eh;
	size_t shnum, shstrndx;
};

static const char *plain_path, *prov_path;

static void differ(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void differ(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "elfcmp: %s vs %s: ", plain_path, prov_path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void trouble(const char *path, const char *what)
    __attribute__((noreturn));

static void trouble(const char *path, const char *what)
{
	fprintf(stderr, "elfcmp: %s: %s: %s\n", path, what, elf_errmsg(-1));
	exit(2);
}

static void open_obj(struct obj *o, const char *path)
{
	o->path = path;
	o->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (o->fd < 0) {
		perror(path);
		exit(2);
	}
	o->e = elf_begin(o->fd, ELF_C_READ, NULL);
	if (!o->e)
		trouble(path, "elf_begin");
	if (elf_kind(o->e) != ELF_K_ELF) {
		fprintf(stderr, "elfcmp: %s: not an ELF file\n", path);
		exit(2);
	}
	if (!gelf_getehdr(o->e, &o->eh))
		trouble(path, "ELF header");
	if (elf_getshdrnum(o->e, &o->shnum) < 0 ||
	    elf_getshdrstrndx(o->e, &o->shstrndx) < 0)
		trouble(path, "section count");
}

static void get_shdr(const struct obj *o, size_t i, GElf_Shdr *sh)
{
	Elf_Scn *scn = elf_getscn(o->e, i);

	if (!scn || !gelf_getshdr(scn, sh))
		trouble(o->path, "section header");
}

static const char *sec_name(const struct obj *o, size_t i)
{
	GElf_Shdr sh;
	const char *n;

	if (i == 0)
		return "(null)";
	get_shdr(o, i, &sh);
	n = elf_strptr(o->e, o->shstrndx, sh.sh_name);
	return n ? n : "(bad name)";
}

/* The raw bytes of section I, as they are in the file. */
static Elf_Data *raw(const struct obj *o, size_t i)
{
	Elf_Scn *scn = elf_getscn(o->e, i);
	Elf_Data *d = scn ? elf_rawdata(scn, NULL) : NULL;

	if (!d)
		trouble(o->path, "section data");
	return d;
}

static void compare_ehdr(const struct obj *a, const struct obj *b)
{
	const GElf_Ehdr *x = &a->eh, *y = &b->eh;

#define FIELD(f) \
	if (x->f != y->f) \
		differ("ELF header " #f " differs: %llu vs %llu", \
		    (unsigned long long)x->f, (unsigned long long)y->f)
	if (memcmp(x->e_ident, y->e_ident, EI_NIDENT) != 0)
		differ("ELF header e_ident differs");
	FIELD(e_type);
	FIELD(e_machine);
	FIELD(e_version);
	FIELD(e_entry);
	FIELD(e_phoff);
	FIELD(e_flags);
	FIELD(e_ehsize);
	FIELD(e_phentsize);
	FIELD(e_phnum);
	FIELD(e_shentsize);
#undef FIELD
}

static void compare_phdrs(const struct obj *a, const struct obj *b)
{
	size_t n, i;

	if (elf_getphdrnum(a->e, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		GElf_Phdr x, y;

		if (!gelf_getphdr(a->e, (int)i, &x) ||
		    !gelf_getphdr(b->e, (int)i, &y))
			trouble(a->path, "program header");
		if (memcmp(&x, &y, sizeof(x)) != 0)
			differ("program header %zu differs", i);
	}
}

/* map[i]: the index in PROV of PLAIN's section I. */
static size_t *map;
static size_t map_n;

static size_t mapped(size_t i)
{
	return i < map_n ? map[i] : (size_t)-1;
}

static int is_section_index_info(const GElf_Shdr *sh)
{
	return sh->sh_type == SHT_REL || sh->sh_type == SHT_RELA ||
	    (sh->sh_flags & SHF_INFO_LINK);
}

static void compare_symtab(const struct obj *a, const struct obj *b,
    size_t ia, size_t ib, const char *name)
{
	Elf_Data *da = elf_getdata(elf_getscn(a->e, ia), NULL);
	Elf_Data *db = elf_getdata(elf_getscn(b->e, ib), NULL);
	size_t n, k;

	if (!da || !db)
		trouble(a->path, "symbol table");
	n = da->d_size / gelf_fsize(a->e, ELF_T_SYM, 1, EV_CURRENT);
	for (k = 0; k < n; k++) {
		GElf_Sym x, y;

		if (!gelf_getsym(da, (int)k, &x) || !gelf_getsym(db, (int)k, &y))
			trouble(a->path, "symbol");
		if (x.st_shndx != SHN_UNDEF && x.st_shndx < SHN_LORESERVE)
			x.st_shndx = (GElf_Section)mapped(x.st_shndx);
		if (memcmp(&x, &y, sizeof(x)) != 0)
			differ("section %zu (%s): symbol %zu differs "
			    "(st_shndx %u vs %u)", ia, name, k, x.st_shndx,
			    y.st_shndx);
	}
}

static void compare_group(const struct obj *a, const struct obj *b,
    size_t ia, size_t ib, const char *name)
{
	Elf_Data *da = elf_getdata(elf_getscn(a->e, ia), NULL);
	Elf_Data *db = elf_getdata(elf_getscn(b->e, ib), NULL);
	const Elf32_Word *x, *y;
	size_t n, k;

	if (!da || !db || da->d_size != db->d_size)
		differ("section %zu (%s): group data differs", ia, name);
	x = da->d_buf;
	y = db->d_buf;
	n = da->d_size / sizeof(Elf32_Word);
	for (k = 0; k < n; k++)
		if ((k == 0 ? x[k] : (Elf32_Word)mapped(x[k])) != y[k])
			differ("section %zu (%s): group word %zu differs", ia,
			    name, k);
}

static void compare_section(const struct obj *a, const struct obj *b,
    size_t ia, size_t ib)
{
	GElf_Shdr x, y;
	const char *name = sec_name(a, ia), *nb = sec_name(b, ib);
	Elf_Data *da, *db;

	get_shdr(a, ia, &x);
	get_shdr(b, ib, &y);
	if (strcmp(name, nb) != 0)
		differ("section %zu: name differs: %s vs %s", ia, name, nb);
#define FIELD(f) \
	if (x.f != y.f) \
		differ("section %zu (%s): " #f " differs: %#llx vs %#llx", \
		    ia, name, (unsigned long long)x.f, \
		    (unsigned long long)y.f)
	FIELD(sh_name);
	FIELD(sh_type);
	FIELD(sh_flags);
	FIELD(sh_addr);
	FIELD(sh_addralign);
	FIELD(sh_entsize);
#undef FIELD
	if (x.sh_link != 0)
		x.sh_link = (GElf_Word)mapped(x.sh_link);
	if (x.sh_link != y.sh_link)
		differ("section %zu (%s): sh_link differs: %u vs %u", ia, name,
		    x.sh_link, y.sh_link);
	if (x.sh_info != 0 && is_section_index_info(&x))
		x.sh_info = (GElf_Word)mapped(x.sh_info);
	if (x.sh_info != y.sh_info)
		differ("section %zu (%s): sh_info differs: %u vs %u", ia, name,
		    x.sh_info, y.sh_info);
	if (ia == a->shstrndx) {
		/* PROV's name table may have names appended. */
		if (ib != b->shstrndx)
			differ("section name table is section %zu vs %zu",
			    ia, ib);
		da = raw(a, ia);
		db = raw(b, ib);
		if (db->d_size < da->d_size ||
		    memcmp(da->d_buf, db->d_buf, da->d_size) != 0)
			differ("section %zu (%s): PLAIN's section names are "
			    "not a prefix of PROV's", ia, name);
		return;
	}
	if (x.sh_size != y.sh_size)
		differ("section %zu (%s): sh_size differs: %llu vs %llu", ia,
		    name, (unsigned long long)x.sh_size,
		    (unsigned long long)y.sh_size);
	if (x.sh_type == SHT_NOBITS || x.sh_size == 0)
		return;
	if (x.sh_type == SHT_SYMTAB || x.sh_type == SHT_DYNSYM) {
		compare_symtab(a, b, ia, ib, name);
		return;
	}
	if (x.sh_type == SHT_GROUP) {
		compare_group(a, b, ia, ib, name);
		return;
	}
	da = raw(a, ia);
	db = raw(b, ib);
	if (da->d_size != db->d_size)
		differ("section %zu (%s): data size differs", ia, name);
	if (memcmp(da->d_buf, db->d_buf, da->d_size) != 0) {
		size_t k = 0;
		const unsigned char *p = da->d_buf, *q = db->d_buf;

		while (p[k] == q[k])
			k++;
		differ("section %zu (%s): bytes differ at offset %zu "
		    "(%#04x vs %#04x)", ia, name, k, p[k], q[k]);
	}
}

static void check_note(const struct obj *b, size_t i)
{
	GElf_Shdr sh;

	get_shdr(b, i, &sh);
	if (sh.sh_type != SHT_NOTE)
		differ("extra section %zu (%s) is not SHT_NOTE (type %u)", i,
		    NOTE_NAME, sh.sh_type);
	if (!(sh.sh_flags & SHF_EXCLUDE) || (sh.sh_flags & SHF_ALLOC))
		differ("extra section %zu (%s) has flags %#llx, not "
		    "SHF_EXCLUDE without SHF_ALLOC", i, NOTE_NAME,
		    (unsigned long long)sh.sh_flags);
	if (sh.sh_size == 0)
		differ("extra section %zu (%s) is empty", i, NOTE_NAME);
}

int main(int argc, char **argv)
{
	struct obj a, b;
	size_t ia, ib, extra = 0;
	int need_note = 0, argi = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		need_note = 1;
		argi++;
	}
	if (argc - argi != 2) {
		fprintf(stderr, "usage: elfcmp [-n] PLAIN.o PROV.o\n");
		return 2;
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "elfcmp: libelf is unusable\n");
		return 2;
	}
	plain_path = argv[argi];
	prov_path = argv[argi + 1];
	open_obj(&a, plain_path);
	open_obj(&b, prov_path);
	compare_ehdr(&a, &b);
	compare_phdrs(&a, &b);

	if (b.shnum == a.shnum + 1) {
		for (ib = 1; ib < b.shnum; ib++)
			if (strcmp(sec_name(&b, ib), NOTE_NAME) == 0)
				break;
		if (ib == b.shnum)
			differ("PROV has one section more (%zu vs %zu) but "
			    "no %s", b.shnum, a.shnum, NOTE_NAME);
		extra = ib;
		check_note(&b, extra);
	} else if (b.shnum != a.shnum)
		differ("section count differs: %zu vs %zu", a.shnum, b.shnum);
	if (need_note && !extra)
		differ("PROV has no %s section", NOTE_NAME);

	map_n = a.shnum;
	map = calloc(map_n ? map_n : 1, sizeof(*map));
	if (!map)
		return 2;
	for (ia = 0, ib = 0; ia < a.shnum; ia++, ib++) {
		if (extra && ib == extra)
			ib++;
		map[ia] = ib;
	}
	if (mapped(a.shstrndx) != b.shstrndx)
		differ("e_shstrndx differs: %zu (maps to %zu) vs %zu",
		    a.shstrndx, mapped(a.shstrndx), b.shstrndx);
	for (ia = 1; ia < a.shnum; ia++)
		compare_section(&a, &b, ia, map[ia]);

	printf("elfcmp: %s and %s are equal%s\n", plain_path, prov_path,
	    extra ? " but for the provenance note" : "");
	free(map);
	elf_end(a.e);
	elf_end(b.e);
	close(a.fd);
	close(b.fd);
	return 0;
}
