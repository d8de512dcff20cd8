#!/usr/bin/env bash
# bench.sh - how much does provcc add to a real build?
#
#   bench/bench.sh [options] [zlib|sqlite3]
#
# Builds a Debian source package with its own configure && make, plainly
# (CC=gcc) and through provcc (CC="provcc gcc"), alternately, and prints
# a Markdown report: every run's wall and CPU time, the medians, the
# ratio and the time added per compile.  See bench/README.md for what is
# measured and the targets.
#
# Options:
#   -n N          timed builds per variant and job count (default 5)
#   -j N          parallel jobs of the main measurement (default 2)
#   --j1 / --no-j1  also time whole builds at -j1 (default: on for zlib,
#                 off for sqlite3, whose build is one big compile)
#   --replay K    also run each compile command of the project K times
#                 plainly and through provcc back to back, for the
#                 paired per-compile figure (default: 3 for zlib, 0 for
#                 sqlite3; 0 turns it off; needs jq)
#   --replay-fresh  in the replay, give each source file a new inode
#                 (cp -p, mv; untimed) before every pair, so that provcc
#                 hashes it as in a build, where sources are new to the
#                 hash cache; default: sources cached after their first run
#   --cache MODE  provcc hash cache: warm (default), cold, off
#   --provcc PATH provcc binary (default: $PROVCC, else build/bin/provcc)
#   --keep        keep the work directory
#   --doc FILE    also write the report into FILE, between the lines
#                 "<!-- begin bench/bench.sh -->" and "<!-- end bench/bench.sh -->"
#                 (docs/performance.md)
#   -h, --help    this text
set -euo pipefail

BENCH_NAME=bench
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
top=$bench_top

runs=5 jobs=2 j1=auto replay=auto fresh=0 cache=warm keep=0 project=zlib doc=
provcc=${PROVCC:-$top/build/bin/provcc}
argv_text="bench/bench.sh${*:+ $*}"
while [ $# -gt 0 ]; do
	case $1 in
	-n) runs=$2; shift 2 ;;
	-n*) runs=${1#-n}; shift ;;
	-j) jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	--j1) j1=1; shift ;;
	--no-j1) j1=0; shift ;;
	--replay) replay=$2; shift 2 ;;
	--replay=*) replay=${1#--replay=}; shift ;;
	--replay-fresh) fresh=1; shift ;;
	--cache) cache=$2; shift 2 ;;
	--cache=*) cache=${1#--cache=}; shift ;;
	--provcc) provcc=$2; shift 2 ;;
	--provcc=*) provcc=${1#--provcc=}; shift ;;
	--keep) keep=1; shift ;;
	--doc) doc=$2; shift 2 ;;
	--doc=*) doc=${1#--doc=}; shift ;;
	-h | --help) bench_usage; exit 0 ;;
	-*) bench_usage >&2; exit 2 ;;
	*) project=$1; shift ;;
	esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive number"
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "-j wants a positive number"
[[ $replay =~ ^(auto|[0-9]+)$ ]] || die "--replay wants a number"
case $cache in warm | cold | off) ;; *) die "--cache: warm, cold or off" ;; esac
[ -x "$provcc" ] || die "no provcc at $provcc (build it, or set PROVCC)"
bench_check_doc "$doc" bench/bench.sh
provcc=$(cd "$(dirname "$provcc")" && pwd)/$(basename "$provcc")

# What is built, per project.  configure and the PREP targets run once
# per variant, untimed; TARGETS is what each timed build makes.
case $project in
zlib)
	CONFIGURE=(./configure)
	PREP=()
	TARGETS=()		# make's default: libz.a, libz.so, 4 programs
	[ "$j1" = auto ] && j1=1
	[ "$replay" = auto ] && replay=3
	;;
sqlite3)
	command -v tclsh >/dev/null || die "sqlite3 needs tclsh (apt-get install tcl)"
	# The amalgamation build that sqlite's configure selects by
	# default: sqlite3.c (generated, untimed) compiled as one unit.
	# --disable-static makes libtool compile it once rather than twice,
	# so that one build takes well under a minute here.
	CONFIGURE=(./configure --disable-static --disable-tcl)
	PREP=(sqlite3.c shell.c sqlite3.h)
	TARGETS=(libsqlite3.la)
	[ "$j1" = auto ] && j1=0
	[ "$replay" = auto ] && replay=0
	;;
*) die "unknown project '$project' (zlib or sqlite3)" ;;
esac
for t in gcc make cp od; do command -v $t >/dev/null || die "$t not found"; done
if [ "$replay" -gt 0 ] && ! command -v jq >/dev/null; then
	note "jq not found: no replay measurement"
	replay=0
fi
[ "$jobs" = 1 ] && j1=0		# the main measurement is -j1 already

