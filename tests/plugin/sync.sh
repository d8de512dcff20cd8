#!/bin/bash
# sync.sh LINKER - the all-symbols-read handshake (-plugin-opt=sync=R,W):
# a parent (sync_parent.py, standing in for provcc) runs the linker with
# our plugin first, is told "ready" once all symbols are read, and has a
# note object added to the link.  Checked: the note section lands in
# the output, SHT_NOTE, allocated, inside a PT_LOAD segment (also with
# -flto next to gcc's LTO plugin, --gc-sections, -static, -shared); the
# manifest at that point lists the inputs and the final one marks the
# added object; "none" leaves the output byte-identical to a plain link;
# "fail", a closed pipe and a bad reply fail the link and leave no
# output; a bad sync= value is a warning and changes nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SYNC_PARENT=$PLUGIN_TEST_DIR/sync_parent.py
command -v objcopy >/dev/null || skip "objcopy is not installed"
command -v readelf >/dev/null || skip "readelf is not installed"

# The note object: an empty object from the same compiler (so class,
# machine and flags match) with one allocated SHT_NOTE section holding
# one note: namesz, descsz, type, name and desc each padded to 4 bytes,
# in the byte order of the object.
: >empty.c
gcc -c empty.c -o empty.o
"$PY" - empty.o >note.bin <<'EOF'
import struct, sys
order = "<" if open(sys.argv[1], "rb").read(6)[5] == 1 else ">"
name, desc = b"provcc-test\0", b"provenance"
pad = lambda b: b + b"\0" * (-len(b) % 4)
sys.stdout.buffer.write(struct.pack(order + "III", len(name), len(desc),
                                    0x7e57) + pad(name) + pad(desc))
EOF
objcopy --add-section .note.provcc.test=note.bin \
    --set-section-flags .note.provcc.test=alloc,readonly,contents \
    empty.o note1.o
# --set-section-alignment does not apply to a section added in the same
# run: a second pass.
objcopy --set-section-alignment .note.provcc.test=4 note1.o note.o
out_has 'provcc-test +0x0000000a.*0x00007e57' readelf -n note.o ||
    die "premise: note.o has no readable note"

cat >main.c <<'EOF'
int helper(void);
int main(void) { return helper(); }
EOF
cat >helper.c <<'EOF'
int helper(void) { return 0; }
EOF
gcc -O2 -c main.c -o main.o
gcc -O2 -c helper.c -o helper.o
gcc -O2 -fPIC -c helper.c -o helper_pic.o

# sync_shim MODE [PLUGIN-OPTION]: $T/shim/ld, ld.bfd, ld.gold run the
# real linker under sync_parent.py with our plugin first: out=$W/m.json,
# sync=@SYNC@ (the parent's pipes) or PLUGIN-OPTION instead.  The parent
# saves the manifest as m.asr.json when told "ready", and logs to
# sync.log.
sync_shim() {
	local mode=$1 opt=${2:--plugin-opt=sync=@SYNC@} name
	mkdir -p "$T/shim"
	for name in ld ld.bfd ld.gold; do
		cat >"$T/shim/$name" <<EOF
#!/bin/sh
exec "$PY" "$SYNC_PARENT" --mode $mode --object "$W/note.o" \\
    --save "$W/m.json" "$W/m.asr.json" --log "$W/sync.log" -- \\
    "$REAL_LD" -plugin "$PLUGIN" -plugin-opt=out="$W/m.json" "$opt" "\$@"
EOF
		chmod +x "$T/shim/$name"
	done
}

# slink MODE OUT ARGS...: link with gcc through the shim; status in
# slink_rc, stderr in $T/s.err.
slink() {
	local mode=$1 out=$2
	shift 2
	sync_shim "$mode"
	rm -f "$out" m.json m.asr.json sync.log
	slink_rc=0
	gcc -B "$T/shim/" -fuse-ld="$LINKER" "$@" -o "$out" 2>"$T/s.err" ||
	    slink_rc=$?
}

