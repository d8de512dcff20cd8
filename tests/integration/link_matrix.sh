#!/bin/bash
# link_matrix.sh - links through provcc with gcc/g++ and clang/clang++,
# each through ld.bfd, gold and lld: executables, shared libraries,
# static executables, C and C++.  Every output must run, carry one link
# note inside a loaded segment, and list exactly what the link used:
# the objects with their compile records, only the archive members
# pulled in, the shared libraries.  A linker that is missing is skipped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$T/src
mkdir -p "$src"
cd "$src"
git init -q .
cat >main.c <<'EOF'
int part1(void);
int part2(void);
int util(void);
int main(void) { return part1() + part2() + util() == 6 ? 0 : 1; }
EOF
printf 'int part1(void) { return 1; }\n' >p1.c
printf 'int part2(void) { return 2; }\n' >p2.c
printf 'int part3(void) { return 30; }\n' >p3_unused_member.c
printf 'int util(void) { return 3; }\n' >util.c
cat >main.cpp <<'EOF'
#include <string>
#include <iostream>
int main() { std::string s("c++ ok"); std::cout << s << "\n"; return 0; }
EOF

step "compile through provcc"
for f in main p1 p2 p3_unused_member util; do
	"$PROVCC" gcc -O2 -fPIC -c $f.c -o $f.o
done
"$PROVCC" g++ -O2 -c main.cpp -o maincpp.o
ar rcs libparts.a p1.o p2.o p3_unused_member.o
ok "objects and libparts.a (3 members)"

# note FILE: the decoded note as JSON in $T/note.json.
note() {
	pyrun "$INTEGRATION_DIR/linknote.py" "$1" >"$T/note.json" ||
		die "$1: no link note"
}

# check_note FILE TYPE [MEMBERS...]: the note lies in a PT_LOAD and a
# PT_NOTE, is unsigned, names FILE's type and exactly MEMBERS.
check_note() {
	local file=$1 type=$2
	shift 2
	note "$file"
	pyrun - "$T/note.json" "$file" "$type" "$@" <<'EOF' || die "$2: note"
import json, sys
n = json.load(open(sys.argv[1]))
file, want_type, want_members = sys.argv[2], sys.argv[3], sys.argv[4:]
st = n["statement"]
p = st["predicate"]
def fail(msg):
    print(f"{file}: {msg}", file=sys.stderr); sys.exit(1)
if not n["inLoad"]: fail("note outside every PT_LOAD")
if not n["inNoteSegment"]: fail("note outside every PT_NOTE")
if not n["sectionFlags"] & 2: fail("note section not SHF_ALLOC")
if n["sigalg"] != 0: fail("unsigned link has sigalg %d" % n["sigalg"])
if st["_type"] != "https://in-toto.io/Statement/v1": fail("_type")
if st["predicateType"] != "https://provcc.dev/attestation/link/v1":
    fail("predicateType")
if st["subject"][0]["name"] != file.split("/")[-1]: fail("subject name")
if p["link"]["outputType"] != want_type:
    fail(f"outputType {p['link']['outputType']}, want {want_type}")
members = sorted(i["member"] for i in p["inputs"]
                 if i["kind"] == "member" and i["path"] == "libparts.a")
if members != sorted(want_members):
    fail(f"libparts.a members {members}, want {want_members}")
files = p["files"]
for i in p["inputs"]:
    for c in i.get("compiles", []):
        rec = p["compiles"][c]
        src = files[rec["source"]]["path"]
        for h in rec["inputs"]:
            assert files[h]["sha256"]
        if i["kind"] == "member" and src != i["member"][:-2] + ".c":
            fail(f"member {i['member']} has the record of {src}")
objs = [i for i in p["inputs"] if i["kind"] == "object"
        and not i.get("path", "/").startswith("/")]
if not objs or not all(o.get("compiles") for o in objs):
    fail("own objects without compile records")
for o in objs:
    import hashlib
    if hashlib.sha256(open(o["path"], "rb").read()).hexdigest() != o["sha256"]:
        fail(f"{o['path']}: sha256 does not match the file")
if want_type not in ("static", "static-pie"):
    if not any(i["kind"] == "shared" and i.get("soname") == "libc.so.6"
               for i in p["inputs"]):
        fail("libc.so.6 not among the shared libraries")
if p["link"]["linker"]["version"] == "": fail("linker version empty")
EOF
}

# file_type FILE: executable, pie or shared, from the ELF header.
elf_type() {
	local t
	t=$(readelf -h "$1" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p')
	case $t in
	EXEC) echo executable ;;
	DYN) if readelf -lW "$1" | grep -q INTERP; then echo pie
	     else echo shared; fi ;;
	*) echo "$t" ;;
	esac
}

drivers="gcc"
[[ -n $CLANG ]] && drivers="gcc clang"
for drv in $drivers; do
	cxx=g++
	[[ $drv == clang ]] && cxx=clang++
	for ld in bfd gold lld; do
		command -v ld.$ld >/dev/null || { step "no ld.$ld: skipped"; continue; }
		step "$drv -fuse-ld=$ld"
		out=prog_${drv}_$ld
		"$PROVCC" $drv -fuse-ld=$ld -o $out main.o util.o libparts.a
		./$out || die "$out does not run"
		check_note $out "$(elf_type $out)" p1.o p2.o
		ok "$out: runs; note lists main.o, util.o, p1.o and p2.o only"

		"$PROVCC" $drv -fuse-ld=$ld -shared -Wl,-soname,libu.so.1 \
			-o libu_${drv}_$ld.so util.o p1.o
		check_note libu_${drv}_$ld.so shared
		ok "libu_${drv}_$ld.so: shared library with its note"

		"$PROVCC" $drv -fuse-ld=$ld -static -o st_${drv}_$ld \
			main.o util.o libparts.a
		./st_${drv}_$ld || die "st_${drv}_$ld does not run"
		check_note st_${drv}_$ld static p1.o p2.o
		ok "st_${drv}_$ld: static executable with its note"

		"$PROVCC" $cxx -fuse-ld=$ld -o cpp_${drv}_$ld maincpp.o
		[[ $(./cpp_${drv}_$ld) == "c++ ok" ]] || die "C++ program"
		check_note cpp_${drv}_$ld "$(elf_type cpp_${drv}_$ld)"
		pyrun - "$T/note.json" <<'EOF' || die "C++: no libstdc++"
