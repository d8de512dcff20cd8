# lib.sh - shared setup and assertions of the integration tests.
#
# Sourced by each test after `set -euo pipefail`.  It expects PROVCC,
# ELFCMP and FIXTURES in the environment (CTest sets them), makes a
# private temporary directory $T (removed on exit unless KEEP_TMP=1), and
# points the provcc hash cache into it.

TEST_NAME=$(basename "$0" .sh)
INTEGRATION_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
# shellcheck source=../lib/common.sh
. "$INTEGRATION_DIR/../lib/common.sh"

for v in PROVCC ELFCMP FIXTURES; do
	[[ -n ${!v:-} ]] || die "$v is not set (run the test through ctest)"
done
[[ -x $PROVCC ]] || die "PROVCC=$PROVCC is not executable"
[[ -x $ELFCMP ]] || die "ELFCMP=$ELFCMP is not executable"
[[ -d $FIXTURES/multi ]] || die "no fixture at $FIXTURES/multi"
[[ -x $PY ]] || die "$PY is needed"
PROVCC_SHIM=$(dirname "$PROVCC")/../lib/provcc/libprovcc-trace.so
[[ -f $PROVCC_SHIM ]] || die "no trace library beside provcc: $PROVCC_SHIM"

# Nothing from the calling environment may change what is compiled or
# recorded.
unset PROVCC_ROOT PROVCC_ON_ERROR PROVCC_DISABLE PROVCC_DEPTH \
	PROVCC_TRACE_FILE PROVCC_TRACE_OPENS DEPENDENCIES_OUTPUT \
	SUNPRO_DEPENDENCIES CPATH C_INCLUDE_PATH CPLUS_INCLUDE_PATH \
	GCC_EXEC_PREFIX COMPILER_PATH SOURCE_DATE_EPOCH LD_PRELOAD \
	MAKEFLAGS MFLAGS MAKELEVEL CCACHE_DISABLE CFLAGS CXXFLAGS CPPFLAGS \
	LDFLAGS CC CXX GCC_COMPARE_DEBUG
export LC_ALL=C LANG=C GCC_COLORS='' TERM=dumb

test_tmpdir it-
mkdir -p "$PROVCC_CACHE_DIR"
# Temporary files of provcc and the compilers stay in $T, even those a
# crash leaves behind.
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
ulimit -c 0

# The real compilers, resolved before any PATH games.
GCC=$(command -v gcc)
GXX=$(command -v g++)
CLANG=$(command -v clang || true)
CLANGXX=$(command -v clang++ || true)
GCC_REAL=$(readlink -f "$GCC")
GXX_REAL=$(readlink -f "$GXX")

# Python with provjson.py importable.
pyrun() {
	PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$INTEGRATION_DIR "$PY" "$@"
}

# copy_fixture NAME DEST: a fresh copy of tests/fixtures/NAME.
copy_fixture() {
	rm -rf "$2"
	mkdir -p "$(dirname "$2")"
	cp -R "$FIXTURES/$1" "$2"
	chmod -R u+w "$2"
}

# capture TAG CMD...: run CMD; stdout to $T/TAG.out, stderr to
# $T/TAG.err, status to the variable TAG_rc (TAG must be a word).
capture() {
	local tag=$1 rc=0
	shift
	"$@" >"$T/$tag.out" 2>"$T/$tag.err" || rc=$?
	printf -v "${tag}_rc" '%d' "$rc"
}

# same_file WHAT A B: byte-identical, or fail with a diff.
same_file() {
	if ! cmp -s "$2" "$3"; then
		echo "--- $2 / +++ $3:" >&2
		diff -u "$2" "$3" >&2 || true
		die "$1: outputs differ"
	fi
}

# expect_status WHAT WANT GOT
expect_status() {
	[[ $3 -eq $2 ]] || die "$1: exit status $3, expected $2"
}

# out_has REGEX CMD...: 0 if the output of CMD matches REGEX (grep -E).
# (Not `CMD | grep -q`, which can kill CMD by SIGPIPE under pipefail.)
out_has() {
	local rx=$1 out
	shift
	out=$("$@" 2>&1) || true
	grep -Eq -e "$rx" <<<"$out"
}

# has_note FILE: 0 if FILE has a .note.provcc.compile section.
has_note() {
	out_has '\.note\.provcc\.compile' readelf -S -W "$1"
}

# no_provenance FILE: provcc show must exit 1 on it.
expect_no_provenance() {
	local rc=0
	"$PROVCC" show "$1" >/dev/null 2>"$T/noprov.err" || rc=$?
	[[ $rc -eq 1 ]] || {
		cat "$T/noprov.err" >&2
		die "provcc show $1: exit $rc, expected 1 (no provenance)"
	}
	if has_note "$1"; then
		die "$1 has a .note.provcc.compile section"
	fi
}

# expect_link_note FILE [N]: FILE, linked through provcc, carries a link
# note that `provcc show --json` reads, listing at least N (default 1)
# compile records; and no .note.provcc.compile section.
expect_link_note() {
	local n=${2:-1}
	"$PROVCC" show --json "$1" >"$T/link.json" 2>"$T/link.err" || {
		cat "$T/link.err" >&2
		die "provcc show $1 failed"
	}
	pyrun - "$T/link.json" "$n" <<'PYEOF' || die "$1: link note"
import json, sys
j = json.load(open(sys.argv[1]))[0]
p = j["link"]["statement"]["predicate"]
if len(p["compiles"]) < int(sys.argv[2]):
    sys.exit(f"{len(p['compiles'])} compile records, expected {sys.argv[2]}")
PYEOF
	if has_note "$1"; then
		die "$1 has a .note.provcc.compile section"
	fi
}
