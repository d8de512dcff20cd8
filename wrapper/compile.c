/* compile.c - run one compiler command and record each object it makes.
 *
 * Which headers a compile read comes from the compile itself, by one of
 * three routes (docs/design.md explains the choice):
 *   depfile       provcc adds -MD -MF <private file> and reads it;
 *   user-depfile  the command already asks for -MD: provcc reads that file;
 *   trace         no option may be added (-MMD, -v, a compiler that
 *                 records its own command line, the DEPENDENCIES_OUTPUT
 *                 environment): the trace library reports the opens.
 * The trace library always reports which programs ran (cc1, as, ...).
 *
 * Behind a compiler launcher (ccache, distcc) a cache hit runs no
 * compiler at all, so the programs are those the driver's -### lists,
 * and a compile that needs the trace runs without the launcher
 * (docs/design.md, "Build caches").
 */
#define _GNU_SOURCE
#include "compile.h"
#include "onestep.h"
#include "argv.h"
#include "buildroot.h"
#include "rspfile.h"
#include "child.h"
#include "toolchain.h"
#include "depfile.h"
#include "elfnote.h"
#include "hash.h"
#include "link.h"
#include "note.h"
#include "record.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_DEPTH 8
#define SHIM_NAME "libprovcc-trace.so"

extern char **environ;

enum route { ROUTE_DEPFILE, ROUTE_USER_DEPFILE, ROUTE_TRACE };

static const char *const route_names[] = {
	"depfile", "user-depfile", "trace",
};

struct compile {
	const char *compiler;	/* resolved path of the real compiler */
	const char *launcher;	/* ccache, distcc ... in front of it, or NULL */
	int skip;		/* words of the launcher before argv */
	char **full_argv;	/* the whole command, launcher words first */
	int argc;
	char **argv;		/* as given; argv[0] is the compiler name */
	char **run_argv;	/* the same with argv[0] = compiler, as run */
	struct pv_expanded x;	/* response files expanded */
	struct pv_cmdline cl;
	struct pv_buildroot br;
	const char *tmpdir;	/* for the private dependency files */
	int trace_fd;		/* memfd the trace library appends to */
	char **envp;		/* environment for the compiler */
	int warn_only;		/* PROVCC_ON_ERROR=warn */
	int compression;	/* PROVCC_COMPRESS: PV_COMPRESS_* */
};

struct job {
	size_t n;		/* job number, for private file names */
	const struct pv_source *src;
	char **argv;
	enum route route;
	char *depfile, *object;
	int launched;		/* run through the launcher */
	char **launch_argv;	/* the launcher's words, then argv */
};

/* Run the compiler as it was asked, with nothing recorded. */
static int pass_through(struct compile *c)
{
	char depth[16];

	snprintf(depth, sizeof(depth), "%d", pv_depth() + 1);
	setenv("PROVCC_DEPTH", depth, 1);
	pv_exec(c->launcher ? c->launcher : c->compiler, c->full_argv, environ);
	pv_error("cannot run compiler", c->launcher ? c->launcher :
	    c->compiler, strerror(errno));
	return errno == ENOENT ? PV_EXIT_NOTFOUND : PV_EXIT_NOEXEC;
}

static char **child_environment(const char *shim)
{
	size_t n = 0, i, o = 0;
	const char *preload = getenv("LD_PRELOAD");
	char **env;

	while (environ[n])
		n++;
	env = pv_xcalloc(n + 5, sizeof(char *));
	for (i = 0; i < n; i++) {
		if (strncmp(environ[i], "LD_PRELOAD=", 11) == 0 ||
		    strncmp(environ[i], "PROVCC_DEPTH=", 13) == 0 ||
		    strncmp(environ[i], "PROVCC_TRACE_", 13) == 0)
			continue;
		env[o++] = environ[i];
	}
	env[o++] = preload && *preload ?
	    pv_xasprintf("LD_PRELOAD=%s:%s", preload, shim) :
	    pv_xasprintf("LD_PRELOAD=%s", shim);
	env[o++] = pv_xasprintf("PROVCC_DEPTH=%d", pv_depth() + 1);
	env[o] = NULL;
	return env;
}

