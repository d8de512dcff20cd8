#!/bin/bash
# collect.buildtime - package facts recorded into the link note at build
# time (docs/soup.md, "At build time"):
#   - with this machine's dpkg database, every owner the note names is
#     one `dpkg -S` agrees with, and libc.so.6 is libc6 at dpkg-query's
#     version;
#   - `provcc sbom` of that binary needs no database: byte-identical
#     output with PROVCC_DPKG_ADMINDIR pointing nowhere, and no warning;
#   - the note's facts win over the reading machine's database;
#   - the facts cache answers while the database files are unchanged and
#     is dropped when they change; a damaged cache is ignored;
#   - no database: "database": "none", absolute paths unidentified;
#     a database that cannot be read fails the link (70, one line, no
#     output), a warning with PROVCC_ON_ERROR=warn;
#   - PROVCC_PACKAGES=off records nothing, and sbom falls back to the
#     local database.
# Exit 77 without dpkg.
set -euo pipefail
TEST_NAME=collect.buildtime
export LC_ALL=C LANG=C
unset PROVCC_KEY PROVCC_ROOT SOURCE_DATE_EPOCH PROVCC_DISABLE LD_PRELOAD \
    PROVCC_DPKG_ADMINDIR PROVCC_PACKAGES PROVCC_ON_ERROR

# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
[[ -n ${PROVCC:-} ]] || die "PROVCC is not set (run through ctest)"
[[ -r /var/lib/dpkg/status ]] && command -v dpkg-query >/dev/null ||
    { echo "$TEST_NAME: SKIP: no dpkg database"; exit 77; }
PY=/usr/bin/python3
[[ -x $PY ]] || { echo "$TEST_NAME: SKIP: no $PY"; exit 77; }

test_tmpdir ""

# facts BIN: the note's "packages" member as JSON ("absent" if none),
# with the owners of the files table (its "files" array, docs/format.md
# section 13) merged into "owners".
facts() {
	"$PROVCC" show --json "$1" | "$PY" -c '
import json, sys
p = json.loads(sys.stdin.read())[0]["link"]["statement"]["predicate"]
f = p.get("packages", "absent")
if isinstance(f, dict) and "files" in f:
    assert len(f["files"]) == len(p["files"]), "files not aligned"
    for entry, i in zip(p["files"], f.pop("files")):
        if i is not None:
            assert entry["path"] not in f["owners"], entry["path"]
            f["owners"][entry["path"]] = i
print(json.dumps(f, sort_keys=True))'
}
# owner BIN PATH: "name version purl" of PATH's owner, or "none".
owner() {
	facts "$1" | "$PY" -c '
import json, sys
p = json.load(sys.stdin)
i = p.get("owners", {}).get(sys.argv[1]) if isinstance(p, dict) else None
if i is None:
    print("none")
else:
    q = p["list"][i]
    print(q["name"], q["version"], q["purl"])' "$2"
}

cd "$T"
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >main.c
"$PROVCC" gcc -O2 -c main.c -o main.o
"$PROVCC" gcc main.o -o prog
[[ $(./prog) == hi ]] || die "prog does not run"

