#!/usr/bin/env bash
# compare.sh - provcc against a plain build, Bear and ccache, on the
# real-world projects.
#
#   bench/compare.sh [options] [PROJECT...]
#
# For each project (default: all four), configures each variant once,
# untimed, then times the build (`make -jN` or `cmake --build _build
# -jN`, from a fresh copy of the configured tree each time) N rounds,
# alternating the variants and rotating their order every round, and
# prints a Markdown report on stdout: the median wall time of each
# variant and its ratio to the plain build, the plain builds' spread,
# the load average, and what Bear and provcc recorded (counted from
# their outputs).  Progress goes to stderr.  See bench/README.md.
#
# Projects (tests/realworld/projects.sh, as the real-world tests build them):
#   zlib        zlib: ./configure && make (C)
#   zlib-cmake  zlib: CMake (C)
#   libpng      libpng1.6: ./configure (autotools, libtool) && make (C)
#   jsoncpp     libjsoncpp: CMake (C++)
#
# Variants:
#   plain   CC=gcc (CMake: the default compilers)
#   provcc  the project's normal route: CC="provcc gcc" for configure
#           scripts, provcc's CMake toolchain file for CMake; linked
#           outputs signed (PROVCC_KEY)
#   bear    the plain build run as `bear --output FILE -- BUILD` (Bear
#           3.x: LD_PRELOAD of its libexec.so, compile_commands.json)
#   ccache  CC="ccache gcc" (CMake: CMAKE_<LANG>_COMPILER_LAUNCHER=ccache)
#           with CCACHE_DIR emptied before each build: all misses
#
# Options:
#   -n N          timed rounds (default 3); each round builds every variant once
#   -j N          parallel jobs (default 2)
#   --variants "V..."  a subset of the variants, plain first (default: all four)
#   --cache MODE  provcc's hash cache: warm (default: filled by the warm-up
#                 build), cold (emptied before each build), off
#   --no-warmup   skip the untimed warm-up build of each variant
#   --provcc PATH provcc binary (default: $PROVCC, else build/bin/provcc)
#   --keep        keep the work directory
#   --doc FILE    also write the report into FILE, between the lines
#                 "<!-- begin bench/compare.sh -->" and "<!-- end bench/compare.sh -->"
#                 (docs/performance.md)
#   -h, --help    this text
#
# Needs gcc, make, jq, readelf, dpkg-dev (to unpack the sources), and per
# variant/project: bear, ccache, cmake, g++.  Install them with
# scripts/install-deps.sh --bench.
set -euo pipefail

BENCH_NAME=compare
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=../tests/realworld/projects.sh
. "$bench_top/tests/realworld/projects.sh"
# shellcheck source-path=SCRIPTDIR source=../tests/realworld/lib.sh
. "$bench_top/tests/realworld/lib.sh"		# rw_elf_files

rounds=3 jobs=2 cache=warm warmup=1 keep=0 doc=
variants="plain provcc bear ccache"
provcc=${PROVCC:-$bench_top/build/bin/provcc}
projects=()
argv_text="bench/compare.sh${*:+ $*}"
while [ $# -gt 0 ]; do
	case $1 in
	-n) rounds=$2; shift 2 ;;
	-n*) rounds=${1#-n}; shift ;;
	-j) jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	--variants) variants=$2; shift 2 ;;
	--variants=*) variants=${1#--variants=}; shift ;;
	--cache) cache=$2; shift 2 ;;
	--cache=*) cache=${1#--cache=}; shift ;;
	--no-warmup) warmup=0; shift ;;
	--provcc) provcc=$2; shift 2 ;;
	--provcc=*) provcc=${1#--provcc=}; shift ;;
	--keep) keep=1; shift ;;
	--doc) doc=$2; shift 2 ;;
	--doc=*) doc=${1#--doc=}; shift ;;
	-h | --help) bench_usage; exit 0 ;;
	-*) bench_usage >&2; exit 2 ;;
	*) projects+=("$1"); shift ;;
	esac
