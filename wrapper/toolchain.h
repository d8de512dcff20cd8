/* toolchain.h - find the real compiler and tell what it is. */
#ifndef PROVCC_TOOLCHAIN_H
#define PROVCC_TOOLCHAIN_H

/* The first executable NAME in the directories of PATH (colon-separated;
 * an empty entry is the working directory) that is not provcc, or NULL
 * with errno ENOENT. */
char *pv_find_in(const char *name, const char *path);

/* The program NAME would run as: NAME itself when it holds a '/', else
 * the first executable NAME in $PATH that is not provcc (compared by
 * real path).  Returns a malloc'd path, or NULL with errno ENOENT. */
char *pv_find_program(const char *name);

/* The program NAME runs as (see pv_find_program) when NAME looks like a
 * command rather than a compiler argument, else NULL: tells
 * "provcc gcc -c x.c" from "provcc -c x.c".  Caller frees. */
char *pv_command_path(const char *name);

struct pv_toolid {
	char *version;		/* first line of `DRIVER --version` */
	char *target;		/* `DRIVER [--target=T] -dumpmachine` */
};

/* Identity of the driver at real path DRIVER for target option TARGET
 * (NULL for the default), cached per driver file and target so that
 * the driver is asked only once.  Fields are "" when unknown. */
void pv_toolid_get(const char *driver, const char *target,
    struct pv_toolid *id);
void pv_toolid_free(struct pv_toolid *id);

#endif
