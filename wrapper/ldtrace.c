/* ldtrace.c - the inputs of an lld link, from the files lld writes when
 * asked: --dependency-file (every file read: objects, archives, shared
 * libraries, linker scripts) and --why-extract (every archive member
 * that symbol resolution pulled in).  Members of --whole-archive
 * archives are not in --why-extract; they are all linked, so all are
 * listed.  The result has the shape of the plugin's manifest
 * (plugin/README.md), so that one builder serves both routes.
 */
#define _GNU_SOURCE
#include "ldtrace.h"
#include "depfile.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ar.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The SHA-256 of a whole file through the hash cache (a file read by
 * every link, libc.so.6 say, is hashed once), else of its bytes. */
static void put_file_sha256(json_t *in, const char *abs, const void *buf,
    size_t len)
{
	char hex[PV_SHA256_HEX];

	if (pv_sha256_file_hex(abs, hex) < 0)
		pv_sha256_buf_hex(buf, len, hex);
	json_object_set_new(in, "sha256", json_string(hex));
}

static void put_sha256(json_t *in, const char *member, const void *buf,
    size_t len)
{
	char hex[PV_SHA256_HEX];

	pv_sha256_buf_hex(buf, len, hex);
	json_object_set_new(in, member, json_string(hex));
}

/* DT_SONAME of a shared library, or NULL. */
static char *soname_of(Elf *e)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Dyn dyn;

	while ((scn = elf_nextscn(e, scn)) != NULL) {
		Elf_Data *d;
		size_t i;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC ||
		    !(d = elf_getdata(scn, NULL)) || sh.sh_entsize == 0)
			continue;
		for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			const char *s;

			if (!gelf_getdyn(d, (int)i, &dyn))
				break;
			if (dyn.d_tag == DT_SONAME &&
			    (s = elf_strptr(e, sh.sh_link, dyn.d_un.d_val)))
				return pv_xstrdup(s);
		}
	}
	return NULL;
}

static int count_compile_notes(Elf *e)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int n = 0;

	while ((scn = elf_nextscn(e, scn)) != NULL)
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_NOTE &&
		    !(sh.sh_flags & SHF_ALLOC))
			n++;	/* a hint: provcc reads the notes itself */
	return n;
}

static json_t *entry(const char *name, long long off, long long size,
    const char *kind)
{
	return json_pack("{s:s,s:I,s:I,s:s}", "name", name, "offset",
	    (json_int_t)off, "size", (json_int_t)size, "kind", kind);
}

/* One archive member, linked: name, bytes, compile notes. */
static void add_member(json_t *inputs, const char *archive,
    const char *archive_sha, const unsigned char *img, Elf *m,
    const char *member)
{
	size_t base = (size_t)elf_getbase(m), len;
	char *raw = elf_rawfile(m, &len);
	json_t *in;

	if (!raw)
		return;
	in = entry(archive, (long long)base, (long long)len,
	    elf_kind(m) == ELF_K_ELF ? "rel" : "bitcode");
	put_sha256(in, "sha256", img + base, len);
	json_object_set_new(in, "archiveSha256", json_string(archive_sha));
	json_object_set_new(in, "member", json_string(member));
	json_object_set_new(in, "compileRecords", json_integer(
	    elf_kind(m) == ELF_K_ELF ? count_compile_notes(m) : 0));
	json_array_append_new(inputs, in);
}

/* Members of ARCHIVE that are linked: all, or those in EXTRACTED
 * ("archive(member)" strings as --why-extract names them). */
