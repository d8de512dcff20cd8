#!/bin/bash
# note_in_place.sh - provcc adds its note to the compiler's object in
# place (lib/elfnote.c): the compiler's bytes stay where they are, only
# e_shoff and e_shnum of the ELF header change, and the note, the new
# section-name table and section headers follow the old end.  An object
# with another hard link takes the copy path instead, so the other name
# keeps the compiler's bytes.  When the append fails, the object is cut
# back to what the compiler wrote: removed (exit 70), or with
# PROVCC_ON_ERROR=warn kept byte-identical.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W"
cd "$W"
cat >f.c <<'EOF'
#include <stdio.h>
int f(int x) { printf("%d\n", x); return x * 3; }
EOF

# Header fields of an ELF64 little-endian object: e_shoff, e_shnum.
hdr() {
	"$PY" - "$1" <<'EOF'
import struct, sys
b = open(sys.argv[1], 'rb').read(64)
print(struct.unpack_from('<Q', b, 0x28)[0], struct.unpack_from('<H', b, 0x3c)[0])
EOF
}

step "gcc: the compiler's bytes stay in place"
gcc -c f.c -o plain.o
"$PROVCC" gcc -c f.c -o f.o || die "provcc gcc -c failed"
has_note f.o || die "f.o has no note"
size=$(stat -c %s plain.o)
cmp -s <(tail -c +65 plain.o) <(head -c "$size" f.o | tail -c +65) ||
	die "bytes 64.. of the object moved or changed"
cmp -s <(head -c 40 plain.o) <(head -c 40 f.o) ||
	die "the ELF header changed before e_shoff"
read -r pshoff pshnum < <(hdr plain.o)
read -r shoff shnum < <(hdr f.o)
[[ $shnum -eq $((pshnum + 1)) ]] || die "e_shnum $shnum, expected $((pshnum + 1))"
[[ $shoff -ge $size ]] || die "new section headers at $shoff, inside the old object"
"$ELFCMP" plain.o f.o >/dev/null || die "sections differ from the plain object"
gcc f.o -o /dev/null -nostartfiles -Wl,--unresolved-symbols=ignore-all ||
	die "the object does not link"
ok "only e_shoff/e_shnum changed; the note follows the old end"

# A compiler that rewrites its output in place (keeps the inode), as
# most do not: provcc must still not change a second link to it.
cp plain.o proto.o
cat >fakecc <<EOF
#!/bin/bash
o= mf=
while [[ \$# -gt 0 ]]; do
	case \$1 in
	--version) echo "fakecc 1"; exit 0 ;;
	-dumpmachine) echo x86_64-linux-gnu; exit 0 ;;
	-o) o=\$2; shift ;;
	-MF) mf=\$2; shift ;;
	esac
	shift
done
cat "$W/proto.o" >"\$o"
[[ -z \$mf ]] || echo "\$o: f.c" >"\$mf"
EOF
chmod +x fakecc

step "a hard-linked object takes the copy path"
./fakecc -c f.c -o h.o
ln h.o h2.o
"$PROVCC" ./fakecc -c f.c -o h.o || die "provcc ./fakecc failed"
has_note h.o || die "h.o has no note"
same_file "the other link" proto.o h2.o
ok "h2.o keeps the compiler's bytes"

step "a failed append leaves no half-written object"
# The file size limit lets the compiler write its object but not the
# note: the append fails with EFBIG (SIGXFSZ ignored).
blocks=$(((size + 1023) / 1024))
rm -f g.o
capture fail bash -c "trap '' XFSZ; ulimit -f $blocks; exec \"\$0\" ./fakecc -c f.c -o g.o" "$PROVCC"
expect_status "append over the size limit" 70 "$fail_rc"
grep -q 'cannot embed provenance' "$T/fail.err" || {
	cat "$T/fail.err" >&2
	die "no 'cannot embed provenance' error"
}
[[ ! -e g.o ]] || die "g.o was left behind"
capture warn bash -c "trap '' XFSZ; ulimit -f $blocks; PROVCC_ON_ERROR=warn exec \"\$0\" ./fakecc -c f.c -o g.o" "$PROVCC"
expect_status "append over the size limit, warn" 0 "$warn_rc"
same_file "the object after a failed append" proto.o g.o
ok "removed (exit 70), or kept as the compiler wrote it (warn)"
