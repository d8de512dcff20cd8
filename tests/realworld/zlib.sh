#!/bin/sh
# realworld.zlib: build Debian's zlib source package with its own
# ./configure && make through provcc, run zlib's own tests, and check the
# provenance of every object it made.  Then build the same tree plainly
# and check that provcc changed nothing but its note.
#
# Environment:
#   PROVCC           provcc binary to test (required; CTest sets it)
#   ELFCMP           optional section-by-section comparer
#                    (tests/tools/elfcmp); without it the objects are
#                    compared after objcopy has rewritten both
#   PROVCC_SRC_CACHE where fetch-debian-source.sh caches the download
#   PROVCC_KEEP_TMP=1  keep the work directory (printed at the end)
#
# Exit status: 0 pass, 1 fail, 77 skip (no source package obtainable,
# or a needed tool missing).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SKIP=77
NOTE=.note.provcc.compile
# -g on purpose: debug info holds paths and the command line (the
# DW_AT_producer), so identical objects also show that provcc's added
# options (-MD -MF) and its moving of files left no trace.
USER_CFLAGS="-O2 -g -Wall"

say() { printf 'realworld.zlib: %s\n' "$*"; }
skip() { say "SKIP: $*"; exit $SKIP; }

[ -n "${PROVCC:-}" ] || { say "PROVCC is not set"; exit 1; }
[ -x "$PROVCC" ] || { say "PROVCC=$PROVCC is not executable"; exit 1; }
PROVCC=$(cd "$(dirname "$PROVCC")" && pwd)/$(basename "$PROVCC")
for tool in gcc make jq objcopy readelf ar cmp; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found"
done
jobs=$(nproc 2>/dev/null || echo 2)

work=$(mktemp -d "${TMPDIR:-/tmp}/provcc-rw-zlib.XXXXXX")
cleanup() {
	if [ "${PROVCC_KEEP_TMP:-0}" = 1 ]; then
		say "work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rc=0
src=$("$here/fetch-debian-source.sh" zlib "$work/src") || rc=$?
[ $rc -eq 0 ] || { [ $rc -eq $SKIP ] && skip "zlib source not obtainable"; exit 1; }
say "source: $src"

# Both builds run in the same directory, $work/tree, one after the other
# (then the tree is moved aside), so that paths recorded in debug info
# are the same and the objects can be compared byte for byte.
build() {	# VARIANT CC...
	variant=$1
	shift
	rm -rf "$work/tree"
	cp -a "$src" "$work/tree"
	say "building ($variant): CC='$*' CFLAGS='$USER_CFLAGS' ./configure && make -j$jobs test"
	if ! (cd "$work/tree" && CC="$*" CFLAGS="$USER_CFLAGS" ./configure &&
	    make -j"$jobs" test) >"$work/$variant.log" 2>&1; then
		tail -n 40 "$work/$variant.log"
		say "FAIL: $variant build or zlib's own tests failed (log above)"
		exit 1
	fi
	grep -F '*** zlib' "$work/$variant.log" | sed 's/^[[:space:]]*/  /'
	mv "$work/tree" "$work/$variant"
}

# A private, cold hash cache; paths recorded relative to the tree.
export PROVCC_CACHE_DIR="$work/provcc-cache"
export PROVCC_ROOT="$work/tree"
unset PROVCC_DISABLE PROVCC_ON_ERROR || true
# The provcc build signs every linked output.
"$PROVCC" keygen "$work/key.pem" >/dev/null
export PROVCC_KEY="$work/key.pem"
build provcc "$PROVCC" gcc
unset PROVCC_KEY
build plain gcc
prov=$work/provcc
plain=$work/plain

fails=0
fail() { say "FAIL: $*"; fails=$((fails + 1)); }

# provcc says nothing when all goes well: no warning or error in the
# build, nor in configure's tests (configure.log holds their output).
msgs=$(grep -h '^provcc: ' "$work/provcc.log" "$prov/configure.log" || true)
[ -z "$msgs" ] || fail "provcc complained during the build:
$msgs"

# What zlib's Makefile builds, asked of the Makefile itself.
makevar() {
	(cd "$prov" && make -s --no-print-directory \
	    --eval "provcc-print-var: ; @echo \$($1)" provcc-print-var)
}
OBJS=$(makevar OBJS)
PIC_OBJS=$(makevar PIC_OBJS)
CFLAGS=$(makevar CFLAGS)
SFLAGS=$(makevar SFLAGS)
say "Makefile: CFLAGS=$CFLAGS"
say "Makefile: SFLAGS=$SFLAGS"
case " $CFLAGS " in
*" $USER_CFLAGS "*) ;;
*) fail "configure dropped CFLAGS '$USER_CFLAGS': got '$CFLAGS'" ;;
esac
if [ -z "$OBJS" ] || [ -z "$PIC_OBJS" ]; then
	fail "no OBJS/PIC_OBJS in Makefile"
