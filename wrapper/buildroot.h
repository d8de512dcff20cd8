/* buildroot.h - where a build runs and how its paths are recorded:
 * the working directory, the build root (docs/format.md section 5) and
 * the environment allowlist (section 6), shared by compiles and links.
 */
#ifndef PROVCC_BUILDROOT_H
#define PROVCC_BUILDROOT_H

struct pv_buildroot {
	char *cwd;		/* physical working directory */
	char *root;		/* build root, physical; "" for none */
	char *root_alt;		/* the root through symbolic links, or NULL */
};

/* Fill BR from the working directory, $PWD and $PROVCC_ROOT.  Returns 0,
 * or -1 with errno when the working directory cannot be had. */
int pv_buildroot_init(struct pv_buildroot *br);
void pv_buildroot_free(struct pv_buildroot *br);

/* ABS (normalised) as recorded: relative to the root, or absolute. */
char *pv_buildroot_rel(const struct pv_buildroot *br, const char *abs);

/* S with the root replaced by ${PROVCC_ROOT} where it is a whole path
 * prefix, for argv words and environment values. */
char *pv_buildroot_subst(const struct pv_buildroot *br, const char *s);

/* The environment variables whose values may be recorded (section 6),
 * NULL-terminated. */
#define PV_ENV_ALLOWLIST_MAX 18	/* entries, with the NULL */
extern const char *const pv_env_allowlist[PV_ENV_ALLOWLIST_MAX];

#endif
