#!/bin/sh
# fetch-debian-source.sh PKG DESTDIR
#
# Fetch the Debian source package PKG, unpack it (Debian patches applied)
# under DESTDIR and print the path of the unpacked source tree on stdout;
# everything else goes to stderr.  Used by the real-world tests
# (tests/realworld/) and the benchmark (bench/).
#
# PKG is a source package name, optionally with a suite or a version as
# apt-get source takes it (zlib, zlib/bookworm, zlib=1:1.2.13.dfsg-1).
# A bare name means the release suite of this machine (bookworm on
# Debian 12): the mirror serves the release's .dsc, while a newer
# security upload's .dsc can be missing from it.
#
# Downloads are cached under $PROVCC_SRC_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/provcc-src), one directory per PKG, so
# repeated runs on one machine do not fetch again and need neither root
# nor the network.  Without a cached copy the script needs deb-src entries
# in apt's sources; when there are none it adds
# /etc/apt/sources.list.d/provcc-src.sources (deb-src twins of the
# configured deb entries) and runs apt-get update, which needs root.
# apt-get update also runs when apt has no source index for PKG yet.
#
# Exit status: 0 done; 77 cannot fetch here (not root, no apt, no
# network): callers treat it as "skip" (CTest SKIP_RETURN_CODE 77);
# 1 anything else; 2 usage.
set -eu

SKIP=77
SRC_LIST=/etc/apt/sources.list.d/provcc-src.sources
APT_OPTS="-o APT::Sandbox::User=root -o Acquire::Retries=2"

say() { printf 'fetch-debian-source: %s\n' "$*" >&2; }
skip() { say "SKIP: $*"; exit $SKIP; }
die() { say "error: $*"; exit 1; }

[ $# -eq 2 ] || { echo "usage: $0 PKG DESTDIR" >&2; exit 2; }
pkg=$1
dest=$2

command -v dpkg-source >/dev/null 2>&1 ||
	skip "dpkg-source not found (install dpkg-dev)"

case $pkg in
*/* | *=*) spec=$pkg ;;
*)
	codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || codename=
	if [ -n "$codename" ]; then spec=$pkg/$codename; else spec=$pkg; fi
	;;
esac
name=${spec%%[/=]*}

cache_root=${PROVCC_SRC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/provcc-src}
cache=$cache_root/$(printf '%s' "$spec" | tr '/=:' '___')
mkdir -p "$cache" "$dest"
dest=$(cd "$dest" && pwd)

# One fetch at a time per package: tests and benchmarks may run at once.
exec 9>"$cache/.lock"
flock 9

# --- apt's side: deb-src entries and source indexes --------------------

have_deb_src() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] && grep -Eq '^[[:space:]]*deb-src[[:space:]]' "$f" &&
			return 0
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] && grep -Eiq '^Types:.*deb-src' "$f" && return 0
	done
	return 1
}

# deb822 stanzas that are deb-src twins of every enabled "deb" entry,
# from *.sources (deb822) and *.list / sources.list (one-line style).
deb_src_stanzas() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
		function flush() {
			if (isdeb && !disabled && uris != "") {
				print "Types: deb-src"
				print "URIs: " uris
				print "Suites: " suites
				if (comps != "") print "Components: " comps
				if (signed != "") print "Signed-By: " signed
				print ""
			}
			isdeb = disabled = 0; uris = suites = comps = signed = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		{
			key = tolower($1); sub(/:$/, "", key)
			val = $0; sub(/^[^:]*:[ \t]*/, "", val)
			if (key == "types") {
				n = split(val, t, /[ \t]+/)
				for (i = 1; i <= n; i++) if (t[i] == "deb") isdeb = 1
			} else if (key == "uris") uris = val
			else if (key == "suites") suites = val
			else if (key == "components") comps = val
			else if (key == "signed-by") signed = val
			else if (key == "enabled" && tolower(val) == "no") disabled = 1
		}
		END { flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk '
		$1 == "deb" {
			signed = ""; i = 2
			if ($2 ~ /^\[/) {
				opts = ""
				for (; i <= NF; i++) {
					opts = opts " " $i
					if ($i ~ /\]$/) { i++; break }
				}
				if (match(opts, /signed-by=[^] ]*/))
					signed = substr(opts, RSTART + 10, RLENGTH - 10)
			}
			if (i + 1 > NF) next
			print "Types: deb-src"
			print "URIs: " $i
			print "Suites: " $(i + 1)
			comps = ""
			for (k = i + 2; k <= NF; k++) comps = comps (comps == "" ? "" : " ") $k
			if (comps != "") print "Components: " comps
			if (signed != "") print "Signed-By: " signed
			print ""
		}' "$f"
	done
}

