#!/bin/bash
# collect-scale.sh - how long does `provcc collect` take, and how much
# memory, on a large build?
#
# Generates a synthetic C project of N translation units (default
# 10000), builds it through provcc (make -j$(nproc) CC="provcc gcc"),
# then times `provcc collect` over its outputs (median of R runs, wall
# time) and measures its peak RSS; the same for N/10, to show that
# memory grows with the distinct files, not with files x units.
# Prints a Markdown report on stdout, progress on stderr.
#
#   bench/collect-scale.sh [-n N] [-r RUNS] [--no-small] [--keep]
#                          [--work DIR] [--provcc PATH]
#
# --keep keeps the work directory (a temporary one); --work DIR uses DIR
# (created if missing, always kept) and reuses a build of the same N
# found there, so that collect can be timed again, e.g. with another
# provcc, without building 10,000 units anew.
#
# The project (per N):
#   - 20 project headers (inc/hN.h); unit i includes 10 system headers
#     (stdio, stdlib, string, stdint, stddef, errno, limits, ctype,
#     math, time) and 3 project headers: h(i%20), h((i+7)%20) and the
#     common config.h;
#   - units compiled -O0 -fPIC (one small function each), grouped into
#     archives of 500 members (libpartK.a);
#   - 2 shared libraries, each the whole of half of the archives
#     (-Wl,--whole-archive), and 4 programs, each a main.c plus the
#     whole of a quarter of the archives, linked against both shared
#     libraries.  Every unit is thus linked into two artifacts (one
#     shared library and one program): 6 artifacts, 2 x N compile
#     records in their notes, ~2 x N + 20 distinct project files plus
#     the system headers and toolchain.
set -euo pipefail
export LC_ALL=C LANG=C
unset PROVCC_KEY PROVCC_ROOT SOURCE_DATE_EPOCH PROVCC_DISABLE LD_PRELOAD

top=$(cd "$(dirname "$0")/.." && pwd)
provcc=${PROVCC:-$top/build/bin/provcc}
N=10000 RUNS=3 SMALL=1 KEEP=0 WORK=
while [ $# -gt 0 ]; do
	case $1 in
	-n) N=$2; shift 2 ;;
	-r) RUNS=$2; shift 2 ;;
	--no-small) SMALL=0; shift ;;
	--keep) KEEP=1; shift ;;
	--work) WORK=$2; shift 2 ;;
	--provcc) provcc=$2; shift 2 ;;
	-h|--help) sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "collect-scale: unknown argument $1" >&2; exit 2 ;;
	esac
done
die() { echo "collect-scale: $*" >&2; exit 1; }
log() { echo "collect-scale: $*" >&2; }
[ -x "$provcc" ] || die "no provcc at $provcc (build it, or set PROVCC)"
provcc=$(cd "$(dirname "$provcc")" && pwd)/$(basename "$provcc")
[ "$N" -ge 1000 ] || die "N must be at least 1000 (2 archives of 500)"
# The N/10 comparison needs N/10 >= 1000 as well.
[ "$N" -ge 10000 ] || SMALL=0
JOBS=$(nproc)
if [ -n "$WORK" ]; then
	mkdir -p "$WORK" && W=$(cd "$WORK" && pwd) KEEP=1
else
	W=$(mktemp -d "${TMPDIR:-/tmp}/provcc-collect-scale.XXXXXX")
fi
if [ "$KEEP" = 1 ]; then log "work directory $W (kept)"
else trap 'rm -rf "$W"' EXIT; fi
export PROVCC_CACHE_DIR=$W/cache
[ -f "$W/key" ] || "$provcc" keygen "$W/key" >/dev/null