work=$(mktemp -d "${TMPDIR:-/tmp}/provcc-bench.XXXXXX")
cleanup() {
	if [ "$keep" = 1 ]; then note "work directory kept: $work"
	else rm -rf "$work"; fi
}
trap cleanup EXIT

# A snapshot of the provcc under test with all of its ../lib/provcc (the
# trace library, the linker plugin and the linker links), immune to
# rebuilds of the build tree meanwhile.
provcc_tested=$provcc
provcc=$(bench_snapshot "$provcc" "$work/provcc")

src=$(bench_fetch "$project" "$work/src")
srcver=$(bench_srcver "$src")

# Every configure and build runs in the same directory, $work/run, so
# that absolute paths a configure writes into Makefiles stay valid; the
# configured trees are kept aside and copied back for each build.
run=$work/run
export PROVCC_CACHE_DIR=$work/provcc-cache
[ "$cache" = off ] && export PROVCC_CACHE_DIR=off
unset PROVCC_DISABLE PROVCC_ON_ERROR || true
export PROVCC_ROOT=$run		# the replay reads paths relative to it

cc_of() { if [ "$1" = provcc ]; then echo "$provcc gcc"; else echo gcc; fi; }

configure_variant() {	# VARIANT
	rm -rf "$run"
	cp -a "$src" "$run"
	note "configuring ($1): CC='$(cc_of "$1")' ${CONFIGURE[*]}${PREP:+ && make ${PREP[*]}}"
	(cd "$run" && CC="$(cc_of "$1")" "${CONFIGURE[@]}" &&
	    { [ ${#PREP[@]} -eq 0 ] || make "${PREP[@]}"; }) \
	    >"$work/configure-$1.log" 2>&1 ||
		{ tail -n 30 "$work/configure-$1.log" >&2; die "configure ($1) failed"; }
	mv "$run" "$work/configured-$1"
}

# One build from a fresh copy of the configured tree; prints
# "wall user+sys" in seconds.  The copy, a sync and a pause (so that the
# copied files are older than the hash cache's 2-second racy window, as
# files in a developer's tree are) come before the clock starts.
make_in_run() { cd "$run" && make -j"$1" ${TARGETS[@]+"${TARGETS[@]}"}; }
timed_build() {	# VARIANT JOBS
	local v=$1 j=$2
	rm -rf "$run"
	cp -a "$work/configured-$v" "$run"
	[ "$cache" = cold ] && rm -rf "$PROVCC_CACHE_DIR"
	sync
	sleep 2
	bench_time "$work/build-$v.log" make_in_run "$j" ||
		{ tail -n 30 "$work/build-$v.log" >&2; die "build ($v, -j$j) failed"; }
}

# The objects of the last build in $run: ELF files named *.o or *.lo.
objects() {
	local f
	while IFS= read -r -d '' f; do
		[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] &&
			echo "$f"
	done < <(find "$run" -type f \( -name '*.o' -o -name '*.lo' \) -print0) |
	    sort
}

configure_variant plain
configure_variant provcc

# Warm-up, untimed: one build per variant fills the page cache and, with
# --cache warm, provcc's hash cache with what a developer's machine has
# in it from earlier builds: the system headers and the toolchain's
# programs (gcc, cc1, as).  The tree's own files are new copies in each
# build (new inode and ctime), so they are hashed afresh every build,
# like sources that were just edited or checked out.
note "warm-up builds (untimed)"
timed_build plain "$jobs" >/dev/null
timed_build provcc "$jobs" >/dev/null
objects >"$work/objects"
ncomp=$(wc -l <"$work/objects")
[ "$ncomp" -gt 0 ] || die "the build made no objects"
nrec=0
while read -r f; do
	"$provcc" show "$f" >/dev/null 2>&1 && nrec=$((nrec + 1))
done <"$work/objects"
[ "$nrec" = "$ncomp" ] ||
	die "only $nrec of $ncomp objects of the provcc build carry a record"
load_before=$(bench_loadavg)

# --- whole builds ----------------------------------------------------------

declare -A wall cpu
measure() {	# JOBS
	local j=$1 i v order res
	for ((i = 1; i <= runs; i++)); do
		# ABBA order, so that a drift in the machine's speed
		# falls on both variants alike.
		if ((i % 2)); then order="plain provcc"; else order="provcc plain"; fi
		for v in $order; do
			res=$(timed_build "$v" "$j")
			wall[$v,$j,$i]=${res% *} cpu[$v,$j,$i]=${res#* }
			note "-j$j build $i $v: ${wall[$v,$j,$i]} s"
		done
	done
}
measure "$jobs"
[ "$j1" = 1 ] && measure 1

# --- paired replay of single compiles ---------------------------------------
#
# Whole builds on a shared machine vary by more than provcc adds.  Here
# each compile command of the project (as provcc recorded it) runs
# plainly and through provcc back to back, K times, in alternating
# order; the median of the paired differences is robust to the drift
# that blurs whole builds.  The tree is a fresh provcc build, so the
# objects exist and are rewritten in place, and the hash cache is as in
# the builds above (the sources are cached after their first replay).
if [ "$replay" -gt 0 ]; then
	note "replay: each of the $ncomp compiles $replay times per variant, paired"
	timed_build provcc "$jobs" >/dev/null
	: >"$work/commands"
	while read -r f; do
		"$provcc" show --json "$f" | jq -r --arg root "$run" '
		    .[0].objects[0].compile[0]
		    | [.cwd, .output, .source.path] + .argv[1:]
		    | map(gsub("\\$\\{PROVCC_ROOT\\}"; $root)) | @sh' \
		    >>"$work/commands"
	done <"$work/objects"
	# Runs one command the given way; prints its wall time in seconds.
	once() {	# VARIANT DIR ARG...
		local v=$1 d=$2 t0 t1
		shift 2
		t0=$EPOCHREALTIME
		if [ "$v" = provcc ]; then
			(cd "$d" && exec "$provcc" gcc "$@") >/dev/null 2>&1
		else
			(cd "$d" && exec gcc "$@") >/dev/null 2>&1
		fi || die "replay ($v) failed in $d: gcc $*"
		t1=$EPOCHREALTIME
		awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.6f\n", b - a }'
	}
	: >"$work/replay"
	for ((k = 1; k <= replay; k++)); do
		n=0
		while IFS= read -r line; do
			eval "set -- $line"	# cwd output source argv[1:], quoted by jq
			case $1 in /*) d=$1 ;; *) d=$run/$1 ;; esac
			case $2 in /*) o=$2 ;; *) o=$run/$2 ;; esac
			case $3 in /*) s=$3 ;; *) s=$d/$3 ;; esac
			shift 3
			n=$((n + 1))
			mkdir -p "$(dirname "$o")"
			if [ "$fresh" = 1 ]; then
				# A new inode: not in provcc's hash cache.
				{ cp -p "$s" "$s.bench-tmp" && mv -f "$s.bench-tmp" "$s"; } ||
					die "replay: cannot renew $s"
			fi
			if (((k + n) % 2)); then
				tp=$(once plain "$d" "$@"); tq=$(once provcc "$d" "$@")
			else
				tq=$(once provcc "$d" "$@"); tp=$(once plain "$d" "$@")
			fi
			echo "$tp $tq" >>"$work/replay"
		done <"$work/commands"
	done
	nreplay=$(wc -l <"$work/replay")
	rp_plain=$(awk '{ print $1 * 1000 }' "$work/replay" | median)
	rp_provcc=$(awk '{ print $2 * 1000 }' "$work/replay" | median)
	awk '{ print ($2 - $1) * 1000 }' "$work/replay" >"$work/replay.diff"
	rp_diff=$(median <"$work/replay.diff")
	read -r rp_lo rp_hi < <(median_interval <"$work/replay.diff")
	rp_q=$(sort -g "$work/replay.diff" |
	    awk '{ v[NR] = $1 } END { printf "%.2f %.2f", v[int((NR + 3) / 4)], v[int((3 * NR + 3) / 4)] }')
fi
load_after=$(bench_loadavg)

# --- the report -------------------------------------------------------------

bench_report_begin "$work/report.md"

col() {	# VARIANT JOBS KIND(wall|cpu)
	local i
	for ((i = 1; i <= runs; i++)); do
		if [ "$3" = wall ]; then echo "${wall[$1,$2,$i]}"; else echo "${cpu[$1,$2,$i]}"; fi
	done
}

echo "### provcc build overhead: $srcver"
echo
echo '```'
echo "$argv_text"
echo '```'
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(bench_provcc_line "$provcc" "$provcc_tested")"
echo "- machine: $(bench_machine); load average before/after the timed part: $load_before / $load_after"
echo "- compiler: $(gcc --version | head -n 1); $(make --version | head -n 1)"
echo "- build: \`${CONFIGURE[*]}\`${PREP:+ and \`make ${PREP[*]}\`} once per variant; timed: \`make -jN${TARGETS:+ ${TARGETS[*]}}\` from a fresh copy of the configured tree; $ncomp compile$([ "$ncomp" = 1 ] || echo s) per build"
echo "- variants: plain \`CC=gcc\`, provcc \`CC=\"provcc gcc\"\`; $runs builds each per job count, alternating (ABBA), after one untimed warm-up build each"
case $cache in
warm) echo "- hash cache: warm (private PROVCC_CACHE_DIR filled by the warm-up build: system headers and toolchain programs cached; the tree's files are fresh copies, hashed in every build)" ;;
cold) echo "- hash cache: cold (emptied before every build)" ;;
off) echo "- hash cache: off (PROVCC_CACHE_DIR=off)" ;;
esac
echo

declare -A med_plain med_provcc cpu_plain cpu_provcc pair_ratio spread
report() {	# JOBS
	local j=$1 i
	echo "| -j$j build | plain wall (s) | provcc wall (s) | provcc/plain | plain CPU (s) | provcc CPU (s) |"
	echo "|---:|---:|---:|---:|---:|---:|"
	for ((i = 1; i <= runs; i++)); do
		awk -v i="$i" -v a="${wall[plain,$j,$i]}" -v b="${wall[provcc,$j,$i]}" \
		    -v c="${cpu[plain,$j,$i]}" -v d="${cpu[provcc,$j,$i]}" \
		    'BEGIN { printf "| %d | %.3f | %.3f | %.3f | %.3f | %.3f |\n", i, a, b, b / a, c, d }'
	done
	med_plain[$j]=$(col plain "$j" wall | median)
	med_provcc[$j]=$(col provcc "$j" wall | median)
	cpu_plain[$j]=$(col plain "$j" cpu | median)
	cpu_provcc[$j]=$(col provcc "$j" cpu | median)
	pair_ratio[$j]=$(for ((i = 1; i <= runs; i++)); do
		calc "%.4f\n" "${wall[provcc,$j,$i]} / ${wall[plain,$j,$i]}"; done | median)
	# Run-to-run spread of the plain builds: (max - min) / median.
	spread[$j]=$(col plain "$j" wall | sort -g | awk -v m="${med_plain[$j]}" \
	    'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f", (hi - lo) * 100 / m }')
	calc "| **median** | **%.3f** | **%.3f** | **%.3f** | **%.3f** | **%.3f** |\n" \
	    "${med_plain[$j]}, ${med_provcc[$j]}, ${med_provcc[$j]} / ${med_plain[$j]}, ${cpu_plain[$j]}, ${cpu_provcc[$j]}"
	echo
}
report "$jobs"
[ "$j1" = 1 ] && report 1

ms_per() { calc "%.2f" "($1) * 1000 / $ncomp"; }	# EXPR-in-seconds
ratio=$(calc "%.3f" "${med_provcc[$jobs]} / ${med_plain[$jobs]}")
# At most $ncomp jobs can run at once.
par=$((jobs < ncomp ? jobs : ncomp))
est=$(ms_per "(${med_provcc[$jobs]} - ${med_plain[$jobs]}) * $par")
floor=$(ms_per "${spread[$jobs]} / 100 * ${med_plain[$jobs]} * $par")

echo "Summary ($ncomp compile$([ "$ncomp" = 1 ] || echo s) per build):"
echo
echo "- median wall time at -j$jobs: plain ${med_plain[$jobs]} s, provcc ${med_provcc[$jobs]} s; ratio of medians provcc/plain **$ratio** (median of the per-pair ratios ${pair_ratio[$jobs]}); target <= 1.05: $(verdict "$ratio" 1.05)"
echo "- added wall time per compile, estimated from -j$jobs as (median_provcc - median_plain) x $par / $ncomp: $est ms; the plain builds' run-to-run spread (max - min) is ${spread[$jobs]}% of their median, $floor ms per compile on this scale"
if [ "$j1" = 1 ]; then
	r1=$(calc "%.3f" "${med_provcc[1]} / ${med_plain[1]}")
	m1=$(ms_per "${med_provcc[1]} - ${med_plain[1]}")
	echo "- added wall time per compile from whole builds at -j1, (median_provcc - median_plain) / $ncomp: $m1 ms (ratio $r1; spread of the plain builds ${spread[1]}%)"
fi
echo "- added CPU time (user+sys of the whole build) per compile at -j$jobs, from the medians: $(ms_per "${cpu_provcc[$jobs]} - ${cpu_plain[$jobs]}") ms"
if [ "$replay" -gt 0 ]; then
	echo "- **added wall time per compile, paired replay** ($nreplay pairs: each of the $ncomp compile commands run $replay times plainly and through provcc back to back; $([ "$fresh" = 1 ] && echo "the source file renewed (new inode) before every pair, so provcc hashes it as in a build" || echo "the source file in provcc's hash cache after its first run")): median difference **$rp_diff ms** (95% interval of the median $rp_lo .. $rp_hi ms; quartiles $rp_q ms; median compile plain $rp_plain ms, provcc $rp_provcc ms); target <= 1.5 ms: $(verdict_interval "$rp_lo" "$rp_hi" 1.5)"
fi
bench_report_end "$doc" bench/bench.sh
