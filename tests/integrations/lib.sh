# lib.sh - tests/integration/lib.sh, plus what the integration tests of
# the build system files share.  PROVCC_BUILD_DIR is the build tree.

# shellcheck source=../integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

[[ -d ${PROVCC_BUILD_DIR:-} ]] || die "PROVCC_BUILD_DIR is not set"
B=$PROVCC_BUILD_DIR
unset CMAKE_GENERATOR CMAKE_TOOLCHAIN_FILE CMAKE_PREFIX_PATH \
	CMAKE_C_COMPILER_LAUNCHER CMAKE_CXX_COMPILER_LAUNCHER \
	CMAKE_BUILD_PARALLEL_LEVEL CCACHE_PREFIX CCACHE_DISABLE PROVCC_KEY
# ccache, if a test uses it, caches into $T.
export CCACHE_DIR=$T/ccache

# skip WHY: exit 77, which CTest reports as skipped.
skip() {
	echo "$TEST_NAME: SKIPPED: $*"
	trap - EXIT
	rm -rf "$T"
	exit 77
}

# logged TAG CMD...: run CMD with its output in $T/TAG.log; on failure
# show the log and fail.
logged() {
	local tag=$1
	shift
	"$@" >"$T/$tag.log" 2>&1 || {
		tail -n 60 "$T/$tag.log" >&2
		die "$tag: $* failed"
	}
}

# test key pair, once per test
make_key() {
	[[ -f $T/key.pem ]] || "$PROVCC" keygen "$T/key.pem" >/dev/null
}

# expect_signed FILE [N]: FILE carries a link note with at least N
# compile records, and the note verifies with $T/key.pem.pub.
expect_signed() {
	expect_link_note "$1" "${2:-1}"
	local rc=0
	"$PROVCC" verify --key "$T/key.pem.pub" "$1" >"$T/verify.out" 2>&1 ||
		rc=$?
	[[ $rc -eq 0 ]] || {
		cat "$T/verify.out" >&2
		die "provcc verify $1: exit $rc"
	}
}

# expect_record OBJ: OBJ carries exactly one compile record, whose
# toolchain names at least one program that ran.
expect_record() {
	local r
	r=$(pyrun -m provjson summary "$1" 2>&1) || die "$1: no record: $r"
	[[ $(grep -c . <<<"$r") -eq 1 ]] || die "$1: expected one record: $r"
}

# install_prefix: `cmake --install` the build tree into $T/prefix; set
# PREFIX.
install_prefix() {
	PREFIX=$T/prefix
	logged install cmake --install "$B" --prefix "$PREFIX"
}
