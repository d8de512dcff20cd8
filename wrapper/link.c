/* link.c - links: every linked ELF output gets the link note.
 *
 * A driver link (`provcc gcc main.o -o prog`) runs the driver with
 * provcc's linker directory first in COMPILER_PATH, where links named
 * ld, ld.bfd and ld.gold lead back to provcc; gcc's collect2 and clang
 * look there first for the linker.  provcc, started as that linker (or
 * directly, `provcc ld ...`, or through an `ld` masquerade link), runs
 * the real linker with provcc's plugin loaded before any other, so that
 * it is offered every input, the LTO plugin's too.  When the linker has
 * read all its inputs the plugin writes them to a manifest and waits;
 * provcc builds the link statement from it (every input, the compile
 * records they carry, the link itself), writes it as a note into a
 * small object, and the plugin adds that object to the link.  The note
 * so lies inside a loaded segment of the output.  After the link provcc
 * checks the note is there and signs it (PROVCC_KEY).
 *
 * docs/design.md explains the choice; docs/format.md defines the note.
 */
#define _GNU_SOURCE
#include "link.h"
#include "buildroot.h"
#include "child.h"
#include "elfdigest.h"
#include "elfnote.h"
#include "elfobj.h"
#include "hash.h"
#include "linknote.h"
#include "ldtrace.h"
#include "linkrec.h"
#include "linksign.h"
#include "note.h"
#include "onestep.h"
#include "pkgfacts.h"
#include "rspfile.h"
#include "sign.h"
#include "toolchain.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINK_DIR_ENV "PROVCC_LINK_DIR"
#define PLUGIN_NAME "libprovcc-ld.so"

extern char **environ;

struct link {
	const char *linker;	/* the real linker */
	int argc;
	char **argv;		/* as given; argv[0] is the name used */
	char *argv0;		/* argv[0] for the linker (see pv_ld_main) */
	struct pv_expanded x;	/* the same, response files expanded */
	struct pv_buildroot br;
	char *dir;		/* private directory */
	int own_dir;		/* made here: removed at the end */
	json_t *ctx;		/* the driver's facts, below a driver link */
	char *output;		/* absolute */
	int warn_only;
	int sock[2];		/* [0] ours, [1] the plugin's */
	struct pv_key *key;	/* PROVCC_KEY, or NULL */
	int recorded;		/* the note object was handed over */
	int failed;		/* provenance could not be recorded */
};

static const char *const linker_names[] = {
	"ld", "ld.bfd", "ld.gold", "ld.lld", "ld.mold", "mold", "lld", NULL,
};

int pv_is_linker_name(const char *base)
{
	const char *const *n;
	const char *dash = strrchr(base, '-');

	for (n = linker_names; *n; n++)
		if (strcmp(base, *n) == 0 ||
		    (dash && strcmp(dash + 1, *n) == 0 && strcmp(*n, "lld")))
			return 1;
	return 0;
}

static int warn_only(void)
{
	const char *onerr = getenv("PROVCC_ON_ERROR");

	return onerr && strcmp(onerr, "warn") == 0;
}

/* One failure line; the first failure is the one that counts. */
static void fail(struct link *l, const char *what, const char *file,
    const char *why)
{
	if (l->failed)
		return;
	l->failed = 1;
	if (l->warn_only)
		pv_warning(what, file, why);
	else
		pv_error(what, file, why);
}

/* ------------------------------------------------------------------ */
/* The linker command line                                             */

static int is_relocatable_option(const char *a)
{
	return strcmp(a, "-r") == 0 || strcmp(a, "-i") == 0 ||
	    strcmp(a, "--relocatable") == 0 || strcmp(a, "-Ur") == 0;
}

static int is_query_option(const char *a)
{
	return strcmp(a, "--version") == 0 || strcmp(a, "-v") == 0 ||
	    strcmp(a, "-V") == 0 || strcmp(a, "--help") == 0 ||
	    strncmp(a, "--print-", 8) == 0;
}

/* Whether the linker is to be run untouched: a relocatable link keeps
 * its inputs' compile records and has no segments; a query links
 * nothing.  Our own plugin already on the command line means another
 * provcc runs this link. */
static int pass_ld_through(const struct pv_expanded *x)
{
	int i;

	if (x->argc < 2)
		return 1;
	for (i = 1; i < x->argc; i++)
		if (is_relocatable_option(x->argv[i]) ||
		    is_query_option(x->argv[i]) ||
		    strcmp(pv_base_name(x->argv[i]), PLUGIN_NAME) == 0)
			return 1;
	return 0;
}

static const char *ld_output(const struct pv_expanded *x)
{
	const char *out = "a.out";
	int i;

	for (i = 1; i < x->argc; i++) {
		const char *a = x->argv[i];

		if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) &&
		    i + 1 < x->argc)
			out = x->argv[++i];
		else if (strncmp(a, "--output=", 9) == 0)
			out = a + 9;
		else if (strncmp(a, "-o", 2) == 0 && a[2])
			out = a + 2;
	}
	return out;
}

/* ------------------------------------------------------------------ */
/* Building the note from the plugin's manifest                        */

