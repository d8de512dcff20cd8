#!/bin/bash
# link.sign - provcc sign / verify / show on linked binaries with a link
# note: both key types, strip variants keep the signature, damage gives
# the documented exit status, re-signing is byte-identical.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

keys
build_linked hello "" -O2 -g
read -r DOFF DLEN <<<"$(desc_range "$T/hello")" || die "no link note found"
ok "note found at $DOFF (+$DLEN) by pv_elf_find_note"
readelf -l -W "$T/hello" | grep -q 'LOAD' || die "no PT_LOAD"

echo "== unsigned, usage, no note, not ELF"
verify_status 6 "$T/hello"
grep -q 'FAILED: not signed' "$T/v.out" || die "unsigned message"
rc=0; "$PROVCC" verify "$T/hello" 2>/dev/null || rc=$?
[[ $rc -eq 2 ]] || die "verify without --key: $rc"
rc=0; "$PROVCC" sign "$T/hello" 2>/dev/null || rc=$?
[[ $rc -eq 2 ]] || die "sign without a key: $rc"
rc=0; "$PROVCC" verify --key "$T/nonexistent.pub" "$T/hello" 2>/dev/null ||
    rc=$?
[[ $rc -eq 2 ]] || die "verify with a missing key: $rc"
NONOTE=1 build_linked plain "" -O2
verify_status 5 "$T/plain"
rc=0; "$PROVCC" sign --key "$T/ed" "$T/plain" 2>"$T/s.err" || rc=$?
[[ $rc -eq 5 ]] || die "sign without note: $rc"
grep -q '^provcc: error: cannot sign (.*plain): no provenance note' \
    "$T/s.err" || die "sign error line: $(cat "$T/s.err")"
echo 'not an ELF file' >"$T/text.txt"
verify_status 3 "$T/text.txt"
verify_status 3 "$T/does-not-exist"
verify_status 3 "$T/hello.main.o"

echo "== sign with Ed25519; only the key id and slot change"
cp -p "$T/hello" "$T/unsigned"
chmod 0751 "$T/hello"
"$PROVCC" sign --key "$T/ed" "$T/hello"
[[ $(stat -c %a "$T/hello") == 751 ]] || die "mode not kept"
"$T/hello" | grep -q 'hello, signed world' || die "signed binary runs"
verify_status 0 "$T/hello"
grep -Eq "^$T/hello: OK \(ed25519 key [0-9a-f]{16}\.\.\.\)$" "$T/v.out" ||
    die "OK line: $(cat "$T/v.out")"
{ cmp -l "$T/unsigned" "$T/hello" || true; } | while read -r pos _ _; do
	o=$((pos - 1 - DOFF))
	[[ $o -eq 2 || ($o -ge 16 && $o -lt 144) ]] ||
	    die "byte $((pos - 1)) changed, outside the note header"
done
ok "only descriptor bytes 2 and [16,144) changed"
cp -p "$T/hello" "$T/again"
"$PROVCC" sign --key "$T/ed" "$T/again"
cmp "$T/hello" "$T/again" || die "signing twice differs"
ok "signing twice: identical"
verify_status 1 "$T/hello" "$T/ec.pub"
grep -q 'signed by another key (keyid ' "$T/v.out" || die "another key"

echo "== ECDSA P-256; PROVCC_KEY"
cp -p "$T/unsigned" "$T/hello-ec"
PROVCC_KEY=$T/ec "$PROVCC" sign "$T/hello-ec"
verify_status 0 "$T/hello-ec" "$T/ec.pub"
grep -q 'OK (ecdsa-p256 key' "$T/v.out" || die "ecdsa OK line"
verify_status 1 "$T/hello-ec" "$T/ed.pub"
cp -p "$T/unsigned" "$T/hello-ec2"
"$PROVCC" sign --key "$T/ec" "$T/hello-ec2"
cmp "$T/hello-ec" "$T/hello-ec2" || die "ECDSA signing is not deterministic"
ok "ECDSA signing twice: identical (RFC 6979)"

echo "== strip variants keep the signature"
strip_case() {
	local name=$1
	shift
	cp -p "$T/hello" "$T/$name"
	"$@"
	cmp -s "$T/hello" "$T/$name" && die "$name: strip changed nothing"
	verify_status 0 "$T/$name"
}
strip_case s1 strip "$T/s1"
strip_case s2 strip --strip-debug "$T/s2"
strip_case s3 eu-strip "$T/s3"
strip_case s4 bash -c "objcopy --only-keep-debug '$T/s4' '$T/s4.debug' &&
    strip '$T/s4' && objcopy --add-gnu-debuglink='$T/s4.debug' '$T/s4'"