need_root() {
	[ "$(id -u)" -eq 0 ] || skip "$1 needs root; run once as root or fill $cache_root"
}

apt_update() {
	need_root "apt-get update"
	say "apt-get update"
	# shellcheck disable=SC2086
	apt-get $APT_OPTS -q update >&2 ||
		skip "apt-get update failed (no network or mirror?)"
}

# Does apt know a source package for $spec?  (apt-cache showsrc ignores
# the /suite and =version forms, so only the name is asked.)
apt_knows_source() {
	apt-cache showsrc "$name" 2>/dev/null | grep -q '^Package:'
}

ensure_apt_sources() {
	command -v apt-get >/dev/null 2>&1 || skip "apt-get not found"
	if ! have_deb_src; then
		need_root "adding deb-src entries to apt's sources"
		stanzas=$(deb_src_stanzas)
		[ -n "$stanzas" ] ||
			skip "no deb entries in apt's sources to derive deb-src from"
		say "adding $SRC_LIST"
		tmp=$SRC_LIST.tmp.$$
		{
			echo "# Added by provcc tests/realworld/fetch-debian-source.sh:"
			echo "# deb-src twins of the deb entries, for apt-get source."
			echo
			printf '%s\n' "$stanzas"
		} >"$tmp" || skip "cannot write $SRC_LIST"
		mv "$tmp" "$SRC_LIST"
		apt_update
	elif ! apt_knows_source; then
		apt_update
	fi
	apt_knows_source || die "apt knows no source package $name"
}

# --- the download, cached -----------------------------------------------

dsc_field() {	# FIELD DSCFILE
	awk -v f="$1" 'tolower($0) ~ "^" tolower(f) ":" {
		sub(/^[^:]*:[ \t]*/, ""); print; exit }' "$2"
}

cached_dsc() {
	[ -f "$cache/complete" ] || return 1
	d=$cache/$(cat "$cache/complete")
	[ -f "$d" ] || return 1
	echo "$d"
}

if ! dsc=$(cached_dsc); then
	ensure_apt_sources
	say "downloading source package $spec into $cache"
	rm -rf "$cache/dl"
	mkdir "$cache/dl"
	# shellcheck disable=SC2086
	if ! (cd "$cache/dl" && apt-get $APT_OPTS -q source --download-only \
	    "$spec" >&2); then
		# The lists may be stale (a new revision replaced the old
		# .dsc on the mirror): refresh them once and try again.
		apt_update
		# shellcheck disable=SC2086
		(cd "$cache/dl" && apt-get $APT_OPTS -q source \
		    --download-only "$spec" >&2) ||
			die "apt-get source --download-only $spec failed"
	fi
	set -- "$cache"/dl/*.dsc
	[ $# -eq 1 ] && [ -f "$1" ] || die "expected one .dsc, got: $*"
	mv "$cache"/dl/* "$cache"/
	rmdir "$cache/dl"
	basename "$1" >"$cache/complete"
	dsc=$cache/$(basename "$1")
else
	say "using cached $dsc"
fi

# --- unpacking ---------------------------------------------------------

source=$(dsc_field Source "$dsc")
version=$(dsc_field Version "$dsc")
upstream=${version#*:}		# no epoch
upstream=${upstream%-*}		# no Debian revision
srcdir=$dest/$source-$upstream
stamp=$dest/.$source-$upstream.provcc-unpacked

if [ -d "$srcdir" ] && [ -f "$stamp" ] &&
    [ "$(cat "$stamp")" = "$(basename "$dsc")" ]; then
	say "already unpacked: $srcdir"
else
	rm -rf "$srcdir" "$stamp"
	say "unpacking $(basename "$dsc") into $srcdir"
	# The .dsc's checksums are checked; its signature only when a
	# keyring is at hand (a warning otherwise).
	(cd "$dest" && dpkg-source --no-copy -x "$dsc" "$srcdir" >&2) ||
		die "dpkg-source -x $dsc failed"
	basename "$dsc" >"$stamp"
fi
echo "$srcdir"
