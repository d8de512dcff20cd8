#!/bin/bash
# percompile.sh - what provcc adds to one compile, isolated from the
# compiler's own run time and from the machine's load.
#
# A whole compile takes 10-1000 ms and varies by more than provcc adds
# on a busy machine.  This script replaces the compiler by "fakecc", a
# small dynamic program that copies a prepared object to -o and writes
# a prepared dependency file (the headers of a real compile) to -MF:
# the work provcc does after it (trace, depfile, 70 header lookups,
# record, note) is the real one, the compile itself takes ~1 ms.  It
# runs, interleaved N times each (A B C D, D C B A, ...):
#
#   fakecc                    the compile alone
#   nullwrap fakecc           a static program that only spawns its
#                             arguments and waits: the floor for any
#                             wrapper (one more exec and wait)
#   provcc fakecc             (and the same for each --also PROVCC)
#
# and prints, per variant, the minimum wall time (the path without
# waiting for a CPU) and the median difference to fakecc alone of the
# CPU time (user+sys of the whole process tree) and of the wall time,
# each over pairs from the same round, with the CPU median's 95%
# interval (distribution-free: order statistics).  CPU time barely
# depends on the load; wall-time medians do, a lot.  The interval says
# how well one run pins its median; runs on other days differ by more
# when the machine under the VM does.
#
# With --full-cache the hash cache starts full (random records, as a
# cache that has been in use for weeks), in both formats so that older
# provcc builds given with --also are measured the same way.
#
# With --parts it also runs, without provcc, the pieces of work a
# recorded compile adds to the compiler's own processes, and provcc
# with recording off, so that the cost splits into:
#
#   env PROVCC_DISABLE=1 provcc CC   provcc's start-up alone: with
#                                    recording off it execs the compiler
#                                    in its place (no spawn, no wait)
#   CC ... -MD -MF x.d               the dependency file provcc asks for
#   env LD_PRELOAD=<trace library>   the trace library in every process
#       PROVCC_TRACE_FD=9 CC         of the compile, reporting to a file
#                                    in /dev/shm as provcc's memory file
#   CC again                         a control: the same command as the
#                                    first variant, so what it "adds" is
#                                    the harness's own bias and noise
#
# (the variants set their environment inside the harness: no extra
# process).  provcc minus nullwrap minus the dependency file and the
# trace library is what provcc's own start-up and recording cost beyond
# the floor: hashing, the record, the note.
#
# With --gcc the compiler is gcc itself, compiling proto.c (the same 74
# headers) with -O0: the trace library is then loaded into three
# processes (gcc, cc1, as) and cc1 writes the dependency file; the
# compile's own time (~15 ms) varies more than provcc's, so CPU time is
# the usable figure.
#
# Usage: bench/percompile.sh [-n N] [--full-cache] [--gcc] [--parts]
#                            [--provcc PATH] [--also PATH]...
set -euo pipefail

n=500
full_cache=false
parts=false
cc=./fakecc src=a.c
provcc=${PROVCC:-build/bin/provcc}
also=()
while [ $# -gt 0 ]; do
	case $1 in
	-n) n=$2; shift 2 ;;
	--provcc) provcc=$2; shift 2 ;;
	--also) also+=("$2"); shift 2 ;;
	--full-cache) full_cache=true; shift ;;
	--gcc) cc=gcc src=proto.c; shift ;;
	--parts) parts=true; shift ;;
	*) echo "usage: $0 [-n N] [--full-cache] [--gcc] [--parts] [--provcc PATH] [--also PATH]..." >&2
	   exit 2 ;;
	esac
done
provcc=$(readlink -f "$provcc")
w=$(mktemp -d "${TMPDIR:-/tmp}/provcc-percompile.XXXXXX")
trap 'rm -rf "$w"' EXIT
cd "$w"

# A source with about as many headers as zlib's deflate.c (70; gcc 12,
# glibc 2.36: 74).
cat >proto.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
int f(int x) { return x + 1; }
EOF
gcc -O2 -c proto.c -o proto.o
gcc -M proto.c | tr ' \\' '\n\n' | grep '^/' >deps.txt