fi

objects=$(cd "$prov" && find . -maxdepth 2 \( -name '*.o' -o -name '*.lo' \) \
    -type f | sed 's|^\./||' | sort)
for o in $OBJS $PIC_OBJS example.o minigzip.o; do
	[ -f "$prov/$o" ] || fail "$o was not built"
done
nobj=$(echo "$objects" | wc -w)
say "checking $nobj objects: $(echo "$objects" | tr '\n' ' ')"

# The .c file an object comes from: X.c, else test/X.c (example.o), and
# the 64-bit test programs are built from test/example.c and minigzip.c.
source_of() {
	b=${1%.*}
	for c in "$b.c" "test/$b.c" "test/${b%64}.c"; do
		[ -f "$prov/$c" ] && { echo "$c"; return; }
	done
	echo "?"
}

# jq filter: does .argv hold $flags as consecutive words?
# shellcheck disable=SC2016
HAS_FLAGS='.argv as $a | ($flags | length) as $n
    | any(range(0; ($a | length) - $n + 1); $a[.:. + $n] == $flags)'

check_object() {	# OBJ
	o=$1
	json=$work/show.json
	st=0
	"$PROVCC" show --json "$prov/$o" >"$json" 2>"$work/show.err" || st=$?
	if [ $st -ne 0 ]; then
		fail "$o: provcc show exit $st ($(cat "$work/show.err"))"
		return
	fi
	n=$(jq '[.[0].objects[].compile[]] | length' "$json")
	[ "$n" = 1 ] || { fail "$o: $n compile records, expected 1"; return; }
	jq '.[0].objects[0].compile[0]' "$json" >"$work/rec.json"
	want=$(source_of "$o")
	got=$(jq -r '.source.path' "$work/rec.json")
	[ "$got" = "$want" ] || fail "$o: source is '$got', expected '$want'"
	# The .lo objects are compiled as objs/X.o and renamed afterwards.
	case $o in
	*.lo) wantout=objs/${o%.lo}.o flags=$SFLAGS ;;
	*) wantout=$o flags=$CFLAGS ;;
	esac
	got=$(jq -r '.output' "$work/rec.json")
	[ "$got" = "$wantout" ] || fail "$o: output is '$got', expected '$wantout'"
	for h in zlib.h zconf.h; do
		jq -e --arg h "$h" 'any(.inputs[]; .path == $h)' \
		    "$work/rec.json" >/dev/null ||
			fail "$o: inputs lack $h"
	done
	jq -e 'any(.inputs[]; .path | startswith("/usr/include/"))' \
	    "$work/rec.json" >/dev/null ||
		fail "$o: inputs lack a system header (/usr/include/...)"
	jq -e 'all(.inputs[], .source; .sha256 | test("^[0-9a-f]{64}$"))' \
	    "$work/rec.json" >/dev/null ||
		fail "$o: an input without a SHA-256"
	# shellcheck disable=SC2086
	fl=$(printf '%s\n' $flags | jq -R . | jq -s -c .)
	jq -e --argjson flags "$fl" "$HAS_FLAGS" "$work/rec.json" >/dev/null ||
		fail "$o: argv $(jq -c .argv "$work/rec.json") lacks flags $fl"
}

for o in $objects; do
	check_object "$o"
done

# The static library: every member listed, each with its record.
st=0
"$PROVCC" show --json "$prov/libz.a" >"$work/ar.json" 2>"$work/show.err" || st=$?
if [ $st -ne 0 ]; then
	fail "libz.a: provcc show exit $st ($(cat "$work/show.err"))"