done
[ ${#projects[@]} -gt 0 ] || projects=(zlib zlib-cmake libpng jsoncpp)
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive number"
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "-j wants a positive number"
case $cache in warm | cold | off) ;; *) die "--cache: warm, cold or off" ;; esac
read -r -a vlist <<<"$variants"
[ "${vlist[0]:-}" = plain ] || die "--variants: the first must be plain (the reference)"
for v in "${vlist[@]}"; do
	case $v in plain | provcc | bear | ccache) ;; *) die "unknown variant '$v'" ;; esac
done

# --- tools: fail early and say which package ---------------------------------
need() {	# TOOL PACKAGE WHY
	command -v "$1" >/dev/null 2>&1 ||
		die "$1 not found ($3; Debian package $2; scripts/install-deps.sh --bench installs it)"
}
for t in gcc:gcc make:make jq:jq readelf:binutils dpkg-source:dpkg-dev cp:coreutils; do
	need "${t%%:*}" "${t#*:}" "needed by every run"
done
for p in "${projects[@]}"; do
	rw_project "$p" || die "unknown project '$p' (zlib, zlib-cmake, libpng, jsoncpp)"
	for t in $RW_TOOLS; do
		case $t in
		ctest) ;;			# the tests are not run here
		g++) need g++ g++ "$p is C++" ;;
		python3) ;;			# only jsoncpp's tests
		*) need "$t" "$t" "$p builds with it" ;;
		esac
	done
done
for v in "${vlist[@]}"; do
	case $v in
	bear) need bear bear "the bear variant" ;;
	ccache) need ccache ccache "the ccache variant" ;;
	esac
done
[ -x "$provcc" ] || die "no provcc at $provcc (build it, or set PROVCC)"
bench_check_doc "$doc" bench/compare.sh
provcc=$(cd "$(dirname "$provcc")" && pwd)/$(basename "$provcc")

work=$(mktemp -d "${TMPDIR:-/tmp}/provcc-compare.XXXXXX")
cleanup() {
	if [ "$keep" = 1 ]; then note "work directory kept: $work"
	else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

provcc_tested=$provcc
provcc=$(bench_snapshot "$provcc" "$work/provcc")
"$provcc" keygen "$work/key.pem" >/dev/null

# Every configure and build of a project runs in the same directory,
# $work/run, so that the absolute paths configure and CMake write into
# their files stay valid; configured trees are set aside and copied
# back for each build.
run=$work/run
export PROVCC_CACHE_DIR=$work/provcc-cache
[ "$cache" = off ] && export PROVCC_CACHE_DIR=off
export PROVCC_ROOT=$run
export PROVCC_KEY=$work/key.pem	# only provcc reads it: linked outputs signed
export CCACHE_DIR=$work/ccache	# never the user's cache
unset PROVCC_DISABLE PROVCC_ON_ERROR CCACHE_DISABLE CCACHE_PREFIX || true
export RW_NO_OWN_CCACHE=1	# jsoncpp: no ccache unless the ccache variant
RW_JOBS=$jobs

route_of() { case $1 in bear) echo plain ;; *) echo "$1" ;; esac; }

configure_variant() {	# PROJECT VARIANT
	local p=$1 v=$2
	rm -rf "$run"
	cp -a "$src" "$run"
	rw_route "$(route_of "$v")" "$provcc"
	note "$p: configuring ($v)"
	(cd "$run" && rw_configure "$p") >"$work/configure-$p-$v.log" 2>&1 ||
		{ tail -n 30 "$work/configure-$p-$v.log" >&2; die "$p: configure ($v) failed"; }
	mv "$run" "$work/configured-$p-$v"
}

build_in_run() {	# PROJECT
	cd "$run" && rw_build "$1"
}

# One build from a fresh copy of the configured tree; prints "wall
# user+sys".  The copy, emptying ccache's cache, a sync and a pause (so
# that the copied files are older than provcc's hash-cache racy window,
# as files in a developer's tree are) come before the clock starts.  The
# tree is then kept as last-VARIANT, for counting what was recorded.
timed_build() {	# PROJECT VARIANT
	local p=$1 v=$2 res
	rm -rf "$run"
	cp -a "$work/configured-$p-$v" "$run"
	rw_route "$(route_of "$v")" "$provcc"
	RW_RUN=()
	case $v in
	bear) RW_RUN=(bear --output "$run/compile_commands.json" --) ;;
	ccache) rm -rf "$CCACHE_DIR" ;;
	provcc) [ "$cache" = cold ] && rm -rf "$PROVCC_CACHE_DIR" ;;
	esac
	sync
	sleep 2
	res=$(bench_time "$work/build-$p-$v.log" build_in_run "$p") ||
		{ tail -n 30 "$work/build-$p-$v.log" >&2; die "$p: build ($v) failed"; }
	rm -rf "$work/last-$v"
	mv "$run" "$work/last-$v"
	echo "$res"
}