static int add_archive(json_t *inputs, const char *name, const char *abs,
    const unsigned char *img, size_t len, int whole, json_t *extracted)
{
	char sha[PV_SHA256_HEX];
	Elf_Cmd cmd = ELF_C_READ_MMAP;
	int fd = open(abs, O_RDONLY | O_CLOEXEC);
	Elf *ar, *m;

	/* libelf walks the members of archives it reads from a file. */
	if (fd < 0 || !(ar = elf_begin(fd, cmd, NULL))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (pv_sha256_file_hex(abs, sha) < 0)
		pv_sha256_buf_hex(img, len, sha);
	while ((m = elf_begin(fd, cmd, ar)) != NULL) {
		Elf_Arhdr *h = elf_getarhdr(m);

		if (h && h->ar_name[0] != '/') {
			char *key = pv_xasprintf("%s(%s)", abs, h->ar_name);

			if (whole || json_object_get(extracted, key))
				add_member(inputs, name, sha, img, m,
				    h->ar_name);
			free(key);
		}
		cmd = elf_next(m);
		elf_end(m);
	}
	elf_end(ar);
	close(fd);
	return 0;
}

static void add_file(json_t *inputs, const char *name, const char *abs,
    const unsigned char *img, size_t len)
{
	const char *kind = "script";
	Elf *e = NULL;
	char *soname = NULL;
	json_t *in;
	GElf_Ehdr eh;
	int notes = 0;

	if (len >= 4 && memcmp(img, ELFMAG, SELFMAG) == 0 &&
	    (e = elf_memory((char *)img, len)) && gelf_getehdr(e, &eh)) {
		kind = eh.e_type == ET_DYN ? "dyn" : eh.e_type == ET_REL ?
		    "rel" : "other";
		if (eh.e_type == ET_DYN)
			soname = soname_of(e);
		else
			notes = count_compile_notes(e);
	} else if (len >= 4 && memcmp(img, "BC\xc0\xde", 4) == 0)
		kind = "bitcode";
	in = entry(name, 0, (long long)len, kind);
	put_file_sha256(in, abs, img, len);
	if (soname)
		json_object_set_new(in, "soname", json_string(soname));
	json_object_set_new(in, "compileRecords", json_integer(notes));
	json_array_append_new(inputs, in);
	free(soname);
	if (e)
		elf_end(e);
}

/* The archives named inside --whole-archive ... --no-whole-archive, by
 * path or as -lNAME (libNAME.a). */
static int in_whole_archive(char *const argv[], int argc, const char *path)
{
	int i, whole = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--whole-archive") == 0 ||
		    strcmp(a, "-whole-archive") == 0)
			whole = 1;
		else if (strcmp(a, "--no-whole-archive") == 0 ||
		    strcmp(a, "-no-whole-archive") == 0)
			whole = 0;
		else if (whole && strcmp(a, path) == 0)
			return 1;
		else if (whole && strncmp(a, "-l", 2) == 0) {
			const char *b = pv_base_name(path);
			size_t n = strlen(a + 2);

			if (a[2] == ':' ? strcmp(b, a + 3) == 0 :
			    strncmp(b, "lib", 3) == 0 &&
			    strncmp(b + 3, a + 2, n) == 0 &&
			    strcmp(b + 3 + n, ".a") == 0)
				return 1;
		}
	}
	return 0;
}

/* "archive(member)" of each line of a --why-extract file, normalised
 * against CWD, as keys of an object. */
static json_t *read_extracted(const char *path, const char *cwd)
{
	unsigned char *buf;
	size_t len;
	json_t *set = json_object();
	char *line, *save = NULL;

	if (pv_read_file(path, &buf, &len) < 0)
		return set;
	for (line = strtok_r((char *)buf, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t'), *end, *abs;

		if (!tab || !(end = strchr(tab + 1, '\t')))
			continue;
		*end = '\0';
		abs = pv_path_normalize(cwd, tab + 1);
		json_object_set_new(set, abs, json_true());
		free(abs);
	}
	free(buf);
	return set;
}

json_t *pv_ldtrace_inputs(const char *depfile, const char *whyfile,
    const char *cwd, int argc, char *const argv[], const char **why)
{
	struct pv_pathlist deps = { 0 };
	unsigned char *text, *img;
	size_t len, i;
	json_t *inputs, *extracted;

	if (elf_version(EV_CURRENT) == EV_NONE ||
	    pv_read_file(depfile, &text, &len) < 0 ||
	    pv_depfile_parse((char *)text, len, &deps) < 0) {
		*why = "lld wrote no dependency file";
		return NULL;
	}
	free(text);
	extracted = read_extracted(whyfile, cwd);
	inputs = json_array();
	for (i = 0; i < deps.n; i++) {
		char *abs = pv_path_normalize(cwd, deps.v[i]);

		if (pv_read_file(abs, &img, &len) < 0) {
			*why = "a link input cannot be read";
			free(abs);
			json_decref(inputs);
			inputs = NULL;
			break;
		}
		if (len >= SARMAG && memcmp(img, ARMAG, SARMAG) == 0)
			add_archive(inputs, deps.v[i], abs, img, len,
			    in_whole_archive(argv, argc, deps.v[i]),
			    extracted);
		else
			add_file(inputs, deps.v[i], abs, img, len);
		free(img);
		free(abs);
	}
	json_decref(extracted);
	pv_pathlist_free(&deps);
	return inputs;
}
