/* buildroot.c - working directory, build root, environment allowlist;
 * see buildroot.h and docs/format.md sections 5 and 6. */
#define _GNU_SOURCE
#include "buildroot.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Environment variables that change what a compile or link produces;
 * no other value is ever recorded. */
const char *const pv_env_allowlist[PV_ENV_ALLOWLIST_MAX] = {
	"SOURCE_DATE_EPOCH", "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH",
	"OBJC_INCLUDE_PATH", "LIBRARY_PATH", "GCC_EXEC_PREFIX",
	"COMPILER_PATH", "GCC_COMPARE_DEBUG", "DEPENDENCIES_OUTPUT",
	"SUNPRO_DEPENDENCIES", "CCC_OVERRIDE_OPTIONS",
	"QA_OVERRIDE_GCC3_OPTIONS", "LANG", "LC_ALL", "LC_CTYPE",
	"LC_MESSAGES", NULL,
};

/* The nearest directory at or above DIR holding a .git entry, or "". */
static char *git_root(const char *start)
{
	char *dir = pv_xstrdup(start), *slash;
	struct stat st;

	for (;;) {
		char *git = pv_xasprintf("%s/.git", dir);
		int found = lstat(git, &st) == 0;

		free(git);
		if (found)
			return dir;
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	free(dir);
	return pv_xstrdup("");	/* no root: paths stay absolute */
}

/* The build root as the process sees it (physical, like getcwd) and,
 * when it differs, as the build named it through symbolic links
 * (PROVCC_ROOT=$PWD, paths made from $PWD): both count as the root. */
int pv_buildroot_init(struct pv_buildroot *br)
{
	const char *env = getenv("PROVCC_ROOT"), *pwd = getenv("PWD");
	char cwd[PATH_MAX], real[PATH_MAX], *named;

	memset(br, 0, sizeof(*br));
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	br->cwd = pv_xstrdup(cwd);
	if (env && *env)
		named = pv_path_normalize(cwd, env);
	else if (pwd && *pwd == '/' && realpath(pwd, real) &&
	    strcmp(real, cwd) == 0)
		named = git_root(pwd);
	else
		named = git_root(cwd);
	if (named[0] && realpath(named, real) && strcmp(real, named) != 0) {
		br->root = pv_xstrdup(real);
		br->root_alt = named;
	} else
		br->root = named;
	return 0;
}

void pv_buildroot_free(struct pv_buildroot *br)
{
	free(br->cwd);
	free(br->root);
	free(br->root_alt);
	memset(br, 0, sizeof(*br));
}

char *pv_buildroot_rel(const struct pv_buildroot *br, const char *abs)
{
	char *r = pv_path_relative(br->root, abs);

	if (br->root_alt && r[0] == '/') {
		free(r);
		r = pv_path_relative(br->root_alt, abs);
	}
	return r;
}

char *pv_buildroot_subst(const struct pv_buildroot *br, const char *s)
{
	char *once = pv_subst_root(br->root, s), *twice;

	if (!br->root_alt)
		return once;
	twice = pv_subst_root(br->root_alt, once);
	free(once);
	return twice;
}
