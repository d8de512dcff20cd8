#!/bin/bash
# lto.sh LINKER - links with -flto next to the compiler's LTO plugin
# (gcc's liblto_plugin, which collect2 passes to every link; clang's
# LLVMgold.so).  The output is byte-identical with and without our
# plugin, wherever it stands.  The linker offers each input to the
# plugins in command-line order until one claims it, so:
#  - after the LTO plugin (-Wl,-plugin,..., the only place a driver
#    option can put it) ours never sees the IR objects that plugin
#    claims, but sees everything else;
#  - first (a linker shim run by `DRIVER -B DIR/`) it sees every input,
#    the IR objects and IR archive members included.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

write_sources

# shim_link MANIFEST DRIVER OUT ARGS...: link through a shim that loads
# our plugin first; the output must equal OUT.plain made by plink.
shim_link() {
	local manifest=$1 driver=$2 out=$3
	shift 3
	rm -f "$manifest"
	make_shim "$T/shim" "$W/$manifest"
	"$driver" -B "$T/shim/" -fuse-ld="$LINKER" "$@" -o "$out.shim" ||
	    die "$driver -B shim: link failed"
	cmp "$out.plain" "$out.shim" ||
	    die "$driver: output differs with our plugin loaded first"
	[[ -s $manifest ]] || die "no manifest from the shim link"
}

step "gcc passes liblto_plugin to every link, -flto or not"
out_has liblto_plugin gcc -### -fuse-ld="$LINKER" main.c -o x ||
    die "gcc does not pass liblto_plugin without -flto"
ok "collect2 gets -plugin .../liblto_plugin.so without -flto"

step "gcc -flto -fuse-ld=$LINKER"
build_parts gcc -O2 -flto
plink m.json gcc prog -O2 -flto main.o helper.o -L. -lparts
[[ $plink_rc -eq 0 ]] || { cat "$T/plain.err" >&2; die "LTO link failed"; }
mcheck valid m.json
mcheck lacks m.json main.o helper.o one.o a_member_with_a_long_name.o
mcheck files m.json "$(gcc -print-file-name=crti.o)"
ok "ours after liblto_plugin: output unchanged; IR inputs claimed before us"

shim_link ms.json gcc prog -O2 -flto main.o helper.o -L. -lparts
mcheck files ms.json main.o helper.o
mcheck lto ms.json main.o helper.o
mcheck members ms.json libparts.a one.o a_member_with_a_long_name.o
mcheck lacks ms.json unused.o
ok "ours first: output unchanged; IR objects and used IR members listed"

step "gcc -flto with a non-LTO archive and a libgcc helper after LTO"
cat >pop.c <<'EOF2'
__attribute__((noinline)) int pc(unsigned long long x)
{ return __builtin_popcountll(x); }
int main(int argc, char **argv)
{ (void)argv; return pc((unsigned long long)argc * 12345); }
EOF2
gcc -O2 -flto -c pop.c -o pop.o
plink mp.json gcc popprog -O2 -flto pop.o
[[ $plink_rc -eq 0 ]] || die "LTO link failed"
shim_link mps.json gcc popprog -O2 -flto pop.o
mcheck lto mps.json pop.o
ok "output unchanged"
# With -static the libgcc.a member defining __popcountdi2 is extracted
# only after the LTO code is generated, i.e. after all_symbols_read:
# ld.bfd offers it to the claim-file hook, gold to the new-input hook.
libgcc=$(gcc -print-libgcc-file-name)
if [[ -f $(gcc -print-file-name=libc.a) && -f $libgcc ]]; then
	member=$(nm -A "$libgcc" 2>/dev/null |
	    sed -n 's/^[^:]*:\([^:]*\):.* T __popcountdi2$/\1/p' | head -1)
	[[ -n $member ]] || die "no member of $libgcc defines __popcountdi2"
	plink mst.json gcc popstatic -static -O2 -flto pop.o
	[[ $plink_rc -eq 0 ]] || die "static LTO link failed"
	shim_link msts.json gcc popstatic -static -O2 -flto pop.o
	out_has __popcountdi2 nm popstatic || die "premise: no __popcountdi2"
	"$PY" - msts.json "$member" <<'EOF2' || die "late libgcc member"
import json, sys
m = json.load(open(sys.argv[1]))
es = [i for i in m["inputs"] if i.get("member") == sys.argv[2]
      and i["name"].endswith("libgcc.a")]
sys.exit((not es or not es[0].get("afterAllSymbolsRead"))
         and "libgcc.a(%s) not listed as late: %r" % (sys.argv[2], es))
EOF2
	ok "-static: libgcc.a($member), extracted after LTO, listed"
fi

llvmgold=$(clang -print-file-name=LLVMgold.so 2>/dev/null || true)
[[ -f $llvmgold ]] ||
	llvmgold=$(ls /usr/lib/llvm-*/lib/LLVMgold.so 2>/dev/null | head -1)
if [[ " ${DRIVERS[*]} " == *" clang "* && -f $llvmgold ]]; then
	step "clang -flto -fuse-ld=$LINKER (LLVMgold.so)"
	build_parts clang -O2 -flto
	plink mc.json clang cprog -O2 -flto main.o helper.o -L. -lparts
	[[ $plink_rc -eq 0 ]] || { cat "$T/plain.err" >&2; die "link failed"; }
	mcheck lacks mc.json main.o helper.o
	shim_link mcs.json clang cprog -O2 -flto main.o helper.o -L. -lparts
	mcheck kind mcs.json main.o bitcode
	"$PY" - mcs.json <<'EOF2' || die "bitcode members"
import json, sys
m = json.load(open(sys.argv[1]))
got = sorted((i["member"], i["kind"]) for i in m["inputs"] if i.get("member")
             and i["name"].endswith("libparts.a"))
want = [("a_member_with_a_long_name.o", "bitcode"), ("one.o", "bitcode")]
sys.exit(got != want and "members %r" % got)
EOF2
	ok "clang: output unchanged both ways; bitcode seen only when first"
else
	step "clang with LLVMgold.so unavailable: not tried"
fi
