# common.sh - what the test scripts share: their messages and a private
# temporary directory.  Sourced after `set -euo pipefail` with TEST_NAME
# set; bash only.

set -o errtrace

die() {
	printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2
	exit 1
}

step() {
	printf '%s: -- %s\n' "$TEST_NAME" "$*"
}

ok() {
	printf '%s:    ok: %s\n' "$TEST_NAME" "$*"
}

skip() {
	printf '%s: SKIP: %s\n' "$TEST_NAME" "$*"
	exit 77
}

_common_cleanup() {
	local rc=$?
	if [[ ${KEEP_TMP:-0} == 1 || ($rc -ne 0 && ${KEEP_TMP_ON_FAIL:-0} == 1) ]]
	then
		echo "$TEST_NAME: kept $T" >&2
	else
		chmod -R u+w "$T" 2>/dev/null || true
		rm -rf "$T"
	fi
	case $rc in
	0) echo "$TEST_NAME: PASSED" ;;
	77) echo "$TEST_NAME: SKIPPED" ;;
	*) echo "$TEST_NAME: FAILED (status $rc)" >&2 ;;
	esac
}

# test_tmpdir PREFIX: $T, a new directory removed on exit (kept with
# KEEP_TMP=1, or KEEP_TMP_ON_FAIL=1 on failure), holding provcc's caches
# so that no test sees another's.  A failing command names its line.
test_tmpdir() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/provcc-$1$TEST_NAME.XXXXXX")
	trap _common_cleanup EXIT
	trap 'echo "$TEST_NAME: FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
	export PROVCC_CACHE_DIR=$T/cache
}
