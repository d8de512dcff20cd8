# lib.sh - shared setup of the linker plugin tests (tests/plugin/*.sh).
#
# Sourced by each test after `set -euo pipefail`; the test's first
# argument is the linker, `bfd` or `gold`.  CTest sets PROVCC_LD_PLUGIN
# (the plugin) and, optionally, PROVCC (the wrapper, for compile
# records).  A missing linker makes the test exit 77 (skipped); a missing
# clang only drops clang from the drivers tried.
#
# Every link a test makes through `plink` is made twice -- without the
# plugin and with it -- and the two outputs must be byte-identical: the
# plugin must never change what the linker writes.

TEST_NAME="$(basename "$0" .sh).${1:-}"
PLUGIN_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
# shellcheck source=../lib/common.sh
. "$PLUGIN_TEST_DIR/../lib/common.sh"

LINKER=${1:-}
[[ $LINKER == bfd || $LINKER == gold ]] ||
	die "usage: $0 bfd|gold (run the test through ctest)"
[[ -n ${PROVCC_LD_PLUGIN:-} ]] || die "PROVCC_LD_PLUGIN is not set"
[[ -f $PROVCC_LD_PLUGIN ]] || die "no plugin at $PROVCC_LD_PLUGIN"
PLUGIN=$(readlink -f "$PROVCC_LD_PLUGIN")
[[ -x $PY ]] || die "$PY is needed"

REAL_LD=$(command -v "ld.$LINKER" || true)
[[ -n $REAL_LD ]] || skip "ld.$LINKER is not installed"
REAL_LD=$(readlink -f "$REAL_LD")
command -v gcc >/dev/null || skip "gcc is not installed"

unset LD_PRELOAD COMPILER_PATH GCC_EXEC_PREFIX LIBRARY_PATH CFLAGS LDFLAGS \
	MAKEFLAGS SOURCE_DATE_EPOCH PROVCC_ROOT PROVCC_ON_ERROR PROVCC_DEPTH
export LC_ALL=C LANG=C GCC_COLORS='' TERM=dumb

test_tmpdir plugin-
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR" "$PROVCC_CACHE_DIR"
W=$T/work
mkdir -p "$W"
cd "$W"

# The drivers: gcc and g++ always, clang when installed and able to
# use this linker.
DRIVERS=(gcc g++)
if command -v clang >/dev/null &&
	echo 'int main(void){return 0;}' >"$T/probe.c" &&
	clang -fuse-ld="$LINKER" "$T/probe.c" -o "$T/probe" 2>/dev/null; then
	DRIVERS+=(clang)
else
	step "clang with -fuse-ld=$LINKER unavailable: not tried"
fi

# out_has REGEX CMD...: 0 if the output of CMD matches REGEX (grep -E).
# (Not `CMD | grep -q`, which can kill CMD by SIGPIPE under pipefail.)
out_has() {
	local rx=$1 out
	shift
	out=$("$@" 2>&1) || true
	grep -Eq -e "$rx" <<<"$out"
}

# mcheck ARGS...: tests/plugin/manifest.py.
mcheck() {
	PYTHONDONTWRITEBYTECODE=1 "$PY" "$PLUGIN_TEST_DIR/manifest.py" "$@"
}

# plink MANIFEST DRIVER OUT ARGS...: link twice with DRIVER and
# -fuse-ld=$LINKER, once plainly and once with the plugin appended with
# -Wl (as a user would); the outputs must be byte-identical, and the
# manifest must exist.  The status of both links is in plink_rc, their
# stderr in $T/plain.err and $T/plugin.err.
plink() {
	local manifest=$1 driver=$2 out=$3 rc1=0 rc2=0
	shift 3
	rm -f "$manifest" "$out" "$out.plain"
	"$driver" -fuse-ld="$LINKER" "$@" -o "$out" 2>"$T/plain.err" || rc1=$?
	[[ ! -e $out ]] || mv "$out" "$out.plain"
	"$driver" -fuse-ld="$LINKER" "$@" -o "$out" \
	    -Wl,-plugin,"$PLUGIN",-plugin-opt=out="$manifest" \
	    2>"$T/plugin.err" || rc2=$?
	[[ $rc1 -eq $rc2 ]] ||
		die "$driver $*: exit $rc1 without the plugin, $rc2 with it"
	plink_rc=$rc1
	if [[ $rc1 -ne 0 ]]; then
		return 0
	fi
	if ! cmp -s "$out.plain" "$out"; then
		cmp "$out.plain" "$out" >&2 || true
		die "$driver $*: the output differs with the plugin"
	fi
	[[ -s $manifest ]] || {
		cat "$T/plugin.err" >&2
		die "$driver $*: no manifest written"
	}
	if [[ -s $T/plugin.err ]] && ! cmp -s "$T/plain.err" "$T/plugin.err"
	then
		cat "$T/plugin.err" >&2
		die "$driver $*: the plugin changed the linker's messages"
	fi
}

# make_shim DIR MANIFEST: DIR/ld, DIR/ld.bfd, DIR/ld.gold run the real
# linker with the plugin loaded FIRST, before anything the compiler
# driver passes (gcc's liblto_plugin, clang's LLVMgold).  `DRIVER -B DIR/`
# makes collect2 (and clang) run them.
make_shim() {
	local dir=$1 manifest=$2 name
	mkdir -p "$dir"
	for name in ld ld.bfd ld.gold; do
		cat >"$dir/$name" <<EOF
#!/bin/sh
exec "$REAL_LD" -plugin "$PLUGIN" -plugin-opt=out="$manifest" "\$@"
EOF
		chmod +x "$dir/$name"
	done
}

# Sources of the standard test program: main.o and helper.o use two of
# the three members of libparts.a (one with a name longer than 15
# characters, so that GNU ar puts it into the long-name table).
write_sources() {
	cat >main.c <<'EOF'
int helper(void);
int used_one(void);
int main(void) { return helper() + used_one(); }
EOF
	cat >helper.c <<'EOF'
int helper(void) { return 0; }
EOF
	cat >one.c <<'EOF'
int used_two(void);
int used_one(void) { return used_two(); }
EOF
	cat >a_member_with_a_long_name.c <<'EOF'
int used_two(void) { return 0; }
EOF
	cat >unused.c <<'EOF'
int never_referenced(void) { return 3; }
EOF
}

# build_parts CC FLAGS...: compile the sources with CC and make
# libparts.a (members: one.o, a_member_with_a_long_name.o, unused.o).
build_parts() {
	local cc=$1 f
	shift
	for f in main helper one a_member_with_a_long_name unused; do
		"$cc" "$@" -c "$f.c" -o "$f.o"
	done
	rm -f libparts.a
	ar rcs libparts.a one.o a_member_with_a_long_name.o unused.o
}
