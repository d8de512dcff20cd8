#!/bin/sh
# Install, from Debian's packages, whatever provcc's build and demo need
# and this machine lacks; with --test, also what the test suite needs
# (clang, cross compilers, ccache, distcc, ninja, meson, tools to fetch Debian
# sources); with --bench, what the benchmarks in bench/ need (Bear and
# ccache for bench/compare.sh, tcl for the sqlite3 amalgamation, time for
# peak RSS, jq, tools to fetch Debian sources).  --test and --bench can
# be combined.  Needs root (or sudo) only when something is missing.
set -eu

PKGS="build-essential cmake pkg-config libelf-dev libssl-dev
libjansson-dev zlib1g-dev"
for arg in "$@"; do
	case $arg in
	--test)
		PKGS="$PKGS git elfutils binutils clang lld python3 python3-cryptography python3-securesystemslib dpkg-dev jq
gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-aarch64-linux-gnu
libc6-dev-arm64-cross binutils-dev ccache distcc ninja-build meson
python3-jsonschema"
		;;
	--bench) PKGS="$PKGS git binutils dpkg-dev jq bear ccache tcl time" ;;
	*) echo "usage: $0 [--test] [--bench]" >&2; exit 2 ;;
	esac
done

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
