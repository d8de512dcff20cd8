#!/bin/bash
# shared_lib.sh LINKER - a shared library link (-shared, -fPIC objects
# and archive members) records its inputs and the output's soname; a
# program linked against it lists the library (kind dyn, soname, SHA-256)
# and says whether it ended up in DT_NEEDED (--as-needed drops an unused
# one, which the linker still read).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

write_sources
cat >lib.c <<'EOF2'
int used_one(void);
int lib_entry(void) { return used_one() + 1; }
EOF2
cat >prog.c <<'EOF2'
int lib_entry(void);
int main(void) { return lib_entry(); }
EOF2
cat >spare.c <<'EOF2'
int spare(void) { return 4; }
EOF2
for drv in "${DRIVERS[@]}"; do
	cc=$drv
	[[ $drv == g++ ]] && cc=gcc
	step "$drv -fuse-ld=$LINKER -shared"
	build_parts "$cc" -O2 -fPIC
	"$cc" -O2 -fPIC -c lib.c -o lib.o
	plink ml.json "$drv" libdemo.so -shared lib.o -L. -lparts \
	    -Wl,-soname,libdemo.so.1
	[[ $plink_rc -eq 0 ]] || { cat "$T/plain.err" >&2; die "-shared failed"; }
	mcheck files ml.json lib.o
	mcheck members ml.json libparts.a one.o a_member_with_a_long_name.o
	mcheck lacks ml.json unused.o main.o
	mcheck output ml.json libdemo.so dyn
	"$PY" - ml.json <<'EOF2' || die "output soname"
import json, sys
o = json.load(open(sys.argv[1]))["output"]
sys.exit(o.get("soname") != "libdemo.so.1" and "soname %r" % o)
EOF2
	ok "$drv -shared: lib.o, 2 members, output soname"

	step "$drv -fuse-ld=$LINKER: program against the library"
	"$cc" -O2 -c prog.c -o prog.o
	"$cc" -O2 -fPIC -shared spare.c -o libspare.so -Wl,-soname,libspare.so
	plink mp.json "$drv" prog prog.o -L. -ldemo -Wl,--as-needed -lspare \
	    -Wl,--no-as-needed -Wl,-rpath,"$W"
	[[ $plink_rc -eq 0 ]] || { cat "$T/plain.err" >&2; die "link failed"; }
	ln -sf libdemo.so libdemo.so.1
	rc=0
	./prog || rc=$?
	[[ $rc -eq 1 ]] || die "prog returned $rc, expected 1"
	mcheck kind mp.json libdemo.so dyn
	mcheck soname mp.json libdemo.so.1 true
	mcheck soname mp.json libspare.so false
	mcheck soname mp.json libc.so.6 true
	ok "$drv: libdemo.so needed, libspare.so read but not needed"
done
