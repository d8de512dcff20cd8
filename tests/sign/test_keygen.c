/* test_keygen.c - `provcc keygen` (wrapper/keygen.c), run in a child
 * process so that its output and exit status can be checked. */
#define _GNU_SOURCE
#include "check.h"
#include "keygen.h"
#include "sign.h"
#include "util.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmpdir;

struct run {
	int status;
	char out[4096], err[4096];
};

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* Run pv_cmd_keygen with the NULL-terminated arguments after "keygen",
 * its stdout and stderr going to files. */
static void keygen(struct run *r, ...)
{
	char *argv[16], *out = pv_xasprintf("%s/out", tmpdir);
	char *err = pv_xasprintf("%s/err", tmpdir);
	int argc = 0, st = 0;
	va_list ap;
	pid_t pid;

	argv[argc++] = "keygen";
	va_start(ap, r);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		int rc;

		dup2(o, 1);
		dup2(e, 2);
		rc = pv_cmd_keygen(argc, argv);
		fflush(NULL);	/* as exit() would after main returns */
		_exit(rc);
	}
	r->status = pid > 0 && waitpid(pid, &st, 0) == pid &&
	    WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
	free(out);
	free(err);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static char *path_in(const char *name)
{
	return pv_xasprintf("%s/%s", tmpdir, name);
}

static int mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static void test_makes_pair(const char *type, enum pv_key_type want)
{
	char *key = pv_xasprintf("%s/%s", tmpdir, type ? type : "default");
	char *pub = pv_xasprintf("%s.pub", key);
	const char *why;
	struct pv_key *k, *p;
	struct run r;

	if (type)
		keygen(&r, "--type", type, key, (char *)NULL);
	else
		keygen(&r, key, (char *)NULL);
	CHECK_INT(r.status, 0);
	CHECK_STR(r.err, "");
	CHECK_INT(strlen(r.out), 65);
	CHECK_INT(strspn(r.out, "0123456789abcdef"), 64);
	CHECK_INT(mode_of(key), 0600);
	CHECK_INT(mode_of(pub), 0644);
	k = pv_key_load_private(key, &why);
	p = pv_key_load_public(pub, &why);
	if (CHECK(k && p)) {
		CHECK_INT(pv_key_type(k), want);
		CHECK(strncmp(r.out, pv_key_id(k), 64) == 0);
		CHECK_STR(pv_key_id(p), pv_key_id(k));
	}
	pv_key_free(k);
	pv_key_free(p);
	free(key);
	free(pub);
}

static void test_no_overwrite(void)
{
	char *key = path_in("kept"), *pub = path_in("kept.pub");
	char before[4096], after[4096], pubbefore[4096], pubafter[4096];
	struct run r;

	keygen(&r, key, (char *)NULL);
	CHECK_INT(r.status, 0);
	slurp(key, before, sizeof(before));
	slurp(pub, pubbefore, sizeof(pubbefore));

	keygen(&r, key, (char *)NULL);
	CHECK_INT(r.status, 1);
	CHECK_STR(r.out, "");
	CHECK_INT(count_lines(r.err), 1);
	CHECK(strstr(r.err, "provcc: error: ") == r.err &&
	    strstr(r.err, key) && strstr(r.err, "--force"));
	slurp(key, after, sizeof(after));
	slurp(pub, pubafter, sizeof(pubafter));
	CHECK_STR(after, before);
	CHECK_STR(pubafter, pubbefore);

	/* The public file alone also stops it. */
	unlink(key);
	keygen(&r, key, (char *)NULL);
	CHECK_INT(r.status, 1);
	CHECK(strstr(r.err, pub) != NULL);
	CHECK_INT(mode_of(key), -1);

	keygen(&r, "--force", key, (char *)NULL);
	CHECK_INT(r.status, 0);
	slurp(pub, pubafter, sizeof(pubafter));
	CHECK(strcmp(pubafter, pubbefore) != 0);
	CHECK_INT(mode_of(key), 0600);
	free(key);
	free(pub);
}

/* When FILE.pub cannot be written no private key is left behind. */
static void test_no_half_pair(void)
{
	char *key = path_in("half"), *pub = path_in("half.pub");
	struct run r;

	CHECK_INT(mkdir(pub, 0755), 0);
	keygen(&r, "-f", key, (char *)NULL);
	CHECK_INT(r.status, 1);
	CHECK_INT(count_lines(r.err), 1);
	CHECK(strstr(r.err, "cannot write key file") && strstr(r.err, pub));
	CHECK_INT(mode_of(key), -1);
	rmdir(pub);
	free(key);
	free(pub);
}

static void test_io_error(void)
{
	char *key = path_in("no/such/dir/key");
	struct run r;

	keygen(&r, key, (char *)NULL);
	CHECK_INT(r.status, 1);
	CHECK_INT(count_lines(r.err), 1);
	CHECK(strstr(r.err, "No such file or directory") != NULL);
	free(key);
}

static const struct {
	int line;
	const char *args[4];
	const char *why;
} usage[] = {
	{ __LINE__, { NULL }, "no key file named" },
	{ __LINE__, { "--type", "rsa", "k", NULL }, "unknown key type 'rsa'" },
	{ __LINE__, { "--type=p384", "k", NULL }, "unknown key type 'p384'" },
	{ __LINE__, { "--type", NULL }, "option '--type' needs an argument" },
	{ __LINE__, { "--bogus", "k", NULL }, "unknown option '--bogus'" },
	{ __LINE__, { "-x", "k", NULL }, "unknown option '-x'" },
	{ __LINE__, { "a", "b", NULL }, "more than one key file named" },
	{ __LINE__, { "", NULL }, "empty key file name" },
};

static void test_usage(void)
{
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(usage) / sizeof(usage[0]); i++) {
		keygen(&r, usage[i].args[0], usage[i].args[1],
		    usage[i].args[2], usage[i].args[3], (char *)NULL);
		CHECK_INT_AT(__FILE__, usage[i].line, r.status, 2);
		CHECK_INT_AT(__FILE__, usage[i].line, count_lines(r.err), 1);
		if (!strstr(r.err, usage[i].why))
			check_fail(__FILE__, usage[i].line,
			    "stderr \"%s\" lacks \"%s\"", r.err, usage[i].why);
	}
	keygen(&r, "--help", (char *)NULL);
	CHECK_INT(r.status, 0);
	CHECK(strncmp(r.out, "usage: provcc keygen", 20) == 0);
	CHECK_STR(r.err, "");
}

int main(void)
{
	char tmpl[] = "/tmp/provcc-test-keygen-XXXXXX";
	char *cmd;

	tmpdir = mkdtemp(tmpl);
	if (!tmpdir) {
		perror("mkdtemp");
		return 1;
	}
	umask(077);	/* the modes must not depend on it */
	test_makes_pair(NULL, PV_KEY_ED25519);
	test_makes_pair("ed25519", PV_KEY_ED25519);
	test_makes_pair("ecdsa-p256", PV_KEY_ECDSA_P256);
	test_no_overwrite();
	test_no_half_pair();
	test_io_error();
	test_usage();
	cmd = pv_xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("cannot remove %s\n", tmpdir);
	free(cmd);
	return check_finish();
}