cat >fakecc.c <<EOF
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv)
{
	const char *o = NULL, *mf = NULL;
	char buf[1 << 16], line[4096];
	size_t n;
	int i;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) o = argv[++i];
		else if (!strcmp(argv[i], "-MF") && i + 1 < argc) mf = argv[++i];
		else if (!strcmp(argv[i], "--version")) { puts("fakecc 1"); return 0; }
		else if (!strcmp(argv[i], "-dumpmachine")) { puts("x86_64-linux-gnu"); return 0; }
	}
	FILE *in = fopen("$w/proto.o", "rb"), *out = fopen(o, "wb");
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
	if (mf) {
		FILE *d = fopen(mf, "w"), *l = fopen("$w/deps.txt", "r");
		fprintf(d, "%s: a.c", o);
		while (fgets(line, sizeof(line), l)) {
			line[strcspn(line, "\n")] = 0;
			fprintf(d, " \\\\\n %s", line);
		}
		fputs("\n", d);
		fclose(d);
		fclose(l);
	}
	return 0;
}
EOF
gcc -O2 -o fakecc fakecc.c

cat >nullwrap.c <<'EOF'
#include <spawn.h>
#include <sys/wait.h>
extern char **environ;
int main(int argc, char **argv)
{
	pid_t pid;
	int st;
	(void)argc;
	if (posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ))
		return 127;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
EOF
gcc -O2 -static -o nullwrap nullwrap.c 2>/dev/null ||
	gcc -O2 -o nullwrap nullwrap.c

cat >ab.c <<'EOF'
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
extern char **environ;
static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}
static double ms(struct timeval t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; }
/* The environment of a variant: its leading NAME=VALUE words, then ours
 * without those names (set here rather than through env(1), which
 * would add a process). */
static int overridden(const char *var, char **set, size_t nset)
{
	size_t i;
	for (i = 0; i < nset; i++)
		if (!strncmp(var, set[i], strcspn(set[i], "=") + 1))
			return 1;
	return 0;
}
static char **variant_env(char ***cmd)
{
	size_t ne = 0, k = 0, i;
	char **env;
	while (environ[ne]) ne++;
	env = calloc(ne + 16 + 1, sizeof(char *));
	while ((*cmd)[0] && strchr((*cmd)[0], '=') && k < 16) {
		env[k++] = (*cmd)[0];
		(*cmd)++;
	}
	for (i = 0; i < ne; i++)
		if (!overridden(environ[i], env, k))
			env[k++] = environ[i];
	return env;
}
int main(int argc, char **argv)
{
	int n = atoi(argv[1]), nc = 0, r, k;
	char **cmds[16], **envs[16];
	for (k = 2; k < argc; k++)
		if (!strcmp(argv[k], "--") && nc < 16) { argv[k] = NULL; cmds[nc++] = &argv[k + 1]; }
	for (k = 0; k < nc; k++)
		envs[k] = variant_env(&cmds[k]);
	double *t = calloc((size_t)n * nc, sizeof(double));
	double *u = calloc((size_t)n * nc, sizeof(double));
	double *d = calloc((size_t)n, sizeof(double));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	for (r = 0; r < n; r++)
		for (k = 0; k < nc; k++) {
			int c = (r & 1) ? nc - 1 - k : k, st;
			struct timespec a, b;
			struct rusage ru;
			pid_t p;
			clock_gettime(CLOCK_MONOTONIC, &a);
			if (posix_spawnp(&p, cmds[c][0], &fa, NULL, cmds[c], envs[c]))
				return 1;
			wait4(p, &st, 0, &ru);
			clock_gettime(CLOCK_MONOTONIC, &b);
			if (st) { fprintf(stderr, "variant %d failed\n", c); return 1; }
			t[c * n + r] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
			u[c * n + r] = ms(ru.ru_utime) + ms(ru.ru_stime);
		}
	for (k = 0; k < nc; k++) {
		double cmed = 0, wmed = 0, cq1 = 0, cq3 = 0, clo = 0, chi = 0;
		if (k > 0) {
			/* The median's 95% interval: the order statistics
			 * n/2 -+ 0.98 sqrt(n), whatever the distribution. */
			int h = (int)(0.98 * sqrt(n)) + 1;
			for (r = 0; r < n; r++) d[r] = u[k * n + r] - u[r];
			qsort(d, n, sizeof(double), cmpd);
			cq1 = d[n / 4]; cmed = d[n / 2]; cq3 = d[3 * n / 4];
			clo = d[n / 2 - h < 0 ? 0 : n / 2 - h];
			chi = d[n / 2 + h >= n ? n - 1 : n / 2 + h];
			for (r = 0; r < n; r++) d[r] = t[k * n + r] - t[r];
			qsort(d, n, sizeof(double), cmpd);
			wmed = d[n / 2];
		}
		qsort(t + k * n, n, sizeof(double), cmpd);
		printf("%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", k,
		    t[k * n], cmed, clo, chi, cq1, cq3, wmed);
	}
	return 0;
}
EOF
gcc -O2 -o ab ab.c -lm