import json, sys
p = json.load(open(sys.argv[1]))["statement"]["predicate"]
sys.exit(not any(i.get("soname") == "libstdc++.so.6" for i in p["inputs"]))
EOF
		ok "cpp_${drv}_$ld: C++ program, libstdc++.so.6 recorded"
	done
done

step "signed links verify, and keep verifying after strip"
"$PROVCC" keygen "$T/ed.pem" >/dev/null
"$PROVCC" keygen --type ecdsa-p256 "$T/ec.pem" >/dev/null
for ld in bfd gold lld; do
	command -v ld.$ld >/dev/null || continue
	for key in ed ec; do
		out=signed_${ld}_$key
		PROVCC_KEY=$T/$key.pem "$PROVCC" gcc -fuse-ld=$ld -o $out \
			main.o util.o libparts.a
		./$out || die "$out does not run"
		"$PROVCC" verify --key "$T/$key.pem.pub" $out >/dev/null ||
			die "$out does not verify"
		strip $out
		"$PROVCC" verify --key "$T/$key.pem.pub" $out >/dev/null ||
			die "$out does not verify after strip"
		rc=0
		"$PROVCC" verify --key "$T/$( [[ $key == ed ]] && echo ec ||
			echo ed).pem.pub" $out >/dev/null 2>&1 || rc=$?
		expect_status "$out with the other key" 1 $rc
	done
	ok "ld.$ld: Ed25519 and ECDSA signed at link time; verify after strip; other key refused"
done
rc=0
PROVCC_KEY=$T/missing.pem "$PROVCC" gcc -o nokey main.o util.o libparts.a \
	2>"$T/nokey.err" || rc=$?
expect_status "link with a missing key" 70 $rc
grep -q "provcc: error: cannot load signing key ($T/missing.pem)" \
	"$T/nokey.err" || { cat "$T/nokey.err" >&2; die "no key error line"; }
[[ ! -e nokey ]] || die "a link with an unusable key left its output"
ok "PROVCC_KEY naming no key: exit 70, one error line, no output"

step "the user's own map file and dependency file are written as asked"
for ld in bfd gold lld; do
	command -v ld.$ld >/dev/null || continue
	rm -f user.map
	"$PROVCC" gcc -fuse-ld=$ld -Wl,-Map=user.map -o prog_map main.o \
		util.o libparts.a
	grep -q 'main\.o' user.map || die "ld.$ld: user.map lacks main.o"
	if [[ $ld == lld ]]; then
		rm -f user.why
		"$PROVCC" gcc -fuse-ld=lld -Wl,--why-extract=user.why \
			-o prog_why main.o util.o libparts.a
		grep -q 'libparts.a(p1.o)' user.why ||
			die "lld: the user's --why-extract file is wrong"
	fi
	ok "ld.$ld: -Map (and lld's --why-extract) files as without provcc"
done

step "direct linker calls: provcc ld, an ld masquerade link"
printf 'void entry(void) { for (;;) ; }\n' >tiny.c
"$PROVCC" gcc -O2 -fno-pie -c tiny.c -o tiny.o
"$PROVCC" ld -o tiny_direct -e entry tiny.o
check_note tiny_direct static
mkdir -p masq
ln -sf "$PROVCC" masq/ld
PATH=$PWD/masq:$PATH ld -o tiny_masq -e entry tiny.o
check_note tiny_masq static
pyrun - "$T/note.json" <<'EOF' || die "masquerade ld: argv"
import json, sys
p = json.load(open(sys.argv[1]))["statement"]["predicate"]
assert p["link"]["argv"][:3] == ["ld", "-o", "tiny_masq"], p["link"]["argv"]
assert "driver" not in p["link"]
EOF
ok "provcc ld and a masquerade ld: notes with the linker's own command"

step "a relocatable link is passed through"
"$PROVCC" gcc -r -o rel.o p1.o p2.o
out_has '\.note\.provcc\.link' readelf -SW rel.o &&
	die "ld -r output has a link note"
[[ $(readelf -n rel.o | grep -c '^ *provcc ') -eq 2 ]] ||
	die "ld -r output lost compile records"
ok "gcc -r: no link note, both compile records kept"

step "mold is refused with a clear error"
if command -v ld.mold >/dev/null || command -v mold >/dev/null; then
	rc=0
	"$PROVCC" gcc -fuse-ld=mold -o prog_mold main.o util.o libparts.a \
		2>"$T/mold.err" || rc=$?
	expect_status "gcc -fuse-ld=mold" 70 $rc
	grep -q "provcc: error: link not recorded" "$T/mold.err" ||
		{ cat "$T/mold.err" >&2; die "no error line for mold"; }
	[[ ! -e prog_mold ]] || die "a link without provenance left its output"
	PROVCC_ON_ERROR=warn "$PROVCC" gcc -fuse-ld=mold -o prog_mold \
		main.o util.o libparts.a 2>"$T/mold.err"
	./prog_mold || die "warn mode: prog_mold does not run"
	grep -q "provcc: warning: link not recorded" "$T/mold.err" ||
		die "warn mode: no warning"
	ok "mold: exit 70 and no output; warn mode links plainly"
fi
