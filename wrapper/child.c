/* child.c - child processes; see child.h. */
#define _GNU_SOURCE
#include "child.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static volatile pid_t child_pid;

int pv_depth(void)
{
	const char *d = getenv("PROVCC_DEPTH");

	return d ? atoi(d) : 0;
}

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static int spawn_common(const char *path, char *const argv[],
    char *const envp[], const posix_spawn_file_actions_t *fa,
    void (*serve)(void *), void *ctx, int *status);

int pv_spawn_wait(const char *path, char *const argv[], char *const envp[],
    int *status)
{
	return spawn_common(path, argv, envp, NULL, NULL, NULL, status);
}

int pv_spawn_serve(const char *path, char *const argv[], char *const envp[],
    void (*serve)(void *), void *ctx, int *status)
{
	return spawn_common(path, argv, envp, NULL, serve, ctx, status);
}

int pv_spawn_redirect(const char *path, char *const argv[],
    char *const envp[], const char *out, const char *err, int *status)
{
	posix_spawn_file_actions_t fa;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out,
	    O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, err,
	    O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rc = spawn_common(path, argv, envp, &fa, NULL, NULL, status);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

static int spawn_common(const char *path, char *const argv[],
    char *const envp[], const posix_spawn_file_actions_t *fa,
    void (*serve)(void *), void *ctx, int *status)
{
	struct sigaction fwd, ign, old_int, old_quit, old_term, old_hup;
	sigset_t fwd_set, old_mask;
	pid_t pid;
	int rc;

	/* Hold SIGTERM and SIGHUP until the child's pid is known, so that
	 * one arriving while it starts is forwarded, not lost. */
	sigemptyset(&fwd_set);
	sigaddset(&fwd_set, SIGTERM);
	sigaddset(&fwd_set, SIGHUP);
	sigprocmask(SIG_BLOCK, &fwd_set, &old_mask);

	memset(&fwd, 0, sizeof(fwd));
	fwd.sa_handler = forward_signal;
	sigemptyset(&fwd.sa_mask);
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	sigaction(SIGTERM, &fwd, &old_term);
	sigaction(SIGHUP, &fwd, &old_hup);

	/* The child gets the dispositions provcc was started with. */
	{
		posix_spawnattr_t attr;
		sigset_t defaults;

		posix_spawnattr_init(&attr);
		sigemptyset(&defaults);
		if (old_int.sa_handler != SIG_IGN)
			sigaddset(&defaults, SIGINT);
		if (old_quit.sa_handler != SIG_IGN)
			sigaddset(&defaults, SIGQUIT);
		sigaddset(&defaults, SIGTERM);
		sigaddset(&defaults, SIGHUP);
		posix_spawnattr_setsigdefault(&attr, &defaults);
		posix_spawnattr_setsigmask(&attr, &old_mask);
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF |
		    POSIX_SPAWN_SETSIGMASK);
		rc = posix_spawn(&pid, path, fa, &attr, argv,
		    envp ? envp : environ);
		posix_spawnattr_destroy(&attr);
	}
	if (rc == 0)
		child_pid = pid;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if (rc == 0) {
		if (serve)
			serve(ctx);
		while (waitpid(pid, status, 0) < 0 && errno == EINTR)
			;
		child_pid = 0;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return 0;
}

int pv_exec(const char *path, char *const argv[], char *const envp[])
{
	execve(path, argv, envp ? envp : environ);
	return -1;
}

void pv_exit_like(int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		struct sigaction dfl;

		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		sigaction(sig, &dfl, NULL);
		fflush(NULL);
		raise(sig);
		exit(128 + sig);
	}
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* Run PATH with ARGV and return what it wrote to descriptor FD (1 or
 * 2), up to 1 MiB, when it exits 0; the other one goes to /dev/null. */
static char *capture(const char *path, char *const argv[], int fd)
{
	posix_spawn_file_actions_t fa;
	size_t have = 0, size = 4096;
	char *buf = pv_xcalloc(size, 1);
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		free(buf);
		return NULL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], fd);
	posix_spawn_file_actions_addopen(&fa, 3 - fd, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (posix_spawn(&pid, path, &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(fds[0]);
		close(fds[1]);
		free(buf);
		return NULL;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	for (;;) {
		if (have == size - 1 && size < (1 << 20)) {
			buf = pv_xrealloc(buf, size * 2);
			size *= 2;
		}
		if (have == size - 1)
			break;
		n = read(fds[0], buf + have, size - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	buf[have] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || have == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *pv_capture_line(const char *path, char *const argv[])
{
	char *out = capture(path, argv, 1), *nl;

	if (out && (nl = strchr(out, '\n')) != NULL)
		*nl = '\0';
	return out;
}

char *pv_capture_stderr(const char *path, char *const argv[])
{
	return capture(path, argv, 2);
}