/* Append NAME=VALUE to the environment, replacing an earlier NAME. */
static void set_child_env(char **env, const char *name, const char *value)
{
	size_t n = strlen(name), i;

	for (i = 0; env[i]; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			break;
	env[i] = pv_xasprintf("%s=%s", name, value);	/* tiny, per job */
}

static int is_preprocessed_lang(const char *lang)
{
	return strcmp(lang, "assembler") != 0 &&
	    strstr(lang, "cpp-output") == NULL;
}

static enum route choose_route(const struct compile *c,
    const struct pv_source *s)
{
	if (!is_preprocessed_lang(s->lang))
		return ROUTE_TRACE;
	if (c->cl.deps == PV_DEPS_MD)
		return ROUTE_USER_DEPFILE;
	if (c->cl.deps == PV_DEPS_MMD || c->cl.keep_argv ||
	    getenv("DEPENDENCIES_OUTPUT") || getenv("SUNPRO_DEPENDENCIES"))
		return ROUTE_TRACE;
	return ROUTE_DEPFILE;
}

/* Where the driver writes -MD output without -MF: the object's name
 * with its suffix replaced by ".d". */
static char *default_depfile(const char *object)
{
	const char *slash = strrchr(object, '/');
	const char *dot = strrchr(slash ? slash + 1 : object, '.');
	size_t stem = dot ? (size_t)(dot - object) : strlen(object);

	return pv_xasprintf("%.*s.d", (int)stem, object);
}

/* The argv for one job: the command as given when it compiles one
 * source; with several, the expanded argv without the other sources.
 * The depfile route appends its dependency options. */
static char **job_argv(const struct compile *c, const struct job *j)
{
	size_t i, n = 0, k, self = (size_t)(j->src - c->cl.sources);
	char **v;

	if (c->cl.nsources == 1 && j->route != ROUTE_DEPFILE)
		return c->run_argv;
	v = pv_xcalloc((size_t)c->x.argc + (size_t)c->argc + 4,
	    sizeof(char *));
	if (c->cl.nsources == 1) {
		for (i = 0; i < (size_t)c->argc; i++)
			v[n++] = c->run_argv[i];
	} else {
		for (i = 0; i < (size_t)c->x.argc; i++) {
			for (k = 0; k < c->cl.nsources; k++)
				if (c->cl.sources[k].argi == i && k != self)
					break;
			if (k == c->cl.nsources)
				v[n++] = c->x.argv[i];
		}
	}
	if (j->route == ROUTE_DEPFILE) {
		v[n++] = "-MD";
		v[n++] = "-MF";
		v[n++] = j->depfile;
	}
	v[n] = NULL;
	return v;
}

/* The job's command behind the launcher's words ("ccache" of
 * "ccache gcc"); a launcher's link named gcc has none. */
static char **launch_argv(const struct compile *c, const struct job *j)
{
	size_t n = 0;
	char **v;

	if (c->skip == 0)
		return j->argv;
	while (j->argv[n])
		n++;
	v = pv_xcalloc(n + (size_t)c->skip + 1, sizeof(char *));
	memcpy(v, c->full_argv, (size_t)c->skip * sizeof(char *));
	memcpy(v + c->skip, j->argv, n * sizeof(char *));
	return v;
}

static char *new_file_in(const char *dir)
{
	char *path = pv_xasprintf("%s/provcc-XXXXXX.d", dir);
	int fd = mkostemps(path, 2, O_CLOEXEC);

	if (fd < 0) {
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

/* A new, empty file for -MF, in /tmp when the chosen directory is
 * full or unwritable; NULL (errno set) when none can be made. */
static char *private_depfile(const struct compile *c)
{
	char *path = new_file_in(c->tmpdir);

	if (!path && strcmp(c->tmpdir, "/tmp") != 0)
		path = new_file_in("/tmp");
	return path;
}

static void job_setup(struct compile *c, struct job *j, size_t n)
{
	memset(j, 0, sizeof(*j));
	j->n = n;
	j->src = &c->cl.sources[n];
	j->route = choose_route(c, j->src);
	j->object = c->cl.output && c->cl.nsources == 1 ?
	    pv_xstrdup(c->cl.output) : pv_default_object(j->src->path);
	if (!j->object)
		j->object = pv_xstrdup("a.o");
	if (j->route == ROUTE_DEPFILE)
		j->depfile = private_depfile(c);
	else if (j->route == ROUTE_USER_DEPFILE)
		j->depfile = c->cl.depfile ? pv_xstrdup(c->cl.depfile) :
		    default_depfile(j->object);
	j->argv = job_argv(c, j);
	/* A cache hit runs nothing that could be traced. */
	j->launched = c->launcher && j->route != ROUTE_TRACE;
	if (j->launched)
		j->launch_argv = launch_argv(c, j);
}

static void job_free(const struct compile *c, struct job *j)
{
	if (j->route == ROUTE_DEPFILE)
		unlink(j->depfile);
	if (j->launch_argv != j->argv)
		free(j->launch_argv);
	if (j->argv != c->run_argv)
		free(j->argv);
	free(j->depfile);
	free(j->object);
}

/* --- building the record ------------------------------------------- */

struct reader {
	const struct compile *c;
	const struct job *j;
	struct pv_record *r;
	const char *fail_what;	/* first failure, for the error line */
	char *fail_file;
	int fail_errno;
};

static void fail(struct reader *rd, const char *what, const char *file,
    int err)
{
	if (rd->fail_what)
		return;
	rd->fail_what = what;
	rd->fail_file = pv_xstrdup(file);
	rd->fail_errno = err;
}

static char *rel(const struct compile *c, const char *abs)
{
	return pv_buildroot_rel(&c->br, abs);
}

static char *subst_roots(const struct compile *c, const char *s)
{
	return pv_buildroot_subst(&c->br, s);
}

/* Hash ABS (normalised) into F under its root-relative name. */
static int hash_entry(struct reader *rd, const char *abs, struct pv_file *f)
{
	unsigned char sha[PV_SHA256_LEN];

	if (pv_sha256_file(abs, sha) < 0) {
		fail(rd, "cannot hash input", abs, errno);
		return -1;
	}
	pv_hex(sha, sizeof(sha), f->sha256);
	f->path = rel(rd->c, abs);
	return 0;
}

static int add_hashed(struct reader *rd, struct pv_filelist *list,
    const char *abs)
{
	struct pv_file f;

	if (hash_entry(rd, abs, &f) < 0)
		return -1;
	pv_filelist_add(list, f.path, f.sha256);
	free(f.path);
	return 0;
}

static int read_depfile_inputs(struct reader *rd, const char *src_abs)
{
	struct pv_pathlist deps = { 0 };
	unsigned char *text;
	size_t len, i;

	if (pv_read_file(rd->j->depfile, &text, &len) < 0) {
		fail(rd, rd->j->route == ROUTE_DEPFILE ?
		    "the compiler wrote no dependency file for" :
		    "cannot read dependency file",
		    rd->j->route == ROUTE_DEPFILE ? rd->j->object :
		    rd->j->depfile, errno);
		return -1;
	}
	if (len == 0 && rd->j->route == ROUTE_DEPFILE) {
		free(text);
		fail(rd, "the compiler wrote no dependency file for",
		    rd->j->object, ENOENT);
		return -1;
	}
	if (pv_depfile_parse((char *)text, len, &deps) < 0) {
		free(text);
		fail(rd, "malformed dependency file", rd->j->depfile, EINVAL);
		return -1;
	}
	free(text);
	for (i = 0; i < deps.n; i++) {
		char *abs = pv_path_normalize(rd->c->br.cwd, deps.v[i]);

		if (strcmp(abs, src_abs) != 0)
			add_hashed(rd, &rd->r->inputs, abs);
		free(abs);
	}
	pv_pathlist_free(&deps);
	return rd->fail_what ? -1 : 0;
}

static int contains(const struct pv_pathlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

/* Files a traced compile read that are not inputs: its own temporary
 * files (written, or gone by now), message catalogues, /proc and /dev. */
static int is_incidental(const char *abs, const struct pv_pathlist *written)
{
	struct stat st;
	size_t n = strlen(abs);

	if (strncmp(abs, "/proc/", 6) == 0 || strncmp(abs, "/dev/", 5) == 0 ||
	    strncmp(abs, "/sys/", 5) == 0)
		return 1;
	if (n > 3 && strcmp(abs + n - 3, ".mo") == 0)
		return 1;
	if (contains(written, abs))
		return 1;
	return stat(abs, &st) < 0 || !S_ISREG(st.st_mode);
}

struct trace {
	struct pv_pathlist programs, reads, writes;
};

/* A program as the trace names it: the path it was executed by, whose
 * symbolic links are resolved here (pv_realpath_memo: the first is
 * usually the driver, just resolved for the record).  A program gone
 * by now keeps its name, and fails when it is hashed. */
static void add_program(struct trace *t, const char *path)
{
	char real[PATH_MAX];
	const char *p = pv_realpath_memo(path, real) ? real : path;

	if (!contains(&t->programs, p))
		pv_pathlist_add(&t->programs, p);
}

static int read_trace(struct reader *rd, struct trace *t)
{
	unsigned char *text;
	size_t len;
	char *line, *save = NULL;

	if (pv_read_fd(rd->c->trace_fd, &text, &len) < 0) {
		fail(rd, "cannot read compiler trace", "memfd", errno);
		return -1;
	}
	for (line = strtok_r((char *)text, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		char *abs;

		if (strlen(line) < 3 || line[1] != ' ')
			continue;
		abs = pv_path_normalize(rd->c->br.cwd, line + 2);
		if (line[0] == 'X')
			add_program(t, abs);
		else if (line[0] == 'R')
			pv_pathlist_add(&t->reads, abs);
		else if (line[0] == 'W')
			pv_pathlist_add(&t->writes, abs);
		free(abs);
	}
	free(text);
	return 0;
}

/* Reads before the source's own are the driver setting itself up
 * (clang reads /etc/os-release and CUDA's version header), not inputs
 * of this compile; the compiler proper opens the source first. */
static size_t first_compile_read(const struct trace *t, const char *src_abs)
{
	size_t i;

	for (i = 0; i < t->reads.n; i++)
		if (strcmp(t->reads.v[i], src_abs) == 0)
			return i;
	return 0;
}

static void add_traced_inputs(struct reader *rd, const struct trace *t,
    const char *src_abs, const char *obj_abs)
{
	size_t i;

	for (i = first_compile_read(t, src_abs); i < t->reads.n; i++) {
		const char *abs = t->reads.v[i];

		if (strcmp(abs, src_abs) == 0 || strcmp(abs, obj_abs) == 0 ||
		    contains(&rd->c->x.files, abs) ||
		    is_incidental(abs, &t->writes))
			continue;
		add_hashed(rd, &rd->r->inputs, abs);
	}
}

static void add_programs(struct reader *rd, const struct trace *t,
    const char *driver_real)
{
	const char *self = pv_self_exe();
	size_t i;

	for (i = 0; i < t->programs.n; i++) {
		const char *p = t->programs.v[i];

		if (strcmp(p, driver_real) == 0 || (self && strcmp(p, self) == 0))
			continue;
		add_hashed(rd, &rd->r->programs, p);
	}
}

/* Behind a launcher: the programs the driver runs for this command, the
 * same whether the launcher compiled or answered from its cache. */
static void add_driver_programs(struct reader *rd)
{
	const struct compile *c = rd->c;
	struct pv_pathlist progs = { 0 };
	char *argv0 = rd->j->argv[0];
	size_t i;

	rd->j->argv[0] = (char *)c->compiler;	/* as the launcher runs it */
	if (pv_driver_programs(c->compiler, rd->j->argv, &progs) < 0)
		fail(rd, "cannot list the compiler's programs (-###)",
		    c->compiler, errno);
	rd->j->argv[0] = argv0;
	for (i = 0; i < progs.n; i++)
		add_hashed(rd, &rd->r->programs, progs.v[i]);
	pv_pathlist_free(&progs);
}

static void record_launcher(struct reader *rd)
{
	char real[PATH_MAX];

	if (!realpath(rd->c->launcher, real)) {
		fail(rd, "cannot resolve launcher", rd->c->launcher, errno);
		return;
	}
	hash_entry(rd, real, &rd->r->launcher);
	add_driver_programs(rd);
}

static void record_env(const struct compile *c, struct pv_record *r)
{
	const char *const *name;

	r->env = pv_xcalloc(PV_ENV_ALLOWLIST_MAX,
	    sizeof(*r->env));
	for (name = pv_env_allowlist; *name; name++) {
		const char *v = getenv(*name);

		if (!v)
			continue;
		r->env[r->nenv].name = pv_xstrdup(*name);
		r->env[r->nenv].value = subst_roots(c, v);
		r->nenv++;
	}
}

static void record_command(struct reader *rd)
{
	const struct compile *c = rd->c;
	struct pv_record *r = rd->r;
	size_t i;

	/* Response files expanded; argv[0] as the build named it. */
	r->argv = pv_xcalloc((size_t)c->x.argc + 1, sizeof(char *));
	r->argv[r->argc++] = subst_roots(c, c->argv[0]);
	for (i = 1; i < (size_t)c->x.argc; i++)
		r->argv[r->argc++] = subst_roots(c, c->x.argv[i]);
	for (i = 0; i < c->x.files.n; i++) {
		char *abs = pv_path_normalize(c->br.cwd, c->x.files.v[i]);

		add_hashed(rd, &r->response_files, abs);
		free(abs);
	}
	r->cwd = rel(c, c->br.cwd);
	record_env(c, r);
}

/* A source of a one-step build (onestep.h): the command recorded is
 * the build's own, and the object went into the link output. */
static void record_onestep(struct reader *rd)
{
	json_t *os = pv_onestep_recorded(), *v;
	struct pv_record *r = rd->r;
	char *out;
	size_t i;

	if (!os)
		return;
	for (i = 0; i < r->argc; i++)
		free(r->argv[i]);
	free(r->argv);
	r->argc = 0;
	r->argv = pv_xcalloc(json_array_size(json_object_get(os, "argv")) + 1,
	    sizeof(char *));
	json_array_foreach(json_object_get(os, "argv"), i, v)
		r->argv[r->argc++] = subst_roots(rd->c, json_is_string(v) ?
		    json_string_value(v) : "");
	out = pv_path_normalize(rd->c->br.cwd,
	    json_string_value(json_object_get(os, "output")));
	free(r->output);
	r->output = rel(rd->c, out);
	free(out);
	json_decref(os);
}

/* The driver's file. */
static void record_driver(struct reader *rd, char real[PATH_MAX])
{
	const struct compile *c = rd->c;

	if (!pv_realpath_memo(c->compiler, real)) {
		fail(rd, "cannot resolve compiler", c->compiler, errno);
		real[0] = '\0';
		return;
	}
	hash_entry(rd, real, &rd->r->driver);
}

/* The driver's version and target, and the programs.  The version comes
 * from the toolchain cache or, the first time, from running the driver:
 * that waits for the compile, so that no extra process runs while it
 * does (one that a SIGTERM forwarded to the compiler would not reach). */
static void record_toolchain(struct reader *rd, const struct trace *t,
    const char *driver_real)
{
	struct pv_toolid id;

	pv_toolid_get(driver_real, rd->c->cl.target, &id);
	rd->r->version = id.version;
	rd->r->target = id.target;
	if (rd->j->launched)
		record_launcher(rd);
	else
		add_programs(rd, t, driver_real);
}

/* The parts of the record that the compile cannot change: the source,
 * the command, the environment and the driver's file.  They are made
 * while the compiler runs (pv_spawn_serve), off the compile's critical
 * path; they read files (and add to the hash cache), and start no
 * process.  The rest needs the
 * compile's results.  Each part keeps its own first failure, so that
 * the error reported is the one it was when the record was built in one
 * go: source, then headers, then command, then toolchain. */
struct early {
	struct compile *c;
	struct job *j;
	struct pv_record *r;
	struct reader src, cmd;	/* failures of each part */
	char driver_real[PATH_MAX];	/* "" when it did not resolve */
	int done;
};

static void prepare_record(void *ctx)
{
	struct early *e = ctx;
	const struct job *j = e->j;
	struct pv_record *r = e->r;
	char *src_abs = pv_path_normalize(e->c->br.cwd, j->src->path);

	/* Mapping and indexing the hash cache is work the compile need
	 * not wait for (once per command: it stays open). */
	pv_hashcache_open(pv_cache_dir());
	r->language = pv_xstrdup(j->src->lang);
	r->header_method = pv_xstrdup(route_names[j->route]);
	hash_entry(&e->src, src_abs, &r->source);
	record_command(&e->cmd);
	record_driver(&e->cmd, e->driver_real);
	free(src_abs);
	e->done = 1;
}

static void early_init(struct early *e, struct compile *c, struct job *j,
    struct pv_record *r)
{
	memset(e, 0, sizeof(*e));
	memset(r, 0, sizeof(*r));
	e->c = c;
	e->j = j;
	e->r = r;
	e->src.c = e->cmd.c = c;
	e->src.j = e->cmd.j = j;
	e->src.r = e->cmd.r = r;
}

/* The first failure in record order: source, RD's (headers, programs),
 * command and driver. */
static void merge_failures(struct reader *rd, struct early *e)
{
	struct reader *first = e->src.fail_what ? &e->src :
	    rd->fail_what ? NULL : e->cmd.fail_what ? &e->cmd : NULL;

	if (first) {
		free(rd->fail_file);
		rd->fail_what = first->fail_what;
		rd->fail_file = first->fail_file;
		rd->fail_errno = first->fail_errno;
		first->fail_file = NULL;
	}
}

static void early_free(struct early *e)
{
	free(e->src.fail_file);
	free(e->cmd.fail_file);
	pv_record_free(e->r);
}

static int build_record(struct reader *rd, struct early *e)
{
	const struct job *j = rd->j;
	struct pv_record *r = rd->r;
	struct trace t = { { 0 }, { 0 }, { 0 } };
	char *src_abs = pv_path_normalize(rd->c->br.cwd, j->src->path);
	char *obj_abs = pv_path_normalize(rd->c->br.cwd, j->object);

	if (!e->done)
		prepare_record(e);
	r->output = rel(rd->c, obj_abs);
	if (read_trace(rd, &t) == 0) {
		/* Outside the trace route the trace holds only the
		 * precompiled headers, which depfiles leave out. */
		add_traced_inputs(rd, &t, src_abs, obj_abs);
		if (j->route != ROUTE_TRACE)
			read_depfile_inputs(rd, src_abs);
		if (!rd->fail_what && !e->cmd.fail_what)
			record_toolchain(rd, &t, e->driver_real);
	}
	merge_failures(rd, e);
	pv_filelist_sort_unique(&r->inputs);
	record_onestep(rd);
	pv_pathlist_free(&t.programs);
	pv_pathlist_free(&t.reads);
	pv_pathlist_free(&t.writes);
	free(src_abs);
	free(obj_abs);
	return rd->fail_what ? -1 : 0;
}

/* --- one job ----------------------------------------------------------- */

static void report_failure(const struct compile *c, const char *what,
    const char *file, const char *why)
{
	if (c->warn_only)
		pv_warning(what, file, why);
	else
		pv_error(what, file, why);
}

/* The record's descriptor: written directly when all of it is ASCII,
 * through jansson otherwise; the bytes are the same either way. */
static int encode_record(const struct pv_record *r, int compression,
    unsigned char **desc, size_t *desclen)
{
	char *text = pv_record_to_ascii_json(r);
	json_t *json;
	int rc;

	if (text) {
		rc = pv_desc_encode_text(text, strlen(text), compression, desc,
		    desclen);
		free(text);
		return rc;
	}
	json = pv_record_to_json(r);
	rc = json ? pv_desc_encode(json, compression, desc, desclen) : -1;
	json_decref(json);
	return rc;
}

/* Record the object of a successful job.  Returns 0, or -1 when the
 * provenance could not be recorded (already reported). */
static int record_job(struct compile *c, struct job *j, struct early *e)
{
	struct pv_record *rp = e->r;
	struct reader rd = { c, j, rp, NULL, NULL, 0 };
	unsigned char *desc = NULL;
	const char *why = NULL;
	char target[PATH_MAX];
	struct stat st;
	size_t desclen;
	int rc = -1;

	if (stat(j->object, &st) < 0) {
		report_failure(c, "compiled object not found", j->object,
		    strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode))
		return 0;	/* -o /dev/null and the like: nothing to mark */
	if (build_record(&rd, e) < 0) {
		report_failure(c, rd.fail_what, rd.fail_file,
		    strerror(rd.fail_errno));
		goto out;
	}
	if (encode_record(rp, c->compression, &desc, &desclen) < 0) {
		report_failure(c, "cannot encode compile record", j->object,
		    "out of memory or record too large");
		goto out;
	}
	/* Through a symbolic link at -o: rewrite the file it names, so the
	 * link stays a link. */
	if (!realpath(j->object, target))
		snprintf(target, sizeof(target), "%s", j->object);
	if (pv_elf_put_note(target, PV_COMPILE_SECTION, PV_NT_COMPILE, desc,
	    desclen, &why) < 0) {
		report_failure(c, "cannot embed provenance", j->object, why);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0 && !c->warn_only)
		unlink(j->object);	/* make must not take it as done */
	free(rd.fail_file);
	free(desc);
	return rc;
}

static int run_job(struct compile *c, struct job *j, struct early *e,
    int *status)
{
	if (j->route == ROUTE_DEPFILE && !j->depfile) {
		report_failure(c, "cannot create dependency file", c->tmpdir,
		    strerror(errno));
		return -1;
	}
	if (ftruncate(c->trace_fd, 0) < 0) {
		report_failure(c, "cannot reset compiler trace", "memfd",
		    strerror(errno));
		return -1;
	}
	set_child_env(c->envp, "PROVCC_TRACE_OPENS",
	    j->route == ROUTE_TRACE ? "1" : "pch");
	if (pv_spawn_serve(j->launched ? c->launcher : c->compiler,
	    j->launched ? j->launch_argv : j->argv, c->envp, prepare_record,
	    e, status) < 0) {
		pv_error("cannot run compiler", j->launched ? c->launcher :
		    c->compiler, strerror(errno));
		*status = (errno == ENOENT ? PV_EXIT_NOTFOUND :
		    PV_EXIT_NOEXEC) << 8;
		return 1;
	}
	return 0;
}

/* --- the whole command ------------------------------------------------- */

/* The trace goes to an anonymous memory file the compiler's processes
 * inherit: no file system work per compile.  It sits at a high number,
 * out of the way of descriptors programs set up themselves. */
static int open_trace(struct compile *c)
{
	char num[16];
	int fd = memfd_create("provcc-trace", 0);

	if (fd >= 0) {
		c->trace_fd = fcntl(fd, F_DUPFD, 100);
		close(fd);
	}
	if (fd < 0 || c->trace_fd < 0 ||
	    fcntl(c->trace_fd, F_SETFL, O_APPEND) < 0) {
		report_failure(c, "cannot create compiler trace", "memfd",
		    strerror(errno));
		return -1;
	}
	snprintf(num, sizeof(num), "%d", c->trace_fd);
	set_child_env(c->envp, "PROVCC_TRACE_FD", num);
	return 0;
}

/* PROVCC_COMPRESS: compile records are stored as they are unless asked
 * otherwise.  zlib would take a 70-header record from 11 KB to 4 KB, at
 * about 0.3 ms per compile (docs/design.md, "Speed"). */
static int read_compression(struct compile *c)
{
	const char *v = getenv("PROVCC_COMPRESS");

	if (!v || !*v || strcmp(v, "none") == 0)
		c->compression = PV_COMPRESS_NONE;
	else if (strcmp(v, "zlib") == 0)
		c->compression = PV_COMPRESS_ZLIB;
	else {
		report_failure(c, "bad setting", "PROVCC_COMPRESS",
		    "expected none or zlib");
		return -1;
	}
	return 0;
}

static int setup(struct compile *c)
{
	char *shim;
	const char *tmp = getenv("TMPDIR"), *dir = pv_self_dir();
	struct stat st;

	if (read_compression(c) < 0)
		return -1;
	if (pv_buildroot_init(&c->br) < 0) {
		report_failure(c, "cannot get working directory", ".",
		    strerror(errno));
		return -1;
	}
	shim = pv_xasprintf("%s/../lib/provcc/%s", dir ? dir : ".", SHIM_NAME);
	if (access(shim, R_OK) < 0) {
		report_failure(c, "trace library missing", shim,
		    strerror(errno));
		free(shim);
		return -1;
	}
	c->envp = child_environment(shim);
	free(shim);
	/* Like gcc, a TMPDIR that is no directory is ignored.  Without
	 * one, the private dependency files go to memory (/dev/shm) when
	 * it can be written: a file created and removed per compile. */
	if (!tmp || *tmp != '/' || stat(tmp, &st) < 0 || !S_ISDIR(st.st_mode))
		tmp = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
	c->tmpdir = tmp;
	return open_trace(c);
}

static void teardown(struct compile *c)
{
	if (c->trace_fd > 0)
		close(c->trace_fd);
	pv_buildroot_free(&c->br);
	free(c->envp);	/* the strings are environ's or deliberately kept */
	pv_cmdline_free(&c->cl);
	pv_expanded_free(&c->x);
	pv_hashcache_close();
	free(c->run_argv);
	free(c->full_argv);
}

/* The final status: the first signal death wins, then the first
 * failure; a provenance failure only counts when the compiles worked. */
static int run_jobs(struct compile *c)
{
	int final = 0, prov_failed = 0, status;
	size_t i;

	for (i = 0; i < c->cl.nsources; i++) {
		struct pv_record r;
		struct early e;
		struct job j;

		job_setup(c, &j, i);
		early_init(&e, c, &j, &r);
		status = 0;
		if (run_job(c, &j, &e, &status) < 0)
			prov_failed = 1;
		else if (status == 0 && record_job(c, &j, &e) < 0)
			prov_failed = 1;
		early_free(&e);
		if (status != 0 && (final == 0 || (WIFSIGNALED(status) &&
		    !WIFSIGNALED(final))))
			final = status;
		job_free(c, &j);
	}
	if (final == 0 && prov_failed && !c->warn_only)
		final = PV_EXIT_PROVENANCE << 8;
	return final;
}

/* A link: link.c runs it, or hands it back to be passed through. */
static int run_link(struct compile *c)
{
	struct pv_link_driver d;
	int rc;

	memset(&d, 0, sizeof(d));
	d.driver = c->compiler;
	d.run_argv = c->run_argv;
	d.argv0 = c->argv[0];
	d.x = &c->x;
	d.output = c->cl.output;
	d.target = c->cl.target;
	d.nsources = c->cl.nsources;
	d.cl = &c->cl;
	d.launched = c->launcher != NULL;
	rc = pv_link_driver_main(&d);
	return rc < 0 ? pass_through(c) : rc;
}

/* The launcher, the command as run through it and the compiler's own. */
static void setup_argv(struct compile *c, const struct pv_tool *t,
    int argc, char **argv, int masquerade)
{
	c->compiler = t->compiler;
	/* Below another provcc, a launcher's link named gcc was found
	 * again: the launcher above already runs, and it wants the
	 * compiler, not a loop back through itself. */
	if (t->launcher && (t->skip || pv_depth() == 0)) {
		c->launcher = t->run;
		c->skip = t->skip;
	}
	c->full_argv = pv_xcalloc((size_t)argc + 1, sizeof(char *));
	memcpy(c->full_argv, argv, (size_t)argc * sizeof(char *));
	c->argc = argc - c->skip;
	c->argv = argv + c->skip;
	/* Behind a masquerade link the compiler sees its own path as
	 * argv[0]: gcc finds its installation from argv[0], and the link
	 * (provcc) is not it.  Otherwise argv[0] stays as the build gave it,
	 * so that what the driver prints (-###, -v) is unchanged. */
	c->run_argv = pv_xcalloc((size_t)c->argc + 1, sizeof(char *));
	memcpy(c->run_argv, c->argv, (size_t)c->argc * sizeof(char *));
	if (masquerade) {
		c->run_argv[0] = (char *)c->compiler;
		c->full_argv[0] = (char *)(c->launcher ? c->launcher :
		    c->compiler);
	}
}

int pv_compile_main(const struct pv_tool *t, int argc, char **argv,
    int masquerade)
{
	struct compile c;
	const char *onerr = getenv("PROVCC_ON_ERROR");
	const char *disable = getenv("PROVCC_DISABLE");
	int status;

	/* A wrapped compile or link lives for one command: let the heap
	 * grow in large steps and never give memory back, which saves
	 * system calls and page faults and costs nothing at exit.  (Not
	 * for collect and the other long-running commands.) */
	mallopt(M_TOP_PAD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	memset(&c, 0, sizeof(c));
	c.warn_only = onerr && strcmp(onerr, "warn") == 0;
	setup_argv(&c, t, argc, argv, masquerade);
	if (pv_depth() >= MAX_DEPTH) {
		pv_error("compiler loop", argv[0],
		    "it resolves back to provcc (PROVCC_DEPTH limit reached)");
		return PV_EXIT_LOOP;
	}
	if ((disable && strcmp(disable, "1") == 0) || pv_depth() > 0)
		return pass_through(&c);
	pv_expand_response_files(c.argc, c.run_argv, &c.x);
	if (pv_cmdline_classify(&c.cl, c.x.argc, c.x.argv) < 0)
		return pass_through(&c);
	if (c.cl.mode == PV_MODE_LINK)
		return run_link(&c);
	if (c.cl.mode != PV_MODE_COMPILE)
		return pass_through(&c);
	if (setup(&c) < 0) {
		if (c.warn_only)
			return pass_through(&c);
		teardown(&c);
		return PV_EXIT_PROVENANCE;
	}
	status = run_jobs(&c);
	teardown(&c);
	pv_exit_like(status);
}
