#!/usr/bin/env bash
# pkgdb.sh - how fast does collector/pkgdb.c attribute files to packages?
#
#   bench/pkgdb.sh [-n RUNS] [--tool PATH] [--admindir D]
#
# Loads the dpkg database RUNS times (default 5) with pkgdb_tool and
# looks up, each time, every regular file of the first 200 packages'
# file lists plus every file below /usr/include (5 rounds of them).
# Prints the load time and lookups per second of each run.  The page
# cache is warm (the first run warms it): a build's collector runs
# after the compiler has read the same headers.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
runs=5
tool=$top/build/tests/pkgdb/pkgdb_tool
admindir=${PROVCC_DPKG_ADMINDIR:-/var/lib/dpkg}
while [ $# -gt 0 ]; do
	case $1 in
	-n) runs=$2; shift 2 ;;
	--tool) tool=$2; shift 2 ;;
	--admindir) admindir=$2; shift 2 ;;
	*) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 2 ;;
	esac
done
[ -x "$tool" ] || { echo "pkgdb.sh: no $tool (build first)" >&2; exit 1; }
[ -r "$admindir/status" ] || { echo "pkgdb.sh: no $admindir/status" >&2; exit 1; }

list=$(mktemp)
trap 'rm -f "$list"' EXIT
ls "$admindir"/info/*.list | head -n 200 | xargs cat |
	while IFS= read -r f; do
		if [ -f "$f" ] && [ ! -L "$f" ]; then echo "$f"; fi
	done >"$list"
pkgfiles=$(wc -l <"$list")
find /usr/include -type f >>"$list" 2>/dev/null || true
echo "paths: $(wc -l <"$list") ($pkgfiles files of 200 packages, the rest /usr/include)"
echo "packages: $(grep -c '^Package:' "$admindir/status"), list files: $(ls "$admindir"/info/*.list | wc -l), $(cat "$admindir"/info/*.list | wc -l) lines"
for i in $(seq "$runs"); do
	"$tool" --admindir "$admindir" --bench --rounds 5 "$list"
done