# --- this machine's database --------------------------------------------
libc=$("$PROVCC" show --json prog | "$PY" -c '
import json, sys
st = json.loads(sys.stdin.read())[0]["link"]["statement"]
print([i["path"] for i in st["predicate"]["inputs"]
       if i.get("soname") == "libc.so.6"][0])')
want=$(dpkg-query -W -f '${Package} ${Version}' "libc6:$(dpkg --print-architecture)")
got=$(owner prog "$libc")
[[ ${got% *} == "$want" ]] || die "libc owner: '$got', dpkg says '$want'"
[[ $got == *"pkg:deb/debian/libc6@"*"arch=$(dpkg --print-architecture)"* ]] ||
    die "libc purl: $got"
# dpkg -S knows each path under the name its package recorded, /lib or
# /usr/lib (usrmerge); provcc answers for both.
alias_of() {
	case $1 in
	/usr/lib/* | /usr/lib64/* | /usr/bin/* | /usr/sbin/*) echo "${1#/usr}" ;;
	/lib/* | /lib64/* | /bin/* | /sbin/*) echo "/usr$1" ;;
	*) echo "$1" ;;
	esac
}
n=0
while read -r path name; do
	{ dpkg -S "$path" 2>/dev/null || dpkg -S "$(alias_of "$path")" 2>/dev/null; } |
	    grep -q "^$name[:,]" ||
	    die "note says $path is $name's; dpkg -S does not"
	n=$((n + 1))
done < <(facts prog | "$PY" -c '
import json, sys
p = json.load(sys.stdin)
for path, i in sorted(p["owners"].items()):
    print(path, p["list"][i]["name"])')
[[ $n -ge 5 ]] || die "only $n owners recorded"
ok "$n owners recorded, each confirmed by dpkg -S; $libc is $want"

"$PROVCC" sbom prog >with-db.json
PROVCC_DPKG_ADMINDIR=$T/nowhere "$PROVCC" sbom prog >no-db.json 2>no-db.err
cmp with-db.json no-db.json || die "sbom differs without a database"
[[ ! -s no-db.err ]] || die "sbom warned: $(cat no-db.err)"
grep -q '"pkg:deb/debian/libc6@' no-db.json || die "no libc6 in the SBOM"
ok "sbom from the binary alone: same bytes without any dpkg database"

# --- a fake database: the note's facts win; the cache ------------------
R=$T/root
D=$R/var/lib/dpkg
mkdir -p "$D/info" "$R/etc"
printf 'ID=debian\nVERSION_ID="12"\n' >"$R/etc/os-release"
status() {
	printf 'Package: fakelibc\nStatus: install ok installed\n'
	printf 'Architecture: amd64\nVersion: %s\n' "$1"
	printf 'Maintainer: Fake Maintainer <fake@example.org>\n\n'
}
status 1.0-1 >"$D/status"
printf '%s\n' "$libc" >"$D/info/fakelibc.list"
export PROVCC_DPKG_ADMINDIR=$D
"$PROVCC" gcc main.o -o prog-fake
got=$(owner prog-fake "$libc")
[[ $got == "fakelibc 1.0-1 pkg:deb/debian/fakelibc@1.0-1?arch=amd64&distro=debian-12" ]] ||
    die "fake owner: $got"
[[ $(owner prog-fake "$(command -v gcc | xargs readlink -f)") == none ]] ||
    die "the fake database does not own gcc"
[[ -s $T/cache/pkgfacts.json ]] || die "no facts cache written"
unset PROVCC_DPKG_ADMINDIR
"$PROVCC" sbom prog-fake >fake.json
grep -q '"pkg:deb/debian/fakelibc@1.0-1' fake.json || die "sbom lost fakelibc"
if grep -q '"pkg:deb/debian/libc6@' fake.json; then
	die "sbom asked this machine's database over the note"
fi
ok "facts recorded from the build machine's database win over the reader's"

# The cache answers while the database files are unchanged: the list is
# gone, but with the directory's time put back the stamp is the same.
export PROVCC_DPKG_ADMINDIR=$D
touch -r "$D/info" "$T/info-time"
rm "$D/info/fakelibc.list"
touch -r "$T/info-time" "$D/info"
"$PROVCC" gcc main.o -o prog-cached
[[ $(owner prog-cached "$libc") == "fakelibc 1.0-1 "* ]] ||
    die "the cache did not answer"
touch -d '2001-01-01' "$D/info"
"$PROVCC" gcc main.o -o prog-nolist
[[ $(owner prog-nolist "$libc") == none ]] ||
    die "a changed info/ did not drop the cache"
printf '%s\n' "$libc" >"$D/info/fakelibc.list"
status 2.0-1 >"$D/status.new" && mv "$D/status.new" "$D/status"
"$PROVCC" gcc main.o -o prog-v2
[[ $(owner prog-v2 "$libc") == "fakelibc 2.0-1 "* ]] ||
    die "a new status did not drop the cache: $(owner prog-v2 "$libc")"
printf '{"version":1,"stamp":' >"$T/cache/pkgfacts.json"
"$PROVCC" gcc main.o -o prog-damaged
[[ $(owner prog-damaged "$libc") == "fakelibc 2.0-1 "* ]] ||
    die "a damaged cache was not ignored"
ok "facts cache: kept while dpkg's files stay, dropped when they change"

# --- no database, a broken one, none wanted ----------------------------
export PROVCC_DPKG_ADMINDIR=$T/nowhere
"$PROVCC" gcc main.o -o prog-nodb
[[ $(facts prog-nodb) == '{"database": "none"}' ]] ||
    die "no database: $(facts prog-nodb)"
unset PROVCC_DPKG_ADMINDIR
"$PROVCC" sbom prog-nodb >nodb.json 2>nodb.err
[[ ! -s nodb.err ]] || die "sbom of a none-note warned"
if grep -q '"pkg:deb/' nodb.json; then
	die "a note that says none got packages from this machine"
fi
ok "no database at build time: recorded as none, files unidentified"

mkdir -p "$T/broken/var/lib/dpkg/status"
rc=0
PROVCC_DPKG_ADMINDIR=$T/broken/var/lib/dpkg "$PROVCC" gcc main.o \
    -o prog-broken 2>broken.err || rc=$?
[[ $rc -eq 70 ]] || die "broken database: exit $rc, want 70"
# provcc's line comes first; the linker then says the plugin stopped it.
[[ $(grep -c '^provcc:' broken.err) -eq 1 ]] &&
    head -n 1 broken.err |
    grep -q '^provcc: error: cannot look up packages (.*/broken/var/lib/dpkg): ' ||
    die "broken database: $(cat broken.err)"
[[ ! -e prog-broken ]] || die "broken database: output left behind"
PROVCC_ON_ERROR=warn PROVCC_DPKG_ADMINDIR=$T/broken/var/lib/dpkg \
    "$PROVCC" gcc main.o -o prog-broken 2>broken.err
grep -q '^provcc: warning: cannot look up packages' broken.err ||
    die "warn mode: $(cat broken.err)"
[[ $(./prog-broken) == hi ]] || die "warn mode: no working program"
ok "unreadable database: exit 70 and one line; a warning with PROVCC_ON_ERROR=warn"

PROVCC_PACKAGES=off "$PROVCC" gcc main.o -o prog-off
[[ $(facts prog-off) == '"absent"' ]] || die "PROVCC_PACKAGES=off recorded facts"
PROVCC_DPKG_ADMINDIR=$D "$PROVCC" sbom prog-off >off.json
grep -q '"pkg:deb/debian/fakelibc@2.0-1' off.json ||
    die "a note without facts did not fall back to the local database"
PROVCC_DPKG_ADMINDIR=$T/nowhere "$PROVCC" sbom prog-off >/dev/null 2>off.err
grep -q '^provcc: warning: no package database' off.err ||
    die "no warning when the local database is needed and missing"
ok "PROVCC_PACKAGES=off: nothing recorded; sbom falls back to the local database"