export PROVCC_CACHE_DIR=$w/cache
variants=("${cc#./}" "nullwrap" "provcc $provcc")
cmd=(-- $cc -c $src -o x.o -- ./nullwrap $cc -c $src -o x.o
    -- "$provcc" $cc -c $src -o x.o)
for p in "${also[@]}"; do
	p=$(readlink -f "$p")
	variants+=("provcc $p")
	cmd+=(-- "$p" $cc -c $src -o x.o)
done
trace_lib=$(dirname "$provcc")/../lib/provcc/libprovcc-trace.so
if $parts; then
	[ -f "$trace_lib" ] || { echo "percompile: no trace library at $trace_lib" >&2; exit 1; }
	trace_file=$(mktemp /dev/shm/provcc-percompile-trace.XXXXXX 2>/dev/null ||
	    mktemp "$w/trace.XXXXXX")
	trap 'rm -rf "$w" "$trace_file"' EXIT
	variants+=("PROVCC_DISABLE=1 provcc (start-up only: execs ${cc#./})"
	    "${cc#./} -MD -MF x.d (the dependency file)"
	    "LD_PRELOAD=trace library ${cc#./} (the trace library)"
	    "${cc#./} again (control: the harness's own bias)")
	cmd+=(-- PROVCC_DISABLE=1 "$provcc" $cc -c $src -o x.o
	    -- $cc -c $src -o x.o -MD -MF x.d
	    -- "LD_PRELOAD=$(readlink -f "$trace_lib")" PROVCC_TRACE_FD=9
	    $cc -c $src -o x.o
	    -- $cc -c $src -o x.o)
fi
echo 'int x;' >a.c
if $full_cache; then
	mkdir -p cache
	head -c $((4 << 20)) /dev/urandom >cache/hashes-v2
	head -c $(((4 << 20) - 88 * 2048)) /dev/urandom >cache/hashes-v1
fi
for p in "$provcc" "${also[@]}"; do "$p" $cc -c $src -o x.o; done
echo "percompile: $n rounds, $(wc -l <deps.txt) headers, $($full_cache && echo full || echo new) cache, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| variant | wall min (ms) | CPU added, median of pairs (ms) | its 95% interval | quartiles | wall added, median of pairs (ms) |"
echo "|---|---:|---:|---:|---:|---:|"
{ if $parts; then exec 9>>"$trace_file"; fi; ./ab "$n" "${cmd[@]}"; } | while IFS=$'\t' read -r k wmin cmed clo chi cq1 cq3 wmed; do
	if [ "$k" = 0 ]; then
		echo "| ${variants[$k]} | $wmin | - | - | - | - |"
	else
		echo "| ${variants[$k]} | $wmin | $cmed | $clo .. $chi | $cq1 .. $cq3 | $wmed |"
	fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