TIMEV=
[ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null && TIMEV=/usr/bin/time

# gen DIR N: the project and its Makefile.
gen() {
	local d=$1 n=$2 i k
	mkdir -p "$d/inc" "$d/src"
	printf '#ifndef CONFIG_H\n#define CONFIG_H\n#define SCALE_N %d\n#endif\n' \
	    "$n" >"$d/inc/config.h"
	for ((k = 0; k < 20; k++)); do
		printf '#ifndef H%d_H\n#define H%d_H\n#include <stddef.h>\nstruct s%d { int a; long b; char c[%d]; };\nstatic inline int h%d_inl(int x) { return x * %d + 1; }\n#endif\n' \
		    "$k" "$k" "$k" $((k + 4)) "$k" $((k + 3)) >"$d/inc/h$k.h"
	done
	for ((i = 0; i < n; i++)); do
		printf '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <stdint.h>\n#include <stddef.h>\n#include <errno.h>\n#include <limits.h>\n#include <ctype.h>\n#include <math.h>\n#include <time.h>\n#include "config.h"\n#include "h%d.h"\n#include "h%d.h"\nint u%d(int x) { struct s%d v; memset(&v, 0, sizeof v); v.a = x; return h%d_inl(v.a) + h%d_inl(x) + (int)strlen("u%d"); }\n' \
		    $((i % 20)) $(((i + 7) % 20)) "$i" $((i % 20)) $((i % 20)) \
		    $(((i + 7) % 20)) "$i" >"$d/src/u$i.c"
	done
	local na=$(((n + 499) / 500)) a first last objs half q
	{
		echo "CC ?= gcc"
		echo "CFLAGS = -O0 -fPIC -Iinc"
		echo "all: bin/prog0 bin/prog1 bin/prog2 bin/prog3"
		echo "obj/%.o: src/%.c"
		printf '\t@mkdir -p obj\n\t$(CC) $(CFLAGS) -c $< -o $@\n'
		for ((a = 0; a < na; a++)); do
			first=$((a * 500)) last=$(((a + 1) * 500 - 1))
			[ "$last" -lt "$n" ] || last=$((n - 1))
			objs=""
			for ((i = first; i <= last; i++)); do objs="$objs obj/u$i.o"; done
			printf 'lib/libpart%d.a:%s\n\t@mkdir -p lib\n\trm -f $@ && ar rcs $@ $^\n' \
			    "$a" "$objs"
		done
		half=$(((na + 1) / 2))
		arch() { local s="" x; for ((x = $1; x < $2; x++)); do s="$s lib/libpart$x.a"; done; echo "$s"; }
		printf 'lib/libscale_a.so:%s\n\t@mkdir -p lib\n\t$(CC) -shared -o $@ -Wl,--whole-archive $^ -Wl,--no-whole-archive\n' \
		    "$(arch 0 "$half")"
		printf 'lib/libscale_b.so:%s\n\t@mkdir -p lib\n\t$(CC) -shared -o $@ -Wl,--whole-archive $^ -Wl,--no-whole-archive\n' \
		    "$(arch "$half" "$na")"
		for ((q = 0; q < 4; q++)); do
			local lo=$((q * na / 4)) hi=$(((q + 1) * na / 4))
			[ "$hi" -gt "$lo" ] || hi=$((lo + 1))
			printf 'bin/prog%d: src/main%d.c%s lib/libscale_a.so lib/libscale_b.so\n\t@mkdir -p bin\n\t$(CC) $(CFLAGS) src/main%d.c -o $@ -Wl,--whole-archive%s -Wl,--no-whole-archive -Llib -lscale_a -lscale_b -Wl,-rpath,$(CURDIR)/lib\n' \
			    "$q" "$q" "$(arch "$lo" "$hi")" "$q" "$(arch "$lo" "$hi")"
			printf '#include <stdio.h>\nint u%d(int);\nint main(void) { printf("%%d\\n", u%d(1)); return 0; }\n' \
			    $((lo * 500)) $((lo * 500)) >"$d/src/main$q.c"
		done
	} >"$d/Makefile"
	(cd "$d" && git init -q . &&
	    git -c user.email=b@example.org -c user.name=b commit -q \
	        --allow-empty -m init)
}

# run_collect DIR OUT: one collect run in DIR; prints "WALL CPU RSS":
# wall seconds, user+sys CPU seconds and peak RSS in kB (CPU and RSS
# "-" without GNU time, RSS then polled from /proc).
run_collect() {
	local d=$1 out=$2 t0 t1 pid hwm=0 v
	t0=$(now)
	if [ -n "$TIMEV" ]; then
		(cd "$d" && "$TIMEV" -f '%U %S %M' -o "$W/timev" \
		    "$provcc" collect -o "$out" --key "$W/key" bin lib) ||
		    die "collect failed"
		t1=$(now)
		awk -v w="$(echo "$t1 - $t0" | bc)" \
		    'END { printf "%s %.2f %d\n", w, $1 + $2, $3 }' "$W/timev"
	else
		# Without GNU time: poll VmHWM of the process until it exits.
		(cd "$d" && exec "$provcc" collect -o "$out" --key "$W/key" \
		    bin lib) & pid=$!
		while kill -0 "$pid" 2>/dev/null; do
			v=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" \
			    2>/dev/null || true)
			[ -n "$v" ] && hwm=$v
			sleep 0.01
		done
		wait "$pid" || die "collect failed"
		t1=$(now)
		echo "$(echo "$t1 - $t0" | bc) - $hwm"
	fi
}

now() { date +%s.%N; }
load1() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
declare -A R_BUILD R_TIMES R_MED R_CPU R_RSS R_FILES R_NOTES R_OUT R_LOAD
measure() {
	local n=$1 d=$W/p$1 t0 t1 runs="" cpus="" rss=0 loads="" i r
	if [ -x "$d/bin/prog3" ] && [ -f "$W/build-$n.s" ]; then
		log "N=$n: reusing the build in $d"
	else
		rm -rf "$d"
		log "N=$n: generating"
		gen "$d" "$n"
		log "N=$n: make -j$JOBS CC=\"provcc gcc\" (this takes a while)"
		t0=$(now)
		(cd "$d" && PROVCC_KEY=$W/key make -s -j"$JOBS" \
		    CC="$provcc gcc" >"$W/make-$n.log" 2>&1) ||
		    { tail -20 "$W/make-$n.log" >&2; die "build failed"; }
		t1=$(now)
		echo "$t1 - $t0" | bc >"$W/build-$n.s"
	fi
	R_BUILD[$n]=$(cat "$W/build-$n.s")
	[ "$("$d/bin/prog0")" -ge 0 ] 2>/dev/null || die "prog0 does not run"
	# One untimed run first (page cache).
	run_collect "$d" "$W/out-$n" >/dev/null
	for ((i = 0; i < RUNS; i++)); do
		loads="$loads $(load1)"
		r=($(run_collect "$d" "$W/out-$n"))
		runs="$runs ${r[0]}" cpus="$cpus ${r[1]}"
		[ "${r[2]}" -gt "$rss" ] && rss=${r[2]}
		log "N=$n: collect run $((i + 1)): ${r[0]} s wall, ${r[1]} s CPU, ${r[2]} kB, load $(load1)"
	done
	loads="$loads $(load1)"
	R_TIMES[$n]=$runs
	R_MED[$n]=$(printf '%s\n' $runs | median)
	R_CPU[$n]=$([ -n "$TIMEV" ] && printf '%s\n' $cpus | median || echo -)
	R_RSS[$n]=$rss
	R_LOAD[$n]=$(printf '%s\n' $loads | median)
	R_FILES[$n]=$(python3 -c 'import json,sys
c = json.load(open(sys.argv[1]))
n = 0
def walk(l):
    global n
    for x in l:
        if x.get("type") == "file": n += 1
        walk(x.get("components", []))
walk(c.get("components", []))
print(n)' "$W/out-$n/sbom.cdx.json")
	R_NOTES[$n]=$(cat "$d"/bin/* "$d"/lib/*.so | wc -c)
	R_OUT[$n]=$(du -cb "$W/out-$n"/* | tail -1 | cut -f1)
}

sizes=$N
[ "$SMALL" = 1 ] && sizes="$((N / 10)) $N"
for n in $sizes; do measure "$n"; done

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
echo "### provcc collect at scale"
echo
echo '```'
echo "bench/collect-scale.sh -n $N -r $RUNS"
echo '```'
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); provcc ($provcc) at $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "- machine: $JOBS CPUs ($cpu), $(awk '/MemTotal/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- build: make -j$JOBS CC=\"provcc gcc\", -O0 -fPIC, each unit includes 10 system and 3 project headers (20 shared project headers); archives of 500 members; 2 shared libraries (half the archives each, whole-archive) and 4 programs (a quarter each, whole-archive, linked to both libraries): 6 artifacts, every unit in 2 of them"
echo "- collect: \`provcc collect -o OUT --key KEY bin lib\` (Ed25519), after one untimed run; $RUNS timed runs: wall time (median), CPU time user+sys (median) and peak RSS (the largest) from $([ -n "$TIMEV" ] && echo "/usr/bin/time" || echo "VmHWM polling"); load: the 1-minute load average before each run and after the last (median)"
echo
echo "| TUs | build (s) | file components in the CycloneDX SBOM | collect runs (s) | **collect median (s)** | CPU median (s) | **peak RSS (MB)** | outputs (MB) | load |"
echo "|---:|---:|---:|---|---:|---:|---:|---:|---:|"
for n in $sizes; do
	printf '| %d | %.0f | %d | %s | **%.3f** | %s | **%.1f** | %.1f | %s |\n' "$n" \
	    "${R_BUILD[$n]}" "${R_FILES[$n]}" "$(printf '%.3f ' ${R_TIMES[$n]})" \
	    "${R_MED[$n]}" "${R_CPU[$n]}" "$(echo "${R_RSS[$n]} / 1024" | bc -l)" \
	    "$(echo "${R_OUT[$n]} / 1048576" | bc -l)" "${R_LOAD[$n]}"
done
echo
if [ "$SMALL" = 1 ]; then
	s=$((N / 10))
	printf -- '- %dx the units: collect time x%.2f, peak RSS x%.2f, file components x%.2f\n' \
	    10 "$(echo "${R_MED[$N]} / ${R_MED[$s]}" | bc -l)" \
	    "$(echo "${R_RSS[$N]} / ${R_RSS[$s]}" | bc -l)" \
	    "$(echo "${R_FILES[$N]} / ${R_FILES[$s]}" | bc -l)"
fi
ok=$(echo "${R_MED[$N]} < 2" | bc)
printf -- '- target: %d TUs collected in under 2 s: %s\n' "$N" \
    "$([ "$ok" = 1 ] && echo met || echo 'NOT met')"