# note_placed OUT: the note section is in OUT, SHT_NOTE, flag A, inside
# a PT_LOAD segment; readelf -n shows the note.  Prints "PT_NOTE yes"
# or "PT_NOTE no" (whether a PT_NOTE segment covers it too).
note_placed() {
	local out=$1
	readelf -SW "$out" >"$T/sections"
	readelf -lW "$out" >"$T/segments"
	readelf -nW "$out" >"$T/notes"
	grep -Eq 'provcc-test +0x0000000a.*0x00007e57' "$T/notes" ||
		die "$out: readelf -n does not show the note"
	"$PY" - "$T/sections" "$T/segments" <<'EOF' || die "$out: note misplaced"
import re, sys
secs = open(sys.argv[1]).read()
m = re.search(r"\]\s+\.note\.provcc\.test\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+"
              r"\s+[0-9a-f]+\s+[0-9a-f]+\s+(\S*)\s", secs)
if not m:
    sys.exit("no .note.provcc.test section")
if m.group(1) != "NOTE" or "A" not in m.group(2):
    sys.exit("type %s, flags %s" % m.groups())
segs = open(sys.argv[2]).read()
types = re.findall(r"^  ([A-Z][A-Za-z_+]*) +0x", segs, re.M)
maps = re.findall(r"^   (\d\d)[ \t]*([^\n]*)$", segs, re.M)
inseg = {types[int(i)] for i, names in maps
         if ".note.provcc.test" in names.split()}
if "LOAD" not in inseg:
    sys.exit("not inside a PT_LOAD segment (in %r)" % sorted(inseg))
print("PT_NOTE", "yes" if "NOTE" in inseg else "no")
EOF
}

# asr_ok: the manifest saved at "ready" is of phase allSymbolsRead and
# lists main.o and libc.so.6 (by soname: the linker names it as libc.so's
# GROUP does); the final one marks note.o as added.
asr_ok() {
	mcheck phase m.asr.json allSymbolsRead
	mcheck files m.asr.json main.o
	"$PY" - m.asr.json <<'EOF2' || die "libc.so.6 not in the early manifest"
import json, sys
m = json.load(open(sys.argv[1]))
sys.exit(m["output"]["exists"] or not [
    i for i in m["inputs"] if i.get("soname") == "libc.so.6"
    and i["kind"] == "dyn" and len(i.get("sha256", "")) == 64])
EOF2
	mcheck lacks m.asr.json note.o
	mcheck phase m.json cleanup
	mcheck added m.json note.o
	grep -qx 'reply add /.*/note.o' sync.log || die "sync.log: $(cat sync.log)"
}

step "add: gcc -fuse-ld=$LINKER, the note object added at all-symbols-read"
slink add prog main.o helper.o
[[ $slink_rc -eq 0 ]] || { cat "$T/s.err" >&2; die "link failed"; }
[[ ! -s $T/s.err ]] || { cat "$T/s.err" >&2; die "messages"; }
ptnote=$(note_placed prog)
asr_ok
mcheck field m.asr.json main.o kind '"rel"'
./prog || die "the program does not run"
ok "note in PT_LOAD ($ptnote); manifests at both phases; program runs"

step "add, -flto: ours first, gcc's liblto_plugin after it"
gcc -O2 -flto -c main.c -o main_lto.o
gcc -O2 -flto -c helper.c -o helper_lto.o
slink add prog_lto -O2 -flto main_lto.o helper_lto.o
[[ $slink_rc -eq 0 ]] || { cat "$T/s.err" >&2; die "LTO link failed"; }
ptnote=$(note_placed prog_lto)
mcheck lto m.asr.json main_lto.o helper_lto.o
mcheck added m.json note.o
./prog_lto || die "the LTO program does not run"
ok "-flto: note in PT_LOAD ($ptnote)"

step "add, --gc-sections"
slink add prog_gc -ffunction-sections -Wl,--gc-sections main.o helper.o
[[ $slink_rc -eq 0 ]] || { cat "$T/s.err" >&2; die "link failed"; }
ptnote=$(note_placed prog_gc)
ok "--gc-sections: the note survives ($ptnote)"

if [[ -f $(gcc -print-file-name=libc.a) ]]; then
	step "add, -static"
	slink add prog_static -static main.o helper.o
	[[ $slink_rc -eq 0 ]] || { cat "$T/s.err" >&2; die "link failed"; }
	ptnote=$(note_placed prog_static)
	mcheck added m.json note.o
	./prog_static || die "the static program does not run"
	ok "-static: note in PT_LOAD ($ptnote)"
