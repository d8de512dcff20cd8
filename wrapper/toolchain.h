/* toolchain.h - find the real compiler and tell what it is. */
#ifndef PROVCC_TOOLCHAIN_H
#define PROVCC_TOOLCHAIN_H

/* The first executable NAME in the directories of PATH (colon-separated;
 * an empty entry is the working directory) that is not provcc, or NULL
 * with errno ENOENT. */
char *pv_find_in(const char *name, const char *path);

/* Whether PATH resolves to this provcc executable (by real path). */
int pv_is_self(const char *path);

/* The program NAME would run as: NAME itself when it holds a '/', else
 * the first executable NAME in $PATH that is not provcc (compared by
 * real path).  Returns a malloc'd path, or NULL with errno ENOENT. */
char *pv_find_program(const char *name);

/* The program NAME runs as (see pv_find_program) when NAME looks like a
 * command rather than a compiler argument, else NULL: tells
 * "provcc gcc -c x.c" from "provcc -c x.c".  Caller frees. */
char *pv_command_path(const char *name);

/* The compiler of a command and, when a compiler launcher (ccache,
 * sccache, distcc, icecc) runs it, that launcher. */
struct pv_tool {
	char *run;		/* what runs: the compiler or the launcher */
	char *compiler;		/* the real compiler */
	int launcher;		/* run is a launcher in front of compiler */
	int skip;		/* 1 when the launcher is a word of argv
				 * ("ccache gcc ..."), 0 for a launcher's
				 * link named like the compiler */
};

/* Whether PATH is a launcher: its real path's basename names one. */
int pv_is_launcher(const char *path);

/* The same as pv_find_program, skipping launchers as well. */
char *pv_find_compiler(const char *name);

/* Tell what the command word NAME, found at PATH (malloc'd, kept), runs.
 * When PATH is a launcher, the compiler behind it is NEXT, the word
 * after it, if NAME is the launcher's own name; else (a link like
 * /usr/lib/ccache/gcc) the next NAME in PATH that is no launcher. */
void pv_tool_resolve(const char *name, char *path, const char *next,
    struct pv_tool *t);

struct pv_pathlist;

/* The programs DRIVER runs for the command ARGV (argv[0] as run), as
 * `DRIVER ARGV... -###` lists them: real paths in order of start,
 * without repeats or the driver itself.  Behind a launcher a cache hit
 * runs none, so they cannot be seen.  Returns 0, or -1 with errno. */
int pv_driver_programs(const char *driver, char *const argv[],
    struct pv_pathlist *out);

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
