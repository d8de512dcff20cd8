# shellcheck shell=bash
# lib.sh - helpers shared by the benchmark scripts (bench.sh, compare.sh).
# Bash; set BENCH_NAME (the prefix of messages) and source it.

bench_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_top=$(cd "$bench_here/.." && pwd)

# The comment block at the top of the script, up to "set -euo".
bench_usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
note() { echo "$BENCH_NAME: $*" >&2; }

# median: of the numbers on stdin, one a line, with 3 decimals.
median() { sort -g | awk '{ v[NR] = $1 } END {
	if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2];
	else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# calc FORMAT EXPR: awk arithmetic, printed with FORMAT.
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# verdict VALUE TARGET: met when VALUE <= TARGET.
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "NOT met" }'; }
# median_interval: the 95% confidence interval of the median of the
# numbers on stdin, "LO HI", without assuming a distribution: the
# order statistics n/2 -+ 0.98 sqrt(n) (how many values fall below the
# true median is binomial(n, 1/2)).
median_interval() { sort -g | awk '{ v[NR] = $1 } END {
	h = 0.98 * sqrt(NR); lo = int(NR / 2 - h); hi = int(NR / 2 + h) + 1;
	if (lo < 1) lo = 1; if (hi > NR) hi = NR;
	printf "%.2f %.2f\n", v[lo], v[hi] }'; }
# verdict_interval LO HI TARGET: met when the median's whole interval is
# at or below TARGET, NOT met when it is above; otherwise this noise
# cannot tell, and saying either would be a guess.
verdict_interval() { awk -v lo="$1" -v hi="$2" -v t="$3" 'BEGIN {
	print (hi <= t) ? "met" : (lo > t) ? "NOT met" : "cannot tell at this noise" }'; }

# bench_snapshot PROVCC DIR: copy the provcc under test, with what it
# finds next to itself (lib/provcc/: trace library, linker plugin, ld/
# and masq/ links; share/provcc/cmake/: the toolchain file), into DIR in
# the same layout, so that rebuilding the build tree meanwhile does no
# harm; prints the copy's path.
bench_snapshot() {	# PROVCC DIR
	local bin=$1 dir=$2 root
	root=$(cd "$(dirname "$bin")/.." && pwd)
	[ -f "$root/lib/provcc/libprovcc-trace.so" ] ||
		die "no trace library at $root/lib/provcc/libprovcc-trace.so"
	mkdir -p "$dir/bin" "$dir/lib" "$dir/share/provcc"
	cp "$bin" "$dir/bin/provcc"
	cp -a "$root/lib/provcc" "$dir/lib/"
	[ ! -d "$root/share/provcc/cmake" ] ||
		cp -a "$root/share/provcc/cmake" "$dir/share/provcc/"
	echo "$dir/bin/provcc"
}

# bench_fetch PKG DEST: unpack the Debian source package PKG under DEST
# (tests/realworld/fetch-debian-source.sh, cached); prints the tree.
bench_fetch() {	# PKG DEST
	local log=$2.fetch.log src
	src=$("$bench_top/tests/realworld/fetch-debian-source.sh" "$1" "$2" 2>"$log") || {
		cat "$log" >&2
		die "cannot fetch the $1 source package"
	}
	echo "$src"
}
# bench_srcver TREE: "source-package version" from debian/changelog.
bench_srcver() {
	local cl=$1/debian/changelog
	echo "$(dpkg-parsechangelog -l "$cl" -S Source) $(dpkg-parsechangelog -l "$cl" -S Version)"
}

# bench_time LOG CMD...: run CMD (a function or program) with its output
# in LOG; prints "wall user+sys" in seconds; fails as CMD fails.
bench_time() {	# LOG CMD...
	local log=$1 t
	shift
	TIMEFORMAT='%R %U %S'
	t=$( { time ("$@" >"$log" 2>&1); } 2>&1 ) || return 1
	awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%.3f %.3f\n", a[1], a[2] + a[3] }'
}

bench_loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# One line each: the machine, the provcc under test.
bench_machine() {
	local model mem os
	model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")
	[ -f /etc/debian_version ] && os="$os (debian_version $(cat /etc/debian_version))"
	echo "$(nproc) CPUs ($model), $mem RAM, $os, $(uname -sr)"
}
bench_provcc_line() {	# SNAPSHOT TESTED
	local rev
	rev=$(git -C "$bench_top" rev-parse --short HEAD 2>/dev/null || echo unknown)
	git -C "$bench_top" diff --quiet HEAD 2>/dev/null || rev="$rev+changes"
	echo "provcc $("$1" version | awk '{print $2}') ($2) at $rev"
}

# The report: bench_report_begin sends stdout to a file as well (so that
# it can be spliced into a document), bench_report_end ends that, prints
# the report and, with DOC set, replaces what stands between the lines
# "<!-- begin NAME -->" and "<!-- end NAME -->" in DOC with it.
bench_report_begin() {	# FILE
	bench_report_file=$1
	exec 3>&1 >"$bench_report_file"
}
bench_report_end() {	# DOC NAME
	exec >&3 3>&-
	cat "$bench_report_file"
	[ -n "$1" ] || return 0
	awk -v name="$2" -v rep="$bench_report_file" '
	    $0 == "<!-- begin " name " -->" { print; while ((getline l < rep) > 0) print l; skip = 1; n++; next }
	    $0 == "<!-- end " name " -->" { skip = 0 }
	    !skip { print }
	    END { exit n == 1 ? 0 : 1 }' "$1" >"$1.tmp" || {
		rm -f "$1.tmp"
		die "$1: no (or more than one) <!-- begin $2 --> ... <!-- end $2 --> block"
	}
	mv "$1.tmp" "$1"
	note "report written into $1"
}
# bench_check_doc DOC NAME: fail early when DOC lacks the markers.
bench_check_doc() {
	[ -z "$1" ] && return 0
	[ -w "$1" ] || die "--doc: cannot write $1"
	if ! grep -qxF "<!-- begin $2 -->" "$1" || ! grep -qxF "<!-- end $2 -->" "$1"; then
		die "--doc: $1 has no <!-- begin $2 --> ... <!-- end $2 --> block"
	fi
}