else
	step "no libc.a: -static not tried"
fi

step "add, -shared"
slink add libhelper.so -shared helper_pic.o
[[ $slink_rc -eq 0 ]] || { cat "$T/s.err" >&2; die "link failed"; }
ptnote=$(note_placed libhelper.so)
mcheck added m.json note.o
ok "-shared: note in PT_LOAD ($ptnote)"

step "none: output byte-identical to a plain link"
for extra in "" "-flto"; do
	objs="main.o helper.o"
	[[ -z $extra ]] || objs="main_lto.o helper_lto.o"
	rm -f prog_plain
	gcc -fuse-ld="$LINKER" -O2 $extra $objs -o prog_plain
	slink none prog_none -O2 $extra $objs
	[[ $slink_rc -eq 0 ]] || { cat "$T/s.err" >&2; die "link failed"; }
	[[ ! -s $T/s.err ]] || { cat "$T/s.err" >&2; die "messages"; }
	cmp prog_plain prog_none || die "'none' ${extra:-plain}: output differs"
	grep -qx 'reply none' sync.log || die "sync.log: $(cat sync.log)"
	mcheck phase m.asr.json allSymbolsRead
	mcheck phase m.json cleanup
done
ok "identical to a link without the plugin (also -flto)"

# fails MODE MESSAGE-REGEX: the link fails, no output is left, and the
# messages match.
fails() {
	local mode=$1 rx=$2
	slink "$mode" prog_f main.o helper.o
	[[ $slink_rc -ne 0 ]] || die "$mode: the link succeeded"
	[[ ! -e prog_f ]] || die "$mode: an output was left: $(ls -l prog_f)"
	grep -Eq -e "$rx" "$T/s.err" || {
		cat "$T/s.err" >&2
		die "$mode: messages do not match /$rx/"
	}
	mcheck phase m.json cleanup
	printf '%s:      %s\n' "$TEST_NAME" "$(grep -v collect2 "$T/s.err" |
	    tr '\n' '|')"
}

step "fail, closed pipe, bad reply: the link fails, no output left"
if [[ $LINKER == bfd ]]; then
	stop='plugin reported error after all symbols read'
else
	stop='fatal error: provcc-ld: link stopped at all-symbols-read'
fi
fails fail "$stop"
if grep -q '^provcc-ld:' "$T/s.err"; then
	die "fail: the plugin added a message of its own"
fi
fails close "^provcc-ld: error: no reply on the sync pipe"
grep -Eq "$stop" "$T/s.err" || die "close: no message from the linker"
fails garbage "^provcc-ld: error: bad reply on the sync pipe: 'hello'"
ok "status non-zero, output removed, one line from the linker"

step "bad sync= values: a warning, no handshake, the link unchanged"
rm -f prog_plain
gcc -fuse-ld="$LINKER" main.o helper.o -o prog_plain
for opt in sync=97,98 sync=abc sync=1 sync=7,7; do
	mkdir -p "$T/shim"
	# No parent: the linker runs directly, with descriptor 7 open on a
	# regular file (not a pipe) for sync=7,7.
	cat >"$T/shim/ld" <<EOF
#!/bin/sh
exec 7<"$W/main.c"
exec "$REAL_LD" -plugin "$PLUGIN" -plugin-opt=out="$W/m.json" \\
    -plugin-opt=$opt "\$@"
EOF
	cp "$T/shim/ld" "$T/shim/ld.bfd"
	cp "$T/shim/ld" "$T/shim/ld.gold"
	rm -f prog_bad m.json
	gcc -B "$T/shim/" -fuse-ld="$LINKER" main.o helper.o -o prog_bad \
	    2>"$T/s.err" || { cat "$T/s.err" >&2; die "$opt: link failed"; }
	grep -q "^provcc-ld: warning: .*no handshake" "$T/s.err" || {
		cat "$T/s.err" >&2
		die "$opt: no warning"
	}
	[[ $(wc -l <"$T/s.err") -eq 1 ]] || die "$opt: $(cat "$T/s.err")"
	cmp prog_plain prog_bad || die "$opt: the output differs"
	mcheck phase m.json cleanup
done
ok "warned; outputs identical to a plain link"