else
	members=$(ar t "$prov/libz.a" | sort | tr '\n' ' ')
	shown=$(jq -r '.[0].objects[].member' "$work/ar.json" | sort | tr '\n' ' ')
	# shellcheck disable=SC2086
	want=$(printf '%s\n' $OBJS | sort | tr '\n' ' ')
	[ "$members" = "$want" ] ||
		fail "libz.a holds '$members', expected '$want'"
	[ "$shown" = "$members" ] ||
		fail "provcc show libz.a lists '$shown', ar t '$members'"
	bad=$(jq -r '.[0].objects[] | select((.compile | length) != 1)
	    | .member' "$work/ar.json")
	[ -z "$bad" ] || fail "libz.a members without one record: $bad"
	bad=$(jq -r '.[0].objects[] | select(.compile[0].output != .member)
	    | .member' "$work/ar.json")
	[ -z "$bad" ] || fail "libz.a members whose record names another output: $bad"
	say "libz.a: $(echo "$shown" | wc -w) members, each with a record"
fi

# --- provcc changed nothing but the note --------------------------------

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
rw_setup_compare

# The comparer must see a difference where there is one.
if same "$plain/adler32.o" "$prov/crc32.o"; then
	fail "the comparer finds adler32.o and crc32.o equal"
fi
for o in $objects; do
	if [ ! -f "$plain/$o" ]; then
		fail "$o: not made by the plain build"
	elif ! same "$plain/$o" "$prov/$o"; then
		fail "$o: differs from the plain build beyond $NOTE"
		explain | head -n 60 | sed 's/^/    /'
	fi
	if readelf -S -W "$plain/$o" | grep -qF "$NOTE"; then
		fail "$o: the plain build has a $NOTE section"
	fi
done
plain_objects=$(cd "$plain" && find . -maxdepth 2 \( -name '*.o' -o -name '*.lo' \) \
    -type f | sed 's|^\./||' | sort)
[ "$plain_objects" = "$objects" ] ||
	fail "the builds made different objects: plain '$(echo "$plain_objects" | tr '\n' ' ')'"

# Every linked output (the shared library and the test programs zlib's
# tests just ran) carries a link note that verifies, and lists the
# objects it was linked from with their records.
linked=""
for f in "$prov"/libz.so.*.*.* "$prov"/example "$prov"/minigzip \
    "$prov"/examplesh "$prov"/minigzipsh "$prov"/example64 "$prov"/minigzip64; do
	[ -f "$f" ] && [ ! -L "$f" ] || continue
	linked="$linked $(basename "$f")"
	"$PROVCC" verify --key "$work/key.pem.pub" "$f" >/dev/null ||
		fail "$(basename "$f"): does not verify"
	n=$("$PROVCC" show --json "$f" |
	    jq '.[0].link.statement.predicate.compiles | length')
	[ "$n" -ge 1 ] || fail "$(basename "$f"): no compile record in its note"
done
case $linked in
*libz.so*example*minigzip*) ;;
*) fail "linked outputs missing, found:$linked" ;;
esac

# The evidence of the whole build: provcc collect over the build tree
# finds the linked outputs, twice with identical bytes; both SBOMs are
# valid against the official schemas (when ../shared/schemas and
# python3-jsonschema are there), name zlib's own sources and libc6; the
# provenance's DSSE signature and subjects check independently.
collected=""
if "$PROVCC" collect -o "$work/evidence1" --key "$work/key.pem" "$prov" &&
    "$PROVCC" collect -o "$work/evidence2" --key "$work/key.pem" "$prov"; then
	for f in sbom.cdx.json sbom.spdx.json provenance.intoto.jsonl; do
		cmp -s "$work/evidence1/$f" "$work/evidence2/$f" ||
			fail "collect: $f differs between two runs"
	done
	ev=$work/evidence1
	n=$(jq '[.components[] | select(."bom-ref" | startswith("artifact:"))] | length' \
	    "$ev/sbom.cdx.json")
	[ "$n" -eq "$(echo $linked | wc -w)" ] ||
		fail "collect: $n artifacts in the SBOM, linked:$linked"
	jq -e '[.components[] | select(.name == "deflate.c")] | length == 1' \
	    "$ev/sbom.cdx.json" >/dev/null || fail "collect: deflate.c not in the SBOM"
	jq -e '[.components[] | select(.purl // "" | startswith("pkg:deb/debian/libc6@"))] | length == 1' \
	    "$ev/sbom.cdx.json" >/dev/null || fail "collect: libc6 not in the SBOM"
	schemas=${SCHEMAS_DIR:-}
	if [ -n "$schemas" ] && [ -f "$schemas/validate.py" ] &&
	    /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
		/usr/bin/python3 "$schemas/validate.py" cyclonedx-1.6 "$ev/sbom.cdx.json" \
		    >/dev/null || fail "collect: sbom.cdx.json is not valid CycloneDX 1.6"
		/usr/bin/python3 "$schemas/validate.py" spdx-2.3 "$ev/sbom.spdx.json" \
		    >/dev/null || fail "collect: sbom.spdx.json is not valid SPDX 2.3"
		collected="SBOMs valid against the schemas"
	else
		say "collect: schema validation skipped (no SCHEMAS_DIR with validate.py, or no python3-jsonschema)"
		collected="SBOMs not validated"
	fi
	if /usr/bin/python3 -c 'import cryptography' 2>/dev/null; then
		files=""
		for f in $linked; do files="$files $prov/$f"; done
		# shellcheck disable=SC2086
		/usr/bin/python3 "$TOOLS/dsse_verify.py" "$ev/provenance.intoto.jsonl" \
		    "$work/key.pem.pub" $files >/dev/null ||
			fail "collect: provenance does not verify independently"
		collected="$collected, provenance verified"
	else
		say "collect: DSSE check skipped (no python3-cryptography)"
	fi
else
	fail "provcc collect failed"
fi

if [ $fails -ne 0 ]; then
	say "$fails failure(s)"
	exit 1
fi
say "PASS: $nobj objects and libz.a carry correct records; zlib's tests pass;" \
    "objects equal the plain build's but for $NOTE;" \
    "signed and verified:$linked; collected ($collected)"
