/* child.h - run the real compiler as a child and pass its fate on. */
#ifndef PROVCC_CHILD_H
#define PROVCC_CHILD_H

/* PROVCC_DEPTH: how many provcc processes stand above this one. */
int pv_depth(void);

/* Run PATH with ARGV in environment ENVP, wait for it and store its wait
 * status.  While it runs, SIGINT and SIGQUIT are ignored (the terminal
 * sends them to the child too) and SIGTERM and SIGHUP are forwarded to
 * it.  Returns 0, or -1 with errno when it could not be started. */
int pv_spawn_wait(const char *path, char *const argv[], char *const envp[],
    int *status);

/* The same, calling SERVE(CTX) once the child runs and before waiting
 * for it: for a conversation with the child over pipes it inherited. */
int pv_spawn_serve(const char *path, char *const argv[], char *const envp[],
    void (*serve)(void *), void *ctx, int *status);

/* The same with the child's standard output and error going to the
 * files OUT and ERR (created or truncated). */
int pv_spawn_redirect(const char *path, char *const argv[],
    char *const envp[], const char *out, const char *err, int *status);

/* Replace provcc by PATH: the pure pass-through.  Returns only on
 * failure, with errno set. */
int pv_exec(const char *path, char *const argv[], char *const envp[]);

/* Exit with the wait status STATUS of a child: the same exit code, or
 * death by the same signal. */
void pv_exit_like(int status) __attribute__((noreturn));

/* Run PATH with ARGV and return the first line of its standard output
 * (malloc'd, without the newline), or NULL. Its stderr is discarded. */
char *pv_capture_line(const char *path, char *const argv[]);

/* The same, returning all it writes to its standard error (up to
 * 1 MiB, malloc'd), or NULL; its stdout is discarded. */
char *pv_capture_stderr(const char *path, char *const argv[]);

#endif