strip_case s5 strip --strip-unneeded -R .comment "$T/s5"
mkdir -p "$T/inst"
install -s -m 0755 "$T/hello" "$T/inst/s6"
cmp -s "$T/hello" "$T/inst/s6" && die "install -s changed nothing"
verify_status 0 "$T/inst/s6"

echo "== provcc sign after strip re-signs to the same slot"
cp -p "$T/s1" "$T/s1-resigned"
"$PROVCC" sign --key "$T/ed" "$T/s1-resigned"
cmp "$T/s1" "$T/s1-resigned" || die "re-signing a stripped file changed it"
verify_status 0 "$T/s1-resigned"
cp -p "$T/unsigned" "$T/u-stripped"
strip "$T/u-stripped"
"$PROVCC" sign --key "$T/ed" "$T/u-stripped"
verify_status 0 "$T/u-stripped"

echo "== strip hazard: a non-zero byte outside every section is refused"
gap=$("$PY" "$ELFDIGEST/elfdigest.py" gaps "$T/unsigned")
gap=${gap%% *}
[[ -n $gap ]] || die "no gap between sections to test with"
cp -p "$T/unsigned" "$T/hazard"
patch "$T/hazard" "$gap"
cp -p "$T/hazard" "$T/hazard.before"
rc=0; "$PROVCC" sign --key "$T/ed" "$T/hazard" 2>"$T/s.err" || rc=$?
[[ $rc -eq 1 ]] || die "sign with a strip hazard: $rc"
grep -q 'would not survive strip' "$T/s.err" || die "hazard: $(cat "$T/s.err")"
cmp "$T/hazard" "$T/hazard.before" || die "a refused file was changed"
ok "strip hazard at $gap: exit 1, file unchanged"

echo "== changed content: 7"
damage() {
	local name=$1 off=$2
	cp -p "$T/hello" "$T/$name"
	patch "$T/$name" "$off"
	verify_status "${3:-7}" "$T/$name"
}
damage text $(($(section_off "$T/hello" .text) + 3))
grep -q 'FAILED: content changed since signing' "$T/v.out" ||
    die "changed message"
damage rodata $(($(section_off "$T/hello" .rodata) + 4))
damage data $(($(section_off "$T/hello" .data) + 16))
# p_flags of the first PT_LOAD (program header 2 or so): find it.
phoff=$(od -An -tu8 -j32 -N8 "$T/hello" | tr -d ' ')
i=0
while [[ $(od -An -tu4 -j$((phoff + i * 56)) -N4 "$T/hello" | tr -d ' ') != 1 ]]
do i=$((i + 1)); done
damage phdr-flags $((phoff + i * 56 + 4))
damage phdr-align $((phoff + i * 56 + 49))
damage keyid $((DOFF + 20))
damage e_flags 48
cp -p "$T/text" "$T/text-resigned"
"$PROVCC" sign --key "$T/ed" "$T/text-resigned"
verify_status 0 "$T/text-resigned"
ok "a patched file verifies again once re-signed"

echo "== slot: 7 for the digest, 1 for the signature"
damage slot-digest $((DOFF + 50))
damage slot-sig $((DOFF + 100)) 1
grep -q 'FAILED: bad signature' "$T/v.out" || die "bad signature message"

echo "== corrupt note: 4"
damage zlib $((DOFF + DLEN - 2)) 4
grep -q 'FAILED: malformed: ' "$T/v.out" || die "malformed message"
damage version $((DOFF + 0)) 4
damage sigalg $((DOFF + 2)) 4

