#!/bin/bash
# determinism.sh - the same sources built through provcc in two
# directories of different path lengths give byte-identical objects,
# archives and programs (with -g: given -ffile-prefix-map=$PWD=. or
# -fdebug-prefix-map=$PWD=.), and the records name project files
# relative to the build root (the enclosing git work tree, or
# PROVCC_ROOT).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# Both builds share one hash cache, as they would on one host.

# build DIR ROOT-BY FLAGS: copy the fixture to DIR, give it a build root
# (ROOT-BY: git = make it a git work tree, env = PROVCC_ROOT) and build
# it through provcc with FLAGS as CFLAGS and CXXFLAGS.
build() {
	local dir=$1 rootby=$2 flags=$3
	copy_fixture multi "$dir"
	if [[ $rootby == git ]]; then
		git init -q "$dir"
		unset PROVCC_ROOT
	else
		export PROVCC_ROOT=$dir
	fi
	(cd "$dir" && make -j2 check CC="$PROVCC gcc" CXX="$PROVCC g++" \
		CFLAGS="$flags" CXXFLAGS="$flags") >"$T/make.log" 2>&1 ||
		{ cat "$T/make.log" >&2; die "make in $dir failed"; }
	unset PROVCC_ROOT
}

# same_outputs WHAT: every object, the archive and the program of A and B
# are byte-identical.
same_outputs() {
	local f n=0
	for f in $(cd "$A" && find . -name '*.o' | sort) libmulti.a multi; do
		[[ -f $B/$f ]] || die "$1: $B/$f is missing"
		cmp -s "$A/$f" "$B/$f" || {
			cmp "$A/$f" "$B/$f" >&2 || true
			objcopy -R .note.provcc.compile "$A/$f" "$T/strip-a.o"
			objcopy -R .note.provcc.compile "$B/$f" "$T/strip-b.o"
			if cmp -s "$T/strip-a.o" "$T/strip-b.o"; then
				echo "(they differ only in the provenance note)" >&2
			fi
			die "$1: $f differs between the two build directories"
		}
		n=$((n + 1))
	done
	[[ $n -eq 8 ]] || die "$1: compared $n files, expected 6 objects + 2"
	"$PROVCC" verify --key "$T/key.pem.pub" "$A/multi" >/dev/null ||
		die "$1: multi has no verifying link note"
	ok "$1: 6 objects, libmulti.a and multi (signed, verifying) are byte-identical"
}

# relative_records DIR WHAT: the records name project files relatively
# and nowhere contain the build directory.
relative_records() {
	local dir=$1
	(cd "$dir" && pyrun -m provjson check-fixture . --method depfile) ||
		die "$2: records in $dir are wrong"
	(cd "$dir" && "$PROVCC" show --json src/*.o src/util/*.o libmulti.a) \
		>"$T/show.json" || die "$2: provcc show failed in $dir"
	if grep -n -F "$dir" "$T/show.json" >&2; then
		die "$2: the records contain the build directory $dir"
	fi
	pyrun - "$T/show.json" <<'PY' || die "$2: paths in records"
import json, sys
doc = json.load(open(sys.argv[1]))
n = 0
for f in doc:
    for o in f["objects"]:
        for r in o["compile"]:
            n += 1
            assert r["cwd"] == ".", r["cwd"]
            for p in [r["source"]["path"], r["output"]]:
                assert not p.startswith("/"), p
            rel = [i["path"] for i in r["inputs"] if not i["path"].startswith("/")]
            assert rel, "no project header recorded for %s" % r["output"]
assert n == 11, "expected 6 object records + 5 archive members, got %d" % n
PY
	ok "$2: paths relative to the build root, build directory absent"
}

# twice NAME ROOT-BY FLAGS (with @DIR@ for the build directory)
twice() {
	local name=$1 rootby=$2 flags=$3
	A=$T/$name/a
	B=$T/$name/a-much/longer/directory/path/for/the/second/copy/b
	step "$name: built in $A and in $B, with ${flags//@DIR@/\$PWD}"
	build "$A" "$rootby" "${flags//@DIR@/$A}"
	build "$B" "$rootby" "${flags//@DIR@/$B}"
	same_outputs "$name"
	relative_records "$A" "$name (first copy)"
	relative_records "$B" "$name (second copy)"
}

# Links are signed with one Ed25519 key: the signature is deterministic
# too, so the signed programs must be identical.
"$PROVCC" keygen "$T/key.pem" >/dev/null
export PROVCC_KEY=$T/key.pem

# No debug information: nothing in the compiler's own output names the
# directory, so only provcc's records could.
twice git-O2 git "-O2"
twice env-O2 env "-O2 -fPIC"
# With debug information the directory is mapped away by the usual
# reproducible-build options, which name it on the command line
# (docs/format.md §5).
twice git-file-prefix-map git "-O2 -g -ffile-prefix-map=@DIR@=."
twice env-debug-prefix-map env "-O2 -g -fdebug-prefix-map=@DIR@=."
