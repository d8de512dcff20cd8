#!/bin/bash
# errors.sh - provcc's own failures: provenance that cannot be embedded
# (exit 70 and no object, or a warning and the plain object), `provcc
# show` on files without provenance, on non-ELF files and on damaged
# notes, a masquerade link with no compiler behind it (127), and a loop
# between two copies of provcc (125, not a hang).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W"
cd "$W"
cat >good.c <<'SRC'
#include <stdio.h>
int main(void) { puts("good"); return 0; }
SRC

# one_line LEVEL FILE: FILE holds exactly one line, a provcc message of
# LEVEL in the documented form "provcc: LEVEL: WHAT (FILE): WHY".
one_line() {
	local n
	n=$(wc -l <"$2")
	if [[ $n -ne 1 ]] ||
		! grep -Eq "^provcc: $1: .* \(.*\): .*$" "$2"; then
		echo "--- stderr:" >&2
		cat "$2" >&2
		die "expected exactly one 'provcc: $1: WHAT (FILE): WHY' line"
	fi
}

# A compiler that succeeds but writes something that is not ELF; it
# writes the dependency file it is asked for, so that provcc fails only
# when embedding.
cat >"$T/nonelf-cc" <<'SRC'
#!/bin/bash
out= mf= src=
while [[ $# -gt 0 ]]; do
	case $1 in
	--version) echo "nonelf-cc 1.0"; exit 0 ;;
	-dumpmachine) echo "x86_64-fake-linux-gnu"; exit 0 ;;
	-o) out=$2; shift ;;
	-MF) mf=$2; shift ;;
	-*) ;;
	*) src=$1 ;;
	esac
	shift
done
printf '%s\n' "${NONELF_CONTENT:-this is not an ELF object}" >"$out"
if [[ -n $mf ]]; then echo "$out: $src" >"$mf"; fi
exit 0
SRC
chmod +x "$T/nonelf-cc"

step "the compiler writes a non-ELF object"
capture ne "$PROVCC" "$T/nonelf-cc" -c good.c -o x.o
expect_status "provcc nonelf-cc -c good.c -o x.o" 70 "$ne_rc"
one_line error "$T/ne.err"
grep -q '(x.o)' "$T/ne.err" || die "the error does not name x.o"
[[ ! -e x.o ]] || die "x.o was left behind after exit 70"
[[ -z $(find . -name 'x.o*') ]] || die "temporary files left: $(ls)"
ok "exit 70, one line: $(cat "$T/ne.err")"
capture new env PROVCC_ON_ERROR=warn "$PROVCC" "$T/nonelf-cc" -c good.c -o x.o
expect_status "PROVCC_ON_ERROR=warn provcc nonelf-cc" 0 "$new_rc"
one_line warning "$T/new.err"
[[ -f x.o && $(cat x.o) == "this is not an ELF object" ]] ||
	die "PROVCC_ON_ERROR=warn did not keep the compiler's x.o as it was"
ok "PROVCC_ON_ERROR=warn: exit 0, one line: $(cat "$T/new.err")"
rm -f x.o

step "the compiler writes a truncated ELF object"
gcc -c good.c -o real.o
head -c 100 real.o >"$T/trunc.bin"
cat >"$T/trunc-cc" <<SRC
#!/bin/bash
while [[ \$# -gt 0 ]]; do
	case \$1 in -o) out=\$2 ;; -MF) mf=\$2 ;; esac
	shift
done
cp "$T/trunc.bin" "\$out"
if [[ -n \${mf:-} ]]; then echo "\$out: good.c" >"\$mf"; fi
SRC
chmod +x "$T/trunc-cc"
capture tr "$PROVCC" "$T/trunc-cc" -c good.c -o t.o
expect_status "provcc trunc-cc" 70 "$tr_rc"
one_line error "$T/tr.err"
[[ ! -e t.o ]] || die "t.o was left behind after exit 70"
ok "exit 70, one line: $(cat "$T/tr.err")"

