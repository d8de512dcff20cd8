/* elfobj.c - the note object a link adds; see elfobj.h. */
#define _GNU_SOURCE
#include "elfobj.h"
#include "note.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sections copied from the template, as they are: whatever the linker
 * derives from them over all inputs (GNU properties: AND or OR of each
 * bit; the stack: executable when any input asks for it, or lacks the
 * section) is unchanged by an input repeated, while an object without
 * them would clear x86 IBT/SHSTK bits or make the stack executable. */
static const char *const copied_sections[] = {
	".note.gnu.property", ".note.GNU-stack",
};
#define NCOPIED (sizeof(copied_sections) / sizeof(*copied_sections))

struct section_copy {
	GElf_Shdr sh;
	const void *buf;
	size_t size;
};

int pv_elf_is_relocatable(const void *img, size_t len)
{
	const unsigned char *p = img;
	unsigned type;

	if (len < 52 || memcmp(p, ELFMAG, SELFMAG) != 0)
		return 0;
	type = p[EI_DATA] == ELFDATA2MSB ? (unsigned)p[16] << 8 | p[17] :
	    (unsigned)p[17] << 8 | p[16];
	return type == ET_REL;
}

/* The template's section NAME, if it has one: 1, 0, or -1. */
static int find_copied(Elf *t, const char *wanted, struct section_copy *out)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	memset(out, 0, sizeof(*out));
	if (elf_getshdrstrndx(t, &shstrndx) < 0)
		return -1;
	while ((scn = elf_nextscn(t, scn)) != NULL) {
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &out->sh))
			return -1;
		name = elf_strptr(t, shstrndx, out->sh.sh_name);
		if (!name || strcmp(name, wanted) != 0)
			continue;
		if (out->sh.sh_type == SHT_NOBITS || out->sh.sh_size == 0) {
			out->buf = "";
			out->size = 0;
			return 1;
		}
		if (!(d = elf_rawdata(scn, NULL)))
			return -1;
		out->buf = d->d_buf;
		out->size = d->d_size;
		return 1;
	}
	return 0;
}

static int add_section(Elf *e, size_t name_off, const GElf_Shdr *like,
    const void *buf, size_t size)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d = scn ? elf_newdata(scn) : NULL;
	GElf_Shdr sh;

	if (!d || !gelf_getshdr(scn, &sh))
		return -1;
	d->d_buf = (void *)buf;
	d->d_size = size;
	d->d_type = ELF_T_BYTE;	/* written as is, no byte swapping */
	d->d_align = like->sh_addralign;
	sh.sh_name = (GElf_Word)name_off;
	sh.sh_type = like->sh_type;
	sh.sh_flags = like->sh_flags;
	sh.sh_addralign = like->sh_addralign;
	sh.sh_entsize = like->sh_entsize;
	return gelf_update_shdr(scn, &sh) ? 0 : -1;
}

/* The section name table: "", SECNAME, the copied sections, .shstrtab,
 * each NUL-terminated. */
struct names {
	char *buf;
	size_t len, sec, copied[NCOPIED], shstr;
};

static void put_name(struct names *n, const char *name, size_t *off)
{
	size_t k = strlen(name) + 1;

	*off = n->len;
	memcpy(n->buf + n->len, name, k);
	n->len += k;
}

static void section_names(const char *secname, struct names *n)
{
	size_t i, size = 1 + strlen(secname) + 1 + sizeof(".shstrtab");

	for (i = 0; i < NCOPIED; i++)
		size += strlen(copied_sections[i]) + 1;
	n->buf = pv_xmalloc(size);
	n->buf[0] = '\0';
	n->len = 1;
	put_name(n, secname, &n->sec);
	for (i = 0; i < NCOPIED; i++)
		put_name(n, copied_sections[i], &n->copied[i]);
	put_name(n, ".shstrtab", &n->shstr);
}

static int build(Elf *e, Elf *t, const void *note, size_t notelen,
    const struct names *n)
{
	GElf_Ehdr th, eh;
	GElf_Shdr like;
	struct section_copy copy;
	size_t i, nsections = 1;
	int found;

	if (!gelf_getehdr(t, &th) || !gelf_newehdr(e, gelf_getclass(t)) ||
	    !gelf_getehdr(e, &eh))
		return -1;
	memcpy(eh.e_ident, th.e_ident, EI_NIDENT);
	eh.e_type = ET_REL;
	eh.e_machine = th.e_machine;
	eh.e_version = EV_CURRENT;
	eh.e_flags = th.e_flags;
	memset(&like, 0, sizeof(like));
	like.sh_type = SHT_NOTE;
	like.sh_flags = SHF_ALLOC;
	like.sh_addralign = 4;
	if (add_section(e, n->sec, &like, note, notelen) < 0)
		return -1;
	for (i = 0; i < NCOPIED; i++) {
		if ((found = find_copied(t, copied_sections[i], &copy)) < 0 ||
		    (found && add_section(e, n->copied[i], &copy.sh, copy.buf,
		    copy.size) < 0))
			return -1;
		nsections += (size_t)found;
	}
	memset(&like, 0, sizeof(like));
	like.sh_type = SHT_STRTAB;
	like.sh_addralign = 1;
	if (add_section(e, n->shstr, &like, n->buf, n->len) < 0)
		return -1;
	eh.e_shstrndx = nsections + 1;
	if (!gelf_update_ehdr(e, &eh))
		return -1;
	return elf_update(e, ELF_C_WRITE) < 0 ? -1 : 0;
}

int pv_elf_write_note_object(const char *path, const void *tmpl, size_t len,
    const char *secname, unsigned type, const unsigned char *desc,
    size_t desclen, const char **why)
{
	struct names names;
	size_t notelen;
	unsigned char *note = NULL;
	Elf *t, *e = NULL;
	int fd = -1, rc = -1;

	*why = "libelf cannot read the template object";
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    !pv_elf_is_relocatable(tmpl, len) ||
	    !(t = elf_memory((char *)tmpl, len)))
		return -1;
	section_names(secname, &names);
	if (pv_note_build(type, desc, desclen,
	    ((const unsigned char *)tmpl)[EI_DATA] == ELFDATA2MSB, &note,
	    &notelen) < 0) {
		*why = "note too large";
		goto out;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		*why = strerror(errno);
		goto out;
	}
	*why = "libelf cannot write the object";
	if ((e = elf_begin(fd, ELF_C_WRITE, NULL)) != NULL &&
	    build(e, t, note, notelen, &names) == 0)
		rc = 0;
out:
	if (e)
		elf_end(e);
	if (fd >= 0 && close(fd) < 0 && rc == 0) {
		*why = strerror(errno);
		rc = -1;
	}
	if (rc < 0 && fd >= 0)
		unlink(path);
	elf_end(t);
	free(note);
	free(names.buf);
	return rc;
}