echo "== a changed statement: 7, or 1 with the digest recomputed"
# Change one letter of the statement and recompress it to the same
# length, so the note still decodes: the digest covers the statement,
# so verify says 7; put the new digest into the slot and the signature
# no longer matches: 1.
"$PY" - "$T/hello" "$T/stmt" "$DOFF" "$DLEN" <<'PY' || die "cannot rewrite"
import sys, zlib
src, dst, off, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
b = bytearray(open(src, "rb").read())
z = bytes(b[off + 144:off + n])
st = zlib.decompress(z)
# A letter in the predicate's link command, replaced by a common one
# where zlib level 9 (what pv_linknote_encode uses) keeps the length.
for pos in range(st.index(b'"argv"') + 8, len(st)):
    if not chr(st[pos]).isalpha():
        continue
    for letter in b"etaoinsrhl":
        new = st[:pos] + bytes([letter]) + st[pos + 1:]
        nz = zlib.compress(new, 9)
        if letter != st[pos] and len(nz) == len(z):
            b[off + 144:off + n] = nz
            open(dst, "wb").write(b)
            sys.exit(0)
sys.exit("no same-length recompression found")
PY
verify_status 7 "$T/stmt"
newd=$("$PY" "$ELFDIGEST/elfdigest.py" digest "$T/stmt" "$((DOFF + 48)):96")
"$PY" - "$T/stmt" "$((DOFF + 48))" "$newd" <<'PY'
import sys
f, off, d = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3])
b = bytearray(open(f, "rb").read())
b[off:off + 32] = d
open(f, "wb").write(b)
PY
verify_status 1 "$T/stmt"

echo "== several files: the first failure decides"
rc=0
"$PROVCC" verify --key "$T/ed.pub" "$T/hello" "$T/unsigned" "$T/text" \
    >"$T/multi.out" || rc=$?
[[ $rc -eq 6 ]] || die "several files: $rc"
[[ $(wc -l <"$T/multi.out") -eq 3 ]] || die "one line per file"
ok "several files: 6, three lines"

echo "== show"
"$PROVCC" show "$T/hello" >"$T/show.out"
for rx in '^.*/hello: link record, 5 inputs, 2 compile records$' \
    '^  signature  ed25519 key [0-9a-f]{64}$' \
    '^  type       pie$' '^    member  tests/link/libgreet.a\(greet.o\)' \
    '^            soname libm.so.6$' '^  compile #2$' \
    '^  source     tests/link/greet.c  sha256:7{64}$' \
    '^  response   tests/link/hello.rsp'; do
	grep -Eq "$rx" "$T/show.out" || { cat "$T/show.out"; die "show: /$rx/"; }
done
"$PROVCC" show "$T/unsigned" | grep -q 'none (unsigned)' || die "show unsigned"
rc=0; "$PROVCC" show "$T/text" >"$T/show-text.out" || rc=$?
[[ $rc -eq 0 ]] || die "show of a changed file: $rc"
grep -q 'content changed since signing' "$T/show-text.out" || die "show changed"
rc=0; "$PROVCC" show "$T/zlib" 2>/dev/null >/dev/null || rc=$?
[[ $rc -eq 4 ]] || die "show of a corrupt note: $rc"
rc=0; "$PROVCC" show "$T/plain" 2>/dev/null >/dev/null || rc=$?
[[ $rc -eq 1 ]] || die "show of a binary without note: $rc"
"$PROVCC" show --json "$T/hello" "$T/unsigned" >"$T/show.json"
"$PY" - "$T/show.json" "$("$PY" "$ELFDIGEST/elfdigest.py" digest \
    "$T/hello" "$((DOFF + 48)):96")" "$(openssl pkey -pubin -in "$T/ed.pub" \
    -outform DER | sha256sum | cut -d' ' -f1)" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
d, keyid = sys.argv[2], sys.argv[3]
link = a[0]["link"]
st, sig = link["statement"], link["signature"]
assert st["_type"] == "https://in-toto.io/Statement/v1"
assert st["predicateType"] == "https://provcc.dev/attestation/link/v1"
assert st["subject"][0]["digest"]["provcc-elf-v1"] == d
assert sig == {"status": "signed", "checked": False, "algorithm": "ed25519",
               "keyid": keyid, "digest": d, "signedDigest": d}, sig
c = st["predicate"]["compiles"][0]
assert c["source"] == {"path": "tests/link/hello.c", "sha256": "3" * 64}
assert c["toolchain"]["programs"][1]["path"] == "/usr/bin/x86_64-linux-gnu-as"
assert c["responseFiles"][0]["path"] == "tests/link/hello.rsp"
assert st["predicate"]["inputs"][1]["compiles"] == [1]
assert a[1]["link"]["signature"]["status"] == "unsigned"
assert "keyid" not in a[1]["link"]["signature"]
PY
ok "show --json: statement, expanded compiles, signature"