step "the compiler writes no dependency file"
cat >"$T/nodeps-cc" <<'SRC'
#!/bin/bash
while [[ $# -gt 0 ]]; do
	case $1 in -o) out=$2 ;; esac
	shift
done
/usr/bin/gcc -c good.c -o "$out"
SRC
chmod +x "$T/nodeps-cc"
capture nd "$PROVCC" "$T/nodeps-cc" -c good.c -o n.o
expect_status "provcc nodeps-cc" 70 "$nd_rc"
one_line error "$T/nd.err"
[[ ! -e n.o ]] || die "n.o was left behind after exit 70"
ok "exit 70, one line: $(cat "$T/nd.err")"

step "provcc cannot prepare the compile"
mkdir -p "$T/alone/bin"
cp "$PROVCC" "$T/alone/bin/provcc"	# no ../lib/provcc beside it
capture ns "$T/alone/bin/provcc" gcc -c good.c -o ns.o
expect_status "provcc without its trace library" 70 "$ns_rc"
one_line error "$T/ns.err"
grep -q 'libprovcc-trace.so' "$T/ns.err" || die "the error does not name it"
[[ ! -e ns.o ]] || die "ns.o exists after exit 70"
ok "no trace library: exit 70, $(cat "$T/ns.err")"
# Like gcc, provcc ignores a TMPDIR that is no directory.
capture nt env TMPDIR=/nonexistent/dir "$PROVCC" gcc -c good.c -o nt.o
expect_status "provcc with TMPDIR=/nonexistent/dir" 0 "$nt_rc"
[[ ! -s $T/nt.err ]] || die "TMPDIR missing: unexpected messages"
"$PROVCC" show nt.o >/dev/null || die "TMPDIR missing: nt.o has no record"
ok "TMPDIR missing: falls back to /tmp, object recorded"
# (PROVCC_ON_ERROR=warn in these cases: on_error_warn_setup.sh)

step "PROVCC_COMPRESS"
# note_compression FILE: byte 2 of FILE's compile-note descriptor.
note_compression() {
	"$PY" -c 'import sys
d = open(sys.argv[1], "rb").read()
i = d.find(b"provcc\0\0")	# the note name; the descriptor follows
print(d[i + 10])' "$1"
}
# (the same output name each time: it is in the record)
"$PROVCC" gcc -c good.c -o cz.o && mv cz.o cz-none.o
PROVCC_COMPRESS=none "$PROVCC" gcc -c good.c -o cz.o && mv cz.o cz-none2.o
PROVCC_COMPRESS=zlib "$PROVCC" gcc -c good.c -o cz.o && mv cz.o cz-zlib.o
[[ $(note_compression cz-none.o) == 0 ]] ||
	die "default: compression byte $(note_compression cz-none.o), not 0"
cmp -s cz-none.o cz-none2.o || die "PROVCC_COMPRESS=none differs from the default"
[[ $(note_compression cz-zlib.o) == 1 ]] ||
	die "PROVCC_COMPRESS=zlib: compression byte $(note_compression cz-zlib.o), not 1"
[[ $(stat -c %s cz-zlib.o) -lt $(stat -c %s cz-none.o) ]] ||
	die "the zlib note is not smaller"
cmp -s <("$PROVCC" show --json cz-none.o | sed 's/cz-none/X/') \
	<("$PROVCC" show --json cz-zlib.o | sed 's/cz-zlib/X/') ||
	die "the records differ between none and zlib"
ok "stored by default, zlib on request, the same record either way"
capture cz env PROVCC_COMPRESS=lz4 "$PROVCC" gcc -c good.c -o cz-bad.o
expect_status "PROVCC_COMPRESS=lz4" 70 "$cz_rc"
one_line error "$T/cz.err"
grep -q 'PROVCC_COMPRESS' "$T/cz.err" || die "the error does not name PROVCC_COMPRESS"
[[ ! -e cz-bad.o ]] || die "cz-bad.o exists after exit 70"
capture czw env PROVCC_COMPRESS=lz4 PROVCC_ON_ERROR=warn "$PROVCC" gcc -c good.c -o cz-warn.o
expect_status "PROVCC_COMPRESS=lz4 PROVCC_ON_ERROR=warn" 0 "$czw_rc"
one_line warning "$T/czw.err"
[[ -s cz-warn.o ]] && ! has_note cz-warn.o ||
	die "with warn: expected the plain object"
ok "a bad value: $(cat "$T/cz.err")"

step "provcc show on files without provenance, not ELF, or damaged"
gcc -c good.c -o plain.o
# compressed, so that the damage below hits a zlib stream
PROVCC_COMPRESS=zlib "$PROVCC" gcc -c good.c -o prov.o
echo "just text" >text.txt
: >empty
ar rcs plain.a plain.o
ar rcs mixed.a plain.o prov.o

# show_status WANT FILE [MSG-REGEX]
show_status() {
	capture sh "$PROVCC" show "$2"
	expect_status "provcc show $2" "$1" "$sh_rc"
	if [[ $1 -ne 0 ]]; then
		one_line error "$T/sh.err"
		[[ -z ${3:-} ]] || grep -Eq "$3" "$T/sh.err" ||
			die "provcc show $2: message does not match /$3/"
	fi
	capture shj "$PROVCC" show --json "$2"
	expect_status "provcc show --json $2" "$1" "$shj_rc"
	if [[ $1 -le 1 || $1 -eq 4 ]]; then
		"$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' \
			"$T/shj.out" || die "provcc show --json $2: not JSON"
	fi
	ok "provcc show $2: exit $1${3:+, message /$3/}"
}
show_status 0 prov.o
show_status 1 plain.o 'no provenance'
show_status 1 plain.a 'no provenance'
show_status 0 mixed.a
show_status 3 text.txt 'not an ELF'
show_status 3 empty
show_status 3 does-not-exist.o 'No such file'
show_status 3 "$W"

# Several files: the highest status wins; usage errors are 2.
for spec in "0:prov.o mixed.a" "1:prov.o plain.o" "3:prov.o plain.o text.txt" \
	"3:text.txt prov.o" "2:" "2:--bogus prov.o"; do
	want=${spec%%:*}
	rc=0
	# shellcheck disable=SC2086
	"$PROVCC" show ${spec#*:} >/dev/null 2>&1 || rc=$?
	expect_status "provcc show ${spec#*:}" "$want" "$rc"
done
ok "provcc show FILE...: the highest status wins; bad usage is 2"

read -r doff dsz < <(pyrun -m elfpatch prov.o note-desc .note.provcc.compile)
[[ $dsz -gt 16 ]] || die "implausible note descriptor size $dsz"
# corrupt TAG ELFPATCH-ARGS...: a copy of prov.o with its note damaged
corrupt() {
	local tag=$1
	shift
	cp prov.o "bad-$tag.o"
	pyrun -m elfpatch "bad-$tag.o" "$1" .note.provcc.compile "${@:2}"
}
corrupt zlib xor $((doff + 8 + dsz / 2))
corrupt zlib-end xor $((doff + dsz - 1))
corrupt version xor "$doff" 0x01
corrupt encoding xor $((doff + 1)) 0x01
corrupt compression xor $((doff + 2)) 0x05
corrupt rawlen put $((doff + 4)) ffffffff
corrupt rawlen0 put $((doff + 4)) 00000000
# An uncompressed payload that is JSON but not a compile record.
json_hex=$("$PY" -c '
import sys, struct
n = int(sys.argv[1]) - 8
body = b"{\"version\": 1}".ljust(n, b" ")
print((bytes([1, 1, 0, 0]) + struct.pack("<I", n) + body).hex())' "$dsz")
cp prov.o bad-json.o
pyrun -m elfpatch bad-json.o put .note.provcc.compile "$doff" "$json_hex"
show_status 4 bad-json.o 'malformed provenance note'
for tag in zlib zlib-end version encoding compression rawlen rawlen0; do
	show_status 4 "bad-$tag.o" 'malformed provenance note \(bad-'
done
ar rcs damaged.a prov.o bad-zlib.o
show_status 4 damaged.a 'malformed provenance note \(bad-zlib.o\)'

step "a masquerade link with no compiler behind it"
mkdir -p "$T/lonely"
ln -s "$PROVCC" "$T/lonely/gcc"
capture lonely env PATH="$T/lonely" gcc -c good.c -o l.o
expect_status "masquerade gcc without a real gcc" 127 "$lonely_rc"
n=$(wc -l <"$T/lonely.err")
[[ $n -eq 1 ]] && grep -Eq '^provcc: error: compiler not found \(gcc\): ' \
	"$T/lonely.err" || { cat "$T/lonely.err" >&2;
	die "no clear 'compiler not found (gcc)' error"; }
[[ ! -e l.o ]] || die "l.o exists"
ok "exit 127: $(cat "$T/lonely.err")"
capture nocc env PATH="$T/lonely" "$PROVCC" -c good.c -o l.o
expect_status "CC=provcc without cc in PATH" 127 "$nocc_rc"
grep -Eq '^provcc: error: compiler not found \(cc\): ' "$T/nocc.err" ||
	die "no clear 'compiler not found (cc)' error"
ok "CC=provcc with no cc: exit 127: $(cat "$T/nocc.err")"

step "a loop between two copies of provcc"
for d in loop1 loop2; do
	mkdir -p "$T/$d/bin" "$T/$d/lib/provcc"
	cp "$PROVCC" "$T/$d/bin/provcc"
	cp "$PROVCC_SHIM" "$T/$d/lib/provcc/"
	ln -s provcc "$T/$d/bin/gcc"
done
for args in "-c good.c -o loop.o" "--version" "good.c -o loop"; do
	# shellcheck disable=SC2086
	capture loop timeout 20 env PATH="$T/loop1/bin:$T/loop2/bin" \
		gcc $args
	[[ $loop_rc -ne 124 ]] || die "gcc $args: the loop hangs (timeout)"
	expect_status "gcc $args through the loop" 125 "$loop_rc"
	n=$(wc -l <"$T/loop.err")
	[[ $n -eq 1 ]] &&
		grep -Eq '^provcc: error: compiler loop \((.*/)?gcc\): ' \
		"$T/loop.err" || { cat "$T/loop.err" >&2;
		die "gcc $args: no single 'compiler loop' error"; }
	ok "gcc $args: exit 125: $(cat "$T/loop.err")"
done
[[ ! -e loop.o && ! -e loop ]] || die "the loop produced output"