# --- what was recorded -------------------------------------------------------

# Sum of the sizes of section NAME in FILE...
section_bytes() {	# NAME FILE...
	local name=$1 f sum=0 n
	shift
	for f in "$@"; do
		n=$(readelf -S -W "$f" 2>/dev/null | awk -v s="$name" '
		    { for (i = 1; i < NF; i++) if ($i == s) { print $(i + 4); exit } }')
		sum=$((sum + 16#${n:-0}))
	done
	echo "$sum"
}

declare -A rec
# count_records PROJECT: fills rec[PROJECT,*] from the last bear and
# provcc builds.
count_records() {
	local p=$1 d f objs=() linked=() signed=0 j
	if [ -d "$work/last-bear" ]; then
		j=$work/last-bear/compile_commands.json
		[ -s "$j" ] || die "$p: bear wrote no $j"
		rec[$p,bear_entries]=$(jq length "$j")
		rec[$p,bear_files]=$(jq '[.[].file] | unique | length' "$j")
		rec[$p,bear_fields]=$(jq -r '[.[] | keys[]] | unique | join(", ")' "$j")
		rec[$p,bear_bytes]=$(stat -c %s "$j")
		rec[$p,bear_none]=none
	fi
	if [ -d "$work/last-provcc" ]; then
		d=$work/last-provcc
		rw_elf_files "$d" >"$work/elf-$p"
		while read -r t f; do
			case $t in
			REL) objs+=("$d/$f") ;;
			EXEC | DYN) linked+=("$d/$f") ;;
			esac
		done <"$work/elf-$p"
		: >"$work/records-$p"
		for f in ${objs[@]+"${objs[@]}"}; do
			"$provcc" show --json "$f" 2>/dev/null |
			    jq -c '.[0].objects[].compile[]' >>"$work/records-$p" ||
				die "$p: provcc show failed on $f"
		done
		for f in ${linked[@]+"${linked[@]}"}; do
			"$provcc" verify --key "$work/key.pem.pub" "$f" >/dev/null 2>&1 &&
				signed=$((signed + 1))
		done
		rec[$p,objects]=${#objs[@]}
		rec[$p,linked]=${#linked[@]}
		rec[$p,signed]=$signed
		rec[$p,records]=$(grep -c . "$work/records-$p" || true)
		read -r "rec[$p,sources]" "rec[$p,headers]" "rec[$p,header_refs]" \
		    "rec[$p,programs]" < <(jq -rs '
			[([.[].source | select(.sha256) | .path] | unique | length),
			 ([.[].inputs[] | select(.sha256) | .path] | unique | length),
			 ([.[].inputs[] | select(.sha256)] | length),
			 ([.[].toolchain | .driver, .programs[] | select(.sha256) | .path]
			    | unique | length)] | @tsv' "$work/records-$p")
		rec[$p,fields]=$(jq -rs '[.[] | keys[]] | unique | join(", ")' "$work/records-$p")
		rec[$p,compile_bytes]=$(section_bytes .note.provcc.compile ${objs[@]+"${objs[@]}"})
		rec[$p,link_bytes]=$(section_bytes .note.provcc.link ${linked[@]+"${linked[@]}"})
	fi
	if [ -d "$work/last-ccache" ]; then
		rec[$p,ccache_misses]=$(CCACHE_DIR=$work/ccache ccache --print-stats 2>/dev/null |
		    awk '$1 == "cache_miss" { print $2 }')
		rec[$p,ccache_hits]=$(CCACHE_DIR=$work/ccache ccache --print-stats 2>/dev/null |
		    awk '$1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { s += $2 } END { print s + 0 }')
	fi
	rm -rf "$work"/last-*
}

# --- the runs -----------------------------------------------------------------

declare -A wall cpu srcvers loadb loada orders
for p in "${projects[@]}"; do
	rw_project "$p"
	src=$(bench_fetch "$RW_PKG" "$work/src-$RW_PKG")
	srcvers[$p]=$(bench_srcver "$src")
	for v in "${vlist[@]}"; do configure_variant "$p" "$v"; done
	if [ "$warmup" = 1 ]; then
		note "$p: warm-up builds (untimed)"
		for v in "${vlist[@]}"; do timed_build "$p" "$v" >/dev/null; done
	fi
	loadb[$p]=$(bench_loadavg)
	nv=${#vlist[@]}
	for ((r = 1; r <= rounds; r++)); do
		# Rotate the order every round, so that a drift in the
		# machine's speed falls on every variant.
		order=()
		for ((k = 0; k < nv; k++)); do order+=("${vlist[(k + r - 1) % nv]}"); done
		orders[$p,$r]=${order[*]}
		for v in "${order[@]}"; do
			res=$(timed_build "$p" "$v")
			wall[$p,$v,$r]=${res% *} cpu[$p,$v,$r]=${res#* }
			note "$p: round $r $v: ${wall[$p,$v,$r]} s"
		done
	done
	loada[$p]=$(bench_loadavg)
	count_records "$p"
	rm -rf "$work"/configured-"$p"-*
done

# --- the report -----------------------------------------------------------------

bench_report_begin "$work/report.md"

col() {	# PROJECT VARIANT wall|cpu
	local r
	for ((r = 1; r <= rounds; r++)); do
		if [ "$3" = wall ]; then echo "${wall[$1,$2,$r]}"; else echo "${cpu[$1,$2,$r]}"; fi
	done
}
declare -A med
for p in "${projects[@]}"; do
	for v in "${vlist[@]}"; do
		med[$p,$v]=$(col "$p" "$v" wall | median)
		med[$p,$v,cpu]=$(col "$p" "$v" cpu | median)
	done
	# The same round's builds ran back to back: their ratio is less
	# exposed to the machine's drifts than a ratio of medians.
	med[$p,pairs]=$(for ((r = 1; r <= rounds; r++)); do
		calc "%.4f\n" "${wall[$p,provcc,$r]:-0} / ${wall[$p,plain,$r]}"
	done | median)
	med[$p,spread]=$(col "$p" plain wall | sort -g | awk -v m="${med[$p,plain]}" \
	    'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f", (hi - lo) * 100 / m }')
done
vname() {
	case $1 in
	plain) echo plain ;; provcc) echo provcc ;; bear) echo Bear ;;
	ccache) echo "ccache (cold)" ;;
	esac
}
how() {	# PROJECT
	rw_project "$1"
	case $RW_SYSTEM in
	cmake) echo "CMake, \`cmake --build _build -j$jobs\`" ;;
	*) echo "$RW_SYSTEM, \`make -j$jobs\`" ;;
	esac
}