static json_t *read_member_bytes(const char *abs, json_t *in,
    unsigned char **buf, size_t *len)
{
	json_int_t off = json_integer_value(json_object_get(in, "offset"));
	json_int_t size = json_integer_value(json_object_get(in, "size"));
	int fd = open(abs, O_RDONLY | O_CLOEXEC);
	ssize_t got = -1;

	*buf = NULL;
	if (fd < 0 || off < 0 || size <= 0 || size > (1LL << 32)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	*buf = pv_xmalloc((size_t)size);
	got = pread(fd, *buf, (size_t)size, (off_t)off);
	close(fd);
	if (got != (ssize_t)size) {
		free(*buf);
		*buf = NULL;
		return NULL;
	}
	*len = (size_t)size;
	return in;
}

struct notes_ctx {
	struct pv_linkrec *lr;
	json_t *indices;
	const char *why;
};

static int on_compile_note(void *arg, const char *member, unsigned type,
    const unsigned char *desc, size_t len)
{
	struct notes_ctx *nc = arg;
	json_t *r;
	long idx;

	(void)member;
	if (type != PV_NT_COMPILE)
		return 0;
	if (!(r = pv_desc_decode(desc, len, &nc->why)))
		return 1;
	idx = pv_linkrec_add_compile(nc->lr, r);
	json_decref(r);
	if (idx < 0) {
		nc->why = "not a compile record of a known version";
		return 1;
	}
	json_array_append_new(nc->indices, json_integer(idx));
	return 0;
}

/* An object compiled for this link alone (`gcc main.c -o prog`), by
 * provcc (onestep.h) or by the driver, which deletes it after: its name
 * is random, so it is not recorded. */
static int is_driver_temporary(const struct link *l, const char *abs)
{
	const char *tmp = getenv("TMPDIR");
	const json_t *o;
	size_t n, i;

	json_array_foreach(json_object_get(l->ctx, "objects"), i, o)
		if (strcmp(json_string_value(o), abs) == 0)
			return 1;
	if (!l->ctx || !json_is_true(json_object_get(l->ctx, "compiles")))
		return 0;
	if (!tmp || *tmp != '/')
		tmp = "/tmp";
	n = strlen(tmp);
	while (n > 1 && tmp[n - 1] == '/')
		n--;
	return strncmp(abs, tmp, n) == 0 && abs[n] == '/' &&
	    !strchr(abs + n + 1, '/');
}

/* The SHA-256 of a whole file, through the hash cache, as a JSON
 * string; NULL with errno. */
static json_t *file_sha256(const char *path)
{
	char hex[PV_SHA256_HEX];

	return pv_sha256_file_hex(path, hex) < 0 ? NULL : json_string(hex);
}

static json_t *buf_sha256(const void *buf, size_t len)
{
	char hex[PV_SHA256_HEX];

	pv_sha256_buf_hex(buf, len, hex);
	return json_string(hex);
}

static const char *input_kind(json_t *in)
{
	const char *kind = json_string_value(json_object_get(in, "kind"));

	if (!kind)
		return "other";
	if (json_object_get(in, "member"))
		return "member";
	if (strcmp(kind, "rel") == 0 || strcmp(kind, "bitcode") == 0)
		return "object";
	if (strcmp(kind, "dyn") == 0)
		return "shared";
	if (strcmp(kind, "script") == 0)
		return "script";
	return "other";
}

static void copy_member(json_t *to, const char *name, json_t *from,
    const char *fname)
{
	json_t *v = json_object_get(from, fname);

	if (v)
		json_object_set(to, name, v);
}

/* The compile records of an object or member; keeps the first ELF
 * relocatable object as the template of the note object. */
static int add_compiles(struct link *l, struct pv_linkrec *lr,
    const char *abs, json_t *in, json_t *out, unsigned char **tmpl,
    size_t *tmpl_len)
{
	struct notes_ctx nc = { lr, json_array(), NULL };
	unsigned char *buf;
	size_t len;

	if (!read_member_bytes(abs, in, &buf, &len)) {
		fail(l, "cannot read link input", abs, strerror(errno ? errno :
		    EIO));
		json_decref(nc.indices);
		return -1;
	}
	if (json_integer_value(json_object_get(in, "compileRecords")) > 0 &&
	    (pv_elf_scan_notes_mem(buf, len, on_compile_note, &nc) !=
	    PV_SCAN_OK || nc.why)) {
		fail(l, "malformed compile record", abs, nc.why ? nc.why :
		    "the object's notes do not parse");
		json_decref(nc.indices);
		free(buf);
		return -1;
	}
	if (!json_object_get(out, "sha256"))
		json_object_set_new(out, "sha256", buf_sha256(buf, len));
	if (json_array_size(nc.indices))
		json_object_set(out, "compiles", nc.indices);
	json_decref(nc.indices);
	if (!*tmpl && pv_elf_is_relocatable(buf, len)) {
		*tmpl = buf;
		*tmpl_len = len;
	} else
		free(buf);
	return 0;
}

/* The digests the plugin left out (hash=no): whole files through the
 * cache; an object's or member's bytes are hashed when they are read. */
static int add_hashes(struct link *l, const char *abs, const char *kind,
    json_t *out)
{
	int member = strcmp(kind, "member") == 0;
	json_t *sha;

	if (member && !json_object_get(out, "archiveSha256")) {
		if (!(sha = file_sha256(abs)))
			goto fail;
		json_object_set_new(out, "archiveSha256", sha);
	}
	if (member || strcmp(kind, "object") == 0 ||
	    json_object_get(out, "sha256"))
		return 0;
	if (!(sha = file_sha256(abs)))
		goto fail;
	json_object_set_new(out, "sha256", sha);
	return 0;
fail:
	fail(l, "cannot hash link input", abs, strerror(errno));
	return -1;
}

static int add_input(struct link *l, struct pv_linkrec *lr, const char *cwd,
    json_t *in, unsigned char **tmpl, size_t *tmpl_len)
{
	const char *name = json_string_value(json_object_get(in, "name"));
	const char *kind = json_string_value(json_object_get(in, "kind"));
	const char *k = input_kind(in);
	json_t *out;
	char *abs;
	int rc = 0;

	if (!name || !kind || json_is_true(json_object_get(in, "added")) ||
	    strcmp(kind, "archive") == 0)
		return 0;	/* the note object; a whole archive offered */
	abs = pv_path_normalize(cwd, name);
	out = json_object();
	json_object_set_new(out, "kind", json_string(k));
	if (is_driver_temporary(l, abs))
		json_object_set_new(out, "temporary", json_true());
	else
		json_object_set_new(out, "path",
		    json_string_nocheck(pv_buildroot_rel(&l->br, abs)));
	copy_member(out, "sha256", in, "sha256");
	copy_member(out, "archiveSha256", in, "archiveSha256");
	copy_member(out, "member", in, "member");
	copy_member(out, "soname", in, "soname");
	rc = add_hashes(l, abs, k, out);
	if (rc == 0 && (strcmp(k, "object") == 0 || strcmp(k, "member") == 0))
		rc = add_compiles(l, lr, abs, in, out, tmpl, tmpl_len);
	free(abs);
	pv_linkrec_add_input(lr, out);
	return rc;
}

static json_t *argv_json(const struct link *l)
{
	json_t *a = json_array();
	int i;

	if (l->ctx)
		return json_incref(json_object_get(l->ctx, "argv"));
	json_array_append_new(a, json_string_nocheck(
	    pv_buildroot_subst(&l->br, l->argv[0])));
	for (i = 1; i < l->x.argc; i++)
		json_array_append_new(a, json_string_nocheck(
		    pv_buildroot_subst(&l->br, l->x.argv[i])));
	return a;
}

json_t *pv_link_env_json(const struct pv_buildroot *br)
{
	const char *const *name;
	json_t *env = json_object();

	for (name = pv_env_allowlist; *name; name++) {
		const char *v = getenv(*name);

		if (v)
			json_object_set_new(env, *name, json_string_nocheck(
			    pv_buildroot_subst(br, v)));
	}
	return env;
}

/* What the output is, in the words of docs/format.md. */
static const char *output_type(json_t *m, int dynamic)
{
	const char *t = json_string_value(json_object_get(
	    json_object_get(m, "output"), "type"));

	if (!t)
		return "unknown";
	if (strcmp(t, "dyn") == 0)
		return "shared";
	if (strcmp(t, "pie") == 0)
		return dynamic ? "pie" : "static-pie";
	if (strcmp(t, "exec") == 0)
		return dynamic ? "executable" : "static";
	return t;
}

static int has_shared_input(json_t *inputs)
{
	json_t *in;
	size_t i;

	json_array_foreach(inputs, i, in)
		if (strcmp(input_kind(in), "shared") == 0)
			return 1;
	return 0;
}

/* The plugins the linker loaded besides ours (an LTO plugin). */
static json_t *other_plugins(json_t *linker)
{
	json_t *loaded = json_object_get(linker, "loaded"), *f, *out, *sha;
	size_t i;

	out = json_array();
	json_array_foreach(loaded, i, f) {
		const char *p = json_string_value(json_object_get(f, "path"));
		const char *b = p ? pv_base_name(p) : "";

		if (strcmp(b, PLUGIN_NAME) == 0 || (!strstr(b, "plugin") &&
		    strncmp(b, "LLVMgold", 8) != 0))
			continue;
		sha = json_object_get(f, "sha256");
		sha = sha ? json_incref(sha) : file_sha256(p);
		if (sha)
			json_array_append_new(out, json_pack("{s:s,s:o}",
			    "path", p, "sha256", sha));
	}
	return out;
}

/* The linker by real path; its version asked through the name it ran
 * as (lld answers only as ld.lld). */
static json_t *linker_json(const struct link *l, json_t *m)
{
	json_t *linker = json_object_get(m, "linker");
	const char *exe = json_string_value(json_object_get(linker, "exe"));
	struct pv_toolid id;
	json_t *j, *sha;

	if (!exe)
		return NULL;
	sha = json_object_get(linker, "sha256");
	if (!(sha = sha ? json_incref(sha) : file_sha256(exe)))
		return NULL;
	pv_toolid_get(l->linker, NULL, &id);
	j = json_pack("{s:s,s:o,s:s}", "path", exe, "sha256", sha,
	    "version", id.version);
	pv_toolid_free(&id);
	return j;
}

static json_t *link_json(struct link *l, json_t *m)
{
	json_t *link = json_object(), *linker = linker_json(l, m);

	if (!linker) {
		json_decref(link);
		return NULL;
	}
	json_object_set_new(link, "argv", argv_json(l));
	json_object_set_new(link, "cwd", json_string_nocheck(
	    pv_buildroot_rel(&l->br, l->br.cwd)));
	json_object_set_new(link, "output", json_string_nocheck(
	    pv_buildroot_rel(&l->br, l->output)));
	json_object_set_new(link, "outputType", json_string(output_type(m,
	    has_shared_input(json_object_get(m, "inputs")))));
	if (l->ctx)
		json_object_set(link, "driver",
		    json_object_get(l->ctx, "driver"));
	json_object_set_new(link, "linker", linker);
	json_object_set_new(link, "plugins",
	    other_plugins(json_object_get(m, "linker")));
	json_object_set_new(link, "env", l->ctx ?
	    json_incref(json_object_get(l->ctx, "env")) :
	    pv_link_env_json(&l->br));
	return link;
}

static json_t *build_predicate(struct link *l, json_t *m,
    unsigned char **tmpl, size_t *tmpl_len)
{
	const char *cwd = json_string_value(json_object_get(m, "cwd"));
	json_t *inputs = json_object_get(m, "inputs"), *in, *link;
	struct pv_linkrec lr;
	size_t i;

	if (!cwd || !json_is_array(inputs)) {
		fail(l, "malformed linker plugin manifest", l->dir,
		    "no cwd or inputs");
		return NULL;
	}
	pv_linkrec_init(&lr);
	json_array_foreach(inputs, i, in)
		if (add_input(l, &lr, cwd, in, tmpl, tmpl_len) < 0) {
			pv_linkrec_free(&lr);
			return NULL;
		}
	if (!(link = link_json(l, m))) {
		fail(l, "malformed linker plugin manifest", l->dir,
		    "no linker identity");
		pv_linkrec_free(&lr);
		return NULL;
	}
	return pv_linkrec_predicate(&lr, link);
}

static int write_note_object(struct link *l, json_t *pred,
    const unsigned char *tmpl, size_t tmpl_len, const char *path)
{
	size_t len, off, desclen;
	unsigned char *desc;
	const char *why;
	char *st;

	st = pv_statement_build(pv_base_name(l->output), pred, &len, &off);
	if (!st || pv_linknote_encode(st, len, off, &desc, &desclen) < 0) {
		free(st);
		fail(l, "cannot encode the link statement", l->output,
		    "too large or not serialisable");
		return -1;
	}
	free(st);
	if (pv_elf_write_note_object(path, tmpl, tmpl_len, PV_LINK_SECTION,
	    PV_NT_LINK, desc, desclen, &why) < 0) {
		fail(l, "cannot write the note object", path, why);
		free(desc);
		return -1;
	}
	free(desc);
	return 0;
}

/* The packages that own the link's files (PROVCC_PACKAGES=off: not
 * looked up); -1 when the database exists but cannot be read. */
static int add_package_facts(struct link *l, json_t *pred)
{
	const char *off = getenv("PROVCC_PACKAGES"), *why;

	if (off && strcmp(off, "off") == 0)
		return 0;
	if (pv_pkgfacts_add(pred, &why) == PV_PKGFACTS_ERROR) {
		fail(l, "cannot look up packages",
		    pv_pkgdb_default_admindir(), why);
		return -1;
	}
	return 0;
}

/* Build the note object from manifest M (the plugin's, or one made
 * the same way from lld's files); its path, or NULL. */
static char *note_from_manifest(struct link *l, json_t *m)
{
	char *opath = pv_xasprintf("%s/provenance.o", l->dir);
	unsigned char *tmpl = NULL;
	size_t tmpl_len = 0;
	json_t *pred;

	if ((pred = build_predicate(l, m, &tmpl, &tmpl_len)) != NULL &&
	    add_package_facts(l, pred) < 0) {
		json_decref(pred);
		pred = NULL;
	}
	if (pred && !tmpl)
		fail(l, "no ELF object among the link inputs", l->output,
		    "the note object needs one as its template");
	if (pred && tmpl &&
	    write_note_object(l, pred, tmpl, tmpl_len, opath) == 0)
		l->recorded = 1;
	json_decref(pred);
	free(tmpl);
	if (!l->recorded) {
		free(opath);
		return NULL;
	}
	return opath;
}

/* Build the note object from the manifest the plugin just wrote. */
static char *make_note_object(struct link *l)
{
	char *mpath = pv_xasprintf("%s/manifest.json", l->dir), *obj = NULL;
	json_error_t err;
	json_t *m;

	m = json_load_file(mpath, JSON_REJECT_DUPLICATES, &err);
	if (!m)
		fail(l, "cannot read linker plugin manifest", mpath, err.text);
	else
		obj = note_from_manifest(l, m);
	json_decref(m);
	free(mpath);
	return obj;
}

/* ------------------------------------------------------------------ */
/* The conversation with the plugin                                    */

static int write_all(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A line of at most LEN - 1 bytes; 0 at end of file, -1 on error. */
static int read_line(int fd, char *line, size_t len)
{
	size_t n = 0;

	while (n + 1 < len) {
		ssize_t r = read(fd, line + n, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (line[n++] == '\n')
			break;
	}
	line[n] = '\0';
	return n > 0 ? 1 : 0;
}

static void serve_plugin(void *arg)
{
	struct link *l = arg;
	char line[64], *obj, *reply;

	close(l->sock[1]);
	l->sock[1] = -1;
	if (read_line(l->sock[0], line, sizeof(line)) <= 0 ||
	    strcmp(line, "ready\n") != 0)
		return;		/* the link ended before all symbols read */
	if ((obj = make_note_object(l)) != NULL) {
		reply = pv_xasprintf("add %s\n", obj);
		free(obj);
	} else
		reply = pv_xstrdup(l->warn_only ? "none\n" : "fail\n");
	write_all(l->sock[0], reply);
	free(reply);
}

/* ------------------------------------------------------------------ */
/* Running the linker                                                  */

static char *plugin_path(void)
{
	const char *dir = pv_self_dir();

	return pv_xasprintf("%s/../lib/provcc/%s", dir ? dir : ".",
	    PLUGIN_NAME);
}

static char **plugin_argv(struct link *l, const char *plugin)
{
	char **v = pv_xcalloc((size_t)l->argc + 6, sizeof(char *));
	int i, o = 0;

	v[o++] = l->argv0;
	v[o++] = "-plugin";
	v[o++] = (char *)plugin;
	v[o++] = pv_xasprintf("-plugin-opt=out=%s/manifest.json", l->dir);
	v[o++] = pv_xasprintf("-plugin-opt=sync=%d,%d", l->sock[1],
	    l->sock[1]);
	/* provcc hashes, through its cache: the plugin would hash libc.so.6
	 * and every library mapped into the linker on every link. */
	v[o++] = "-plugin-opt=hash=no";
	for (i = 1; i < l->argc; i++)
		v[o++] = l->argv[i];
	v[o] = NULL;
	return v;
}

static int run_linker(struct link *l, int *status)
{
	char *plugin = plugin_path(), **v;
	int rc;

	if (access(plugin, R_OK) < 0) {
		fail(l, "linker plugin missing", plugin, strerror(errno));
		free(plugin);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, l->sock) < 0) {
		fail(l, "cannot talk to the linker plugin", l->dir,
		    strerror(errno));
		free(plugin);
		return -1;
	}
	fcntl(l->sock[0], F_SETFD, FD_CLOEXEC);
	v = plugin_argv(l, plugin);
	rc = pv_spawn_serve(l->linker, v, environ, serve_plugin, l, status);
	if (rc < 0)
		pv_error("cannot run linker", l->linker, strerror(errno));
	close(l->sock[0]);
	if (l->sock[1] >= 0)
		close(l->sock[1]);
	free(v[3]);
	free(v[4]);
	free(v);
	free(plugin);
	return rc;
}

/* ------------------------------------------------------------------ */
/* lld: no plugins, so a private first link tells the inputs           */

static char *in_dir(const struct link *l, const char *name)
{
	return pv_xasprintf("%s/%s", l->dir, name);
}

/* Replay what the first link printed, when it failed: the build sees
 * the linker's messages once, as without provcc. */
static void replay(const char *path, int fd)
{
	unsigned char *buf;
	size_t len;

	if (pv_read_file(path, &buf, &len) < 0)
		return;
	/* A failed write has nowhere left to be reported. */
	(void)!write(fd, buf, len);
	free(buf);
}

static const char *lld_output_type(const struct link *l, const char *probe)
{
	unsigned char h[18];
	int fd = open(probe, O_RDONLY | O_CLOEXEC), i;
	unsigned type;

	if (fd < 0 || pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h)) {
		if (fd >= 0)
			close(fd);
		return "unknown";
	}
	close(fd);
	type = h[5] == 2 ? (unsigned)h[16] << 8 | h[17] :
	    (unsigned)h[17] << 8 | h[16];
	if (type == 2)
		return "exec";
	for (i = 1; i < l->x.argc; i++)
		if (strcmp(l->x.argv[i], "-shared") == 0 ||
		    strcmp(l->x.argv[i], "--shared") == 0 ||
		    strcmp(l->x.argv[i], "-Bshareable") == 0)
			return "dyn";
	return "pie";
}

static json_t *lld_manifest(struct link *l, const char *probe)
{
	char *deps = in_dir(l, "lld.d"), *why = in_dir(l, "lld-why.txt");
	char hex[PV_SHA256_HEX], real[PATH_MAX];
	const char *reason;
	json_t *inputs, *m = NULL;

	inputs = pv_ldtrace_inputs(deps, why, l->br.cwd, l->x.argc,
	    l->x.argv, &reason);
	if (!inputs)
		fail(l, "cannot tell the inputs of the link", deps, reason);
	else if (!realpath(l->linker, real) ||
	    pv_sha256_file_hex(real, hex) < 0)
		fail(l, "cannot hash the linker", l->linker, strerror(errno));
	else {
		m = json_pack("{s:s,s:o,s:{s:s,s:s,s:[]},s:{s:s}}",
		    "cwd", l->br.cwd, "inputs", inputs,
		    "linker", "exe", real, "sha256", hex, "loaded",
		    "output", "type", lld_output_type(l, probe));
		inputs = NULL;
	}
	json_decref(inputs);
	free(deps);
	free(why);
	return m;
}

static char **lld_probe_argv(const struct link *l, const char *probe)
{
	char **v = pv_xcalloc((size_t)l->argc + 5, sizeof(char *));
	int i, o = 0;

	v[o++] = l->argv0;
	for (i = 1; i < l->argc; i++)
		v[o++] = l->argv[i];
	v[o++] = "-o";
	v[o++] = (char *)probe;
	v[o++] = pv_xasprintf("--dependency-file=%s/lld.d", l->dir);
	v[o++] = pv_xasprintf("--why-extract=%s/lld-why.txt", l->dir);
	v[o] = NULL;
	return v;
}

/* The first link, to a private output, says which inputs lld uses; the
 * second, the user's own command with the note object added, makes the
 * output.  Options the user gave (a map, their own --why-extract) act
 * in the second link exactly as without provcc. */
static int run_lld(struct link *l, int *status)
{
	char *probe = in_dir(l, "lld-probe.out"), *out = in_dir(l, "lld.1");
	char *err = in_dir(l, "lld.2"), **v = lld_probe_argv(l, probe);
	char *obj = NULL;
	json_t *m;
	int rc, n = 0;

	rc = pv_spawn_redirect(l->linker, v, environ, out, err, status);
	if (rc == 0 && *status != 0) {
		replay(out, 1);
		replay(err, 2);
	} else if (rc == 0 && (m = lld_manifest(l, probe)) != NULL) {
		obj = note_from_manifest(l, m);
		json_decref(m);
	}
	free(v[l->argc + 2]);
	free(v[l->argc + 3]);
	free(v);
	if (rc == 0 && *status == 0 && (obj || l->warn_only)) {
		v = pv_xcalloc((size_t)l->argc + 2, sizeof(char *));
		for (n = 0; n < l->argc; n++)
			v[n] = n ? l->argv[n] : l->argv0;
		v[n] = obj;	/* NULL in warn mode: the plain link */
		rc = pv_spawn_wait(l->linker, v, environ, status);
		free(v);
	} else if (rc == 0 && *status == 0)
		*status = PV_EXIT_PROVENANCE << 8;
	if (rc < 0)
		pv_error("cannot run linker", l->linker, strerror(errno));
	unlink(probe);
	unlink(out);
	unlink(err);
	free(probe);
	free(out);
	free(err);
	free(obj);
	return rc;
}

/* After a successful link: the note must be in the output, signed when
 * a key was given. */
static void finish_output(struct link *l)
{
	struct pv_byte_range desc;
	const char *why = "the note object was not linked";
	int found;

	if (!l->recorded) {
		if (!l->failed)
			fail(l, "link not recorded", l->output,
			    "the linker did not run provcc's plugin to the end");
		return;
	}
	found = pv_elf_find_note(l->output, PV_NT_LINK, &desc, &why);
	if (found != 1) {
		fail(l, "provenance note missing from output", l->output,
		    found < 0 ? why : "the linker dropped it (linker script?)");
		return;
	}
	if (l->key && pv_link_sign_file(l->output, l->key, &why) !=
	    PV_LINK_OK)
		fail(l, "cannot sign output", l->output, why);
}

static void mark(const struct link *l, const char *name)
{
	char *p = pv_xasprintf("%s/%s", l->dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

	if (fd >= 0)
		close(fd);
	free(p);
}

/* The private directory holds only files provcc put there. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *p;

	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = pv_xasprintf("%s/%s", dir, e->d_name);
		unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static char *make_private_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	char *dir;

	if (!tmp || *tmp != '/' || stat(tmp, &st) < 0 || !S_ISDIR(st.st_mode))
		tmp = "/tmp";
	dir = pv_xasprintf("%s/provcc-link.XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

static int load_key(struct link *l)
{
	const char *path = getenv("PROVCC_KEY"), *why;

	if (!path || !*path)
		return 0;
	if (!(l->key = pv_key_load_private(path, &why))) {
		fail(l, "cannot load signing key", path, why);
		return -1;
	}
	return 0;
}

static int load_context(struct link *l)
{
	const char *dir = getenv(LINK_DIR_ENV);
	json_error_t err;
	char *p;

	if (!dir || !*dir) {
		l->dir = make_private_dir();
		l->own_dir = 1;
		if (!l->dir)
			fail(l, "cannot make a private directory", "$TMPDIR",
			    strerror(errno));
		return l->dir ? 0 : -1;
	}
	l->dir = pv_xstrdup(dir);
	p = pv_xasprintf("%s/driver.json", dir);
	l->ctx = json_load_file(p, JSON_REJECT_DUPLICATES, &err);
	if (!l->ctx)
		fail(l, "cannot read the driver's link facts", p, err.text);
	free(p);
	return l->ctx ? 0 : -1;
}

/* The real linker NAME: as collect2 looks for it, in COMPILER_PATH
 * (which gcc exports with its own directories), then PATH; provcc's
 * own links are skipped by real path. */
static char *find_linker(const char *name)
{
	const char *cpath = getenv("COMPILER_PATH");
	char *found = NULL;

	if (strchr(name, '/'))
		return pv_find_program(name);
	if (cpath && *cpath)
		found = pv_find_in(name, cpath);
	return found ? found : pv_find_program(name);
}

static int pass_through(char **argv, const char *argv0, const char *linker)
{
	char **v;
	int n = 0;

	while (argv[n])
		n++;
	v = pv_xcalloc((size_t)n + 1, sizeof(char *));
	memcpy(v, argv, (size_t)n * sizeof(char *));
	v[0] = (char *)argv0;
	pv_exec(linker, v, environ);
	pv_error("cannot run linker", linker, strerror(errno));
	return errno == ENOENT ? PV_EXIT_NOTFOUND : PV_EXIT_NOEXEC;
}

enum flavour { GNU_LD, LLD, MOLD };

static enum flavour linker_flavour(const char *name, const char *real)
{
	const char *b = pv_base_name(real);

	if (strstr(name, "mold") || strstr(b, "mold"))
		return MOLD;
	if (strstr(name, "lld") || strstr(b, "lld"))
		return LLD;
	return GNU_LD;
}

static int link_unsupported(struct link *l, const char *name)
{
	fail(l, "link not recorded", name,
	    "provcc records links by ld.bfd, gold and lld, not mold; "
	    "use -fuse-ld=bfd, gold or lld");
	return -1;
}

static int link_status(struct link *l, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		finish_output(l);
		if (l->failed && !l->warn_only)
			unlink(l->output);
	}
	if (l->failed) {
		mark(l, "failed");
		if (!l->warn_only && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			status = PV_EXIT_PROVENANCE << 8;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		mark(l, "done");
	return status;
}

int pv_ld_main(const char *linker_arg, int argc, char **argv)
{
	struct link l;
	char *linker = find_linker(linker_arg);
	int status = 0;

	if (!linker) {
		pv_error("linker not found", linker_arg,
		    "no such program in COMPILER_PATH or PATH other than "
		    "provcc itself");
		return PV_EXIT_NOTFOUND;
	}
	memset(&l, 0, sizeof(l));
	l.linker = linker;
	l.argc = argc;
	l.argv = argv;
	l.warn_only = warn_only();
	/* The linker names itself by argv[0] in its messages: a driver
	 * that found provcc's link would have run the linker found here. */
	l.argv0 = argv[0];
	if (strchr(argv[0], '/') && pv_is_self(argv[0]))
		l.argv0 = linker;
	pv_expand_response_files(argc, argv, &l.x);
	if (pass_ld_through(&l.x) || (getenv("PROVCC_DISABLE") &&
	    strcmp(getenv("PROVCC_DISABLE"), "1") == 0) ||
	    (pv_depth() > 0 && !getenv(LINK_DIR_ENV)))
		return pass_through(argv, l.argv0, linker);
	if (pv_buildroot_init(&l.br) < 0) {
		pv_error("cannot get working directory", ".", strerror(errno));
		return PV_EXIT_PROVENANCE;
	}
	l.output = pv_path_normalize(l.br.cwd, ld_output(&l.x));
	if (load_context(&l) < 0 || load_key(&l) < 0 ||
	    (linker_flavour(linker_arg, linker) == MOLD &&
	    link_unsupported(&l, linker_arg) < 0)) {
		if (l.dir && !l.own_dir)
			mark(&l, "failed");
		if (l.warn_only)
			return pass_through(argv, l.argv0, linker);
		return PV_EXIT_PROVENANCE;
	}
	pv_hashcache_open(pv_cache_dir());
	if ((linker_flavour(linker_arg, linker) == LLD ? run_lld(&l, &status) :
	    run_linker(&l, &status)) < 0)
		status = (l.failed ? PV_EXIT_PROVENANCE : PV_EXIT_NOEXEC) << 8;
	else
		status = link_status(&l, status);
	if (l.own_dir)
		remove_dir(l.dir);
	pv_exit_like(status);
}

/* ------------------------------------------------------------------ */
/* A driver link                                                       */

static int is_driver_relocatable(const struct pv_expanded *x)
{
	int i;

	for (i = 1; i < x->argc; i++) {
		const char *a = x->argv[i];

		if (strcmp(a, "-r") == 0 || strcmp(a, "-Wl,-r") == 0 ||
		    strcmp(a, "-Wl,--relocatable") == 0 ||
		    strcmp(a, "-Wl,-i") == 0)
			return 1;
	}
	return 0;
}

static json_t *driver_json(const char *driver, const char *target)
{
	char real[PATH_MAX], hex[PV_SHA256_HEX];
	struct pv_toolid id;
	json_t *j;

	if (!realpath(driver, real) || pv_sha256_file_hex(real, hex) < 0)
		return NULL;
	pv_toolid_get(real, target, &id);
	j = json_pack("{s:s,s:s,s:s}", "path", real, "sha256", hex,
	    "version", id.version);
	pv_toolid_free(&id);
	return j;
}

/* The facts only the driver's provcc knows, for the one started as
 * the linker: the command as the build gave it, the driver, the
 * environment before COMPILER_PATH was changed. */
static int write_driver_facts(const char *dir, const struct pv_buildroot *br,
    const struct pv_link_driver *d, const struct pv_onestep *os)
{
	json_t *ctx = json_object(), *argv = json_array(), *drv;
	char *path, *text;
	int i, rc;

	if (!(drv = driver_json(d->driver, d->target))) {
		json_decref(ctx);
		json_decref(argv);
		return -1;
	}
	json_array_append_new(argv, json_string_nocheck(
	    pv_buildroot_subst(br, d->argv0)));
	for (i = 1; i < d->x->argc; i++)
		json_array_append_new(argv, json_string_nocheck(
		    pv_buildroot_subst(br, d->x->argv[i])));
	json_object_set_new(ctx, "argv", argv);
	json_object_set_new(ctx, "driver", drv);
	json_object_set_new(ctx, "env", pv_link_env_json(br));
	json_object_set_new(ctx, "compiles", json_boolean(d->nsources > 0 &&
	    !os->objects));
	if (os->objects)
		json_object_set(ctx, "objects", os->objects);
	text = json_dumps(ctx, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(ctx);
	path = pv_xasprintf("%s/driver.json", dir);
	rc = text ? pv_write_file_atomic(path, text, strlen(text), 0600) : -1;
	free(path);
	free(text);
	return rc;
}

static char **driver_environment(const char *dir)
{
	const char *cpath = getenv("COMPILER_PATH"), *self = pv_self_dir();
	size_t n = 0, i, o = 0;
	char **env;

	while (environ[n])
		n++;
	env = pv_xcalloc(n + 4, sizeof(char *));
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "COMPILER_PATH=", 14) != 0 &&
		    strncmp(environ[i], LINK_DIR_ENV "=",
		    sizeof(LINK_DIR_ENV)) != 0 &&
		    strncmp(environ[i], "PROVCC_DEPTH=", 13) != 0)
			env[o++] = environ[i];
	env[o++] = cpath && *cpath ?
	    pv_xasprintf("COMPILER_PATH=%s/../lib/provcc/ld:%s", self, cpath) :
	    pv_xasprintf("COMPILER_PATH=%s/../lib/provcc/ld", self);
	env[o++] = pv_xasprintf(LINK_DIR_ENV "=%s", dir);
	env[o++] = pv_xasprintf("PROVCC_DEPTH=%d", pv_depth() + 1);
	env[o] = NULL;
	return env;
}

static int exists_in(const char *dir, const char *name)
{
	char *p = pv_xasprintf("%s/%s", dir, name);
	int yes = access(p, F_OK) == 0;

	free(p);
	return yes;
}

/* `gcc main.c -o prog`: provcc compiles the sources itself first, when
 * that cannot change the output (onestep.h).  Returns 0 (OS filled in
 * or left empty), or the exit status of a failed build. */
static int compile_first(const struct pv_link_driver *d, const char *dir,
    const char *output, struct pv_onestep *os)
{
	int rc;

	memset(os, 0, sizeof(*os));
	if (d->nsources == 0 || d->launched || !d->cl ||
	    pv_onestep_refusal(d->cl, d->x))
		return 0;
	rc = pv_onestep_compile(d->driver, d->run_argv[0], d->cl, d->x,
	    output, dir, os);
	if (rc < 0) {
		pv_error("cannot compile the sources", output,
		    strerror(errno));
		return PV_EXIT_PROVENANCE << 8;
	}
	return rc;
}

int pv_link_driver_main(const struct pv_link_driver *d)
{
	const char *output = d->output ? d->output : "a.out";
	struct pv_onestep os;
	struct pv_buildroot br;
	int status, warn = warn_only();
	char *dir, **env;

	if (is_driver_relocatable(d->x))
		return -1;	/* the caller passes it through */
	if (pv_buildroot_init(&br) < 0 || !(dir = make_private_dir())) {
		pv_error("cannot prepare link", output, strerror(errno));
		return warn ? -1 : PV_EXIT_PROVENANCE;
	}
	pv_hashcache_open(pv_cache_dir());
	if ((status = compile_first(d, dir, output, &os)) != 0) {
		pv_onestep_free(&os);
		remove_dir(dir);
		pv_exit_like(status);
	}
	if (write_driver_facts(dir, &br, d, &os) < 0) {
		pv_error("cannot record the link driver", d->driver,
		    strerror(errno));
		pv_onestep_free(&os);
		remove_dir(dir);
		return warn ? -1 : PV_EXIT_PROVENANCE;
	}
	env = driver_environment(dir);
	if (pv_spawn_wait(d->driver, os.link_argv ? os.link_argv :
	    d->run_argv, env, &status) < 0) {
		pv_error("cannot run compiler", d->driver, strerror(errno));
		pv_onestep_free(&os);
		remove_dir(dir);
		return errno == ENOENT ? PV_EXIT_NOTFOUND : PV_EXIT_NOEXEC;
	}
	if (exists_in(dir, "failed")) {
		if (!warn)
			status = PV_EXIT_PROVENANCE << 8;
	} else if (status == 0 && !exists_in(dir, "done")) {
		(warn ? pv_warning : pv_error)("link not recorded", output,
		    "the driver did not run the linker that provcc provides "
		    "(-fuse-ld=PATH or --ld-path?)");
		if (!warn) {
			unlink(output);
			status = PV_EXIT_PROVENANCE << 8;
		}
	}
	pv_onestep_free(&os);
	remove_dir(dir);
	pv_buildroot_free(&br);
	pv_exit_like(status);
}