echo "### provcc against plain, Bear and ccache: whole builds at -j$jobs"
echo
echo '```'
echo "$argv_text"
echo '```'
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(bench_provcc_line "$provcc" "$provcc_tested")"
echo "- machine: $(bench_machine)"
echo "- tools: $(gcc --version | head -n 1); $(make --version | head -n 1); $(cmake --version 2>/dev/null | head -n 1)$(command -v bear >/dev/null && echo "; $(bear --version 2>&1 | head -n 1)")$(command -v ccache >/dev/null && echo "; $(ccache --version | head -n 1)")"
echo "- method: each variant configured once (untimed); $([ "$warmup" = 1 ] && echo "one untimed warm-up build per variant; ")$rounds timed round$([ "$rounds" = 1 ] || echo s), each building every variant once from a fresh copy of its configured tree, the order rotated every round; provcc's hash cache $cache$([ "$cache" = warm ] && echo " (system headers and toolchain programs cached by the warm-up build; the tree's files are fresh copies, hashed in every build)"); ccache's cache emptied before each ccache build; provcc signs every linked output"
echo
echo "Median wall time of $rounds build$([ "$rounds" = 1 ] || echo s) per variant, seconds, and the ratio to the plain build:"
echo
hdr="| project | build | plain (s) |"
sep="|---|---|---:|"
for v in "${vlist[@]:1}"; do hdr="$hdr $(vname "$v") (s) | ratio |"; sep="$sep---:|---:|"; done
echo "$hdr plain spread | load before / after |"
echo "$sep---:|---|"
for p in "${projects[@]}"; do
	line="| $p (${srcvers[$p]}) | $(how "$p") | ${med[$p,plain]} |"
	for v in "${vlist[@]:1}"; do
		line="$line ${med[$p,$v]} | $(calc "%.3f" "${med[$p,$v]} / ${med[$p,plain]}") |"
	done
	echo "$line ${med[$p,spread]}% | ${loadb[$p]} / ${loada[$p]} |"
done
echo
echo "(plain spread: (max - min) / median of the plain builds' wall times; a ratio closer to 1 than that is within noise.  load: /proc/loadavg, 1, 5 and 15 minutes, before the first and after the last timed build.)"
echo

if [[ " ${vlist[*]} " == *" provcc "* ]]; then
	echo "provcc against the target (median provcc / median plain <= 1.05 at -j$jobs):"
	echo
	for p in "${projects[@]}"; do
		r=$(calc "%.3f" "${med[$p,provcc]} / ${med[$p,plain]}")
		add=$(calc "%.2f" "(${med[$p,provcc]} - ${med[$p,plain]}) * 1000 / ${rec[$p,records]:-1}")
		echo "- $p: **$r** ($(verdict "$r" 1.05)); median of the rounds' own ratios $(calc "%.3f" "${med[$p,pairs]}"); $add ms of wall time per compile (${rec[$p,records]:-?} compiles); CPU (user+sys, medians) plain ${med[$p,plain,cpu]} s, provcc ${med[$p,provcc,cpu]} s, ratio $(calc "%.3f" "${med[$p,provcc,cpu]} / ${med[$p,plain,cpu]}")"
	done
	echo
fi

echo "What each records (counted from the last timed build's outputs):"
echo
line="| |"; sep2="|---|"
for p in "${projects[@]}"; do line="$line $p |"; sep2="$sep2---:|"; done
echo "$line"
echo "$sep2"
row() {	# LABEL KEY...
	local label=$1 p k out
	shift
	line="| $label |"
	for p in "${projects[@]}"; do
		out=
		for k in "$@"; do out="$out${out:+ / }${rec[$p,$k]:-–}"; done
		line="$line $out |"
	done
	echo "$line"
}
if [[ " ${vlist[*]} " == *" bear "* ]]; then
	row "Bear: compile_commands.json entries" bear_entries
	row "Bear: distinct source files" bear_files
	row "Bear: fields of an entry" bear_fields
	row "Bear: digests, headers, toolchain, linked outputs" bear_none
	row "Bear: bytes written" bear_bytes
fi
if [[ " ${vlist[*]} " == *" provcc "* ]]; then
	row "provcc: compile records (objects)" records objects
	row "provcc: fields of a record" fields
	row "provcc: distinct sources with SHA-256" sources
	row "provcc: distinct headers with SHA-256" headers
	row "provcc: header digests over all records" header_refs
	row "provcc: toolchain programs with SHA-256 (driver, cc1/cc1plus, as, ...)" programs
	row "provcc: linked ELF outputs, signed and verified / all" signed linked
	row "provcc: bytes of compile notes / link notes" compile_bytes link_bytes
fi
if [[ " ${vlist[*]} " == *" ccache "* ]]; then
	row "ccache (cold): misses / hits" ccache_misses ccache_hits
fi
echo
echo "Every timed build (seconds; rounds in the order run):"
echo
for p in "${projects[@]}"; do
	hdr="| $p round | order |"; sep="|---:|---|"
	for v in "${vlist[@]}"; do hdr="$hdr $(vname "$v") |"; sep="$sep---:|"; done
	echo "$hdr"
	echo "$sep"
	for ((r = 1; r <= rounds; r++)); do
		line="| $r | ${orders[$p,$r]} |"
		for v in "${vlist[@]}"; do line="$line ${wall[$p,$v,$r]} |"; done
		echo "$line"
	done
	echo
done
bench_report_end "$doc" bench/compare.sh
