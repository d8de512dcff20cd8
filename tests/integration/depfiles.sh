#!/bin/bash
# depfiles.sh - dependency files the user asks for are exactly those of
# the plain compiler, and the record still lists every header (system
# ones too under -MMD).  Also -save-temps, -pipe, .S, .s, -flto, several
# sources in one command, response files and -o in any position.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W/sub" "$W/inc" "$T/ptmp"
cd "$W"
export TMPDIR=$T/ptmp
export PROVCC_ROOT=$W

cat >dep.c <<'SRC'
#include <stdio.h>
#include "dep.h"
#include "sub/inner.h"
int main(void)
{
	printf("%d %d\n", DEP_VALUE, INNER_VALUE);
	return 0;
}
SRC
echo '#define DEP_VALUE 17' >dep.h
echo '#define INNER_VALUE 42' >sub/inner.h

# tree: the files below the work directory, with the checksums of all
# but objects, for comparing what two runs left behind.
tree() {
	find . -type f ! -path './plain/*' | sort | while read -r f; do
		case $f in
		*.o) echo "$f (object)" ;;
		*) sha256sum "$f" ;;
		esac
	done
}

clean() {
	find . -path ./plain -prune -o -type f \
		\( -name '*.o' -o -name '*.d' -o -name '*.i' -o -name '*.s' \
		-o -name '*.ii' -o -name 'prog*' \) -print0 | xargs -0 rm -f
	rm -rf plain
}

# check_record OBJ SOURCE METHOD PROJECT-HEADERS... [-- SYSTEM-REGEX...]
check_record() {
	pyrun - "$@" <<'PY'
import sys, provjson as pj
obj, src, method = sys.argv[1:4]
rest = sys.argv[4:]
sysrx = []
if "--" in rest:
    k = rest.index("--")
    rest, sysrx = rest[:k], rest[k + 1:]
try:
    r = pj.only_record(obj)
    pj.check_record(r, ".", obj, {
        "source": src, "language": r["language"],
        "project_headers": rest, "system_headers": sysrx},
        method=method or None, hash_system=False)
    for i in pj.input_paths(r):
        if i.endswith(".d") or "/ptmp/" in i or i.endswith(".o"):
            pj.fail("input %s should not be recorded" % i)
except pj.CheckError as e:
    print("record of %s: %s" % (obj, e), file=sys.stderr)
    sys.exit(1)
PY
}

# variant CC DEPFILE OBJ FLAGS...: compile dep.c plainly and through
# provcc with FLAGS; DEPFILE must be written identically by both, the
# same files must be left, the objects equal but for the note.
variant() {
	local cc=$1 depfile=$2 obj=$3 method
	shift 3
	local flags=("$@")
	case " ${flags[*]} " in
	*" -MMD "* | *-Wp,-MMD,*) method=trace ;;
	*) method=user-depfile ;;
	esac
	clean
	"$cc" "${flags[@]}" -c dep.c -o "$obj" ||
		die "plain $cc ${flags[*]} failed"
	[[ -f $depfile ]] || die "plain $cc ${flags[*]} wrote no $depfile"
	tree >"$T/tree.plain"
	mkdir plain
	cp "$depfile" plain/deps
	cp "$obj" plain/obj
	clean_keep_plain
	"$PROVCC" "$cc" "${flags[@]}" -c dep.c -o "$obj" ||
		die "provcc $cc ${flags[*]} failed"
	[[ -f $depfile ]] || die "provcc $cc ${flags[*]}: no $depfile"
	same_file "$cc ${flags[*]}: $depfile" plain/deps "$depfile"
	tree >"$T/tree.prov"
	same_file "$cc ${flags[*]}: files left (checksums)" \
		"$T/tree.plain" "$T/tree.prov"
	"$ELFCMP" -n plain/obj "$obj" >/dev/null ||
		die "$cc ${flags[*]}: object differs from the plain one"
	check_record "$obj" dep.c "$method" dep.h sub/inner.h \
		-- '^/usr/include/stdio\.h$' ||
		die "$cc ${flags[*]}: wrong record"
	ok "$cc ${flags[*]} -o $obj: $depfile identical, record by $method"
}

clean_keep_plain() {
	find . -path ./plain -prune -o -type f \
		\( -name '*.o' -o -name '*.d' \) -print0 | xargs -0 rm -f
}

for cc in gcc clang; do
	[[ $cc == clang && -z $CLANG ]] && continue
	step "$cc: user dependency files"
	variant $cc dep.d dep.o -MD
	variant $cc dep.d dep.o -MMD
	variant $cc x.d dep.o -MD -MF x.d
	variant $cc x.d dep.o -MMD -MF x.d -MP -MT 'a b'
	variant $cc dep.d dep.o -MD -MP -MQ '$x'
	variant $cc x.d dep.o -Wp,-MD,x.d
	variant $cc x.d dep.o -Wp,-MMD,x.d
	variant $cc sub/out.d sub/out.o -MD
	variant $cc sub/x.d sub/out.o -MMD -MF sub/x.d -MT sub/out.o
	variant $cc dep.d dep.o -O2 -g -MD -MP
done
clean

# plain_and_prov TAG OBJ CC ARGS...: compile plainly into plain/TAG.o and
# through provcc into OBJ; the two must be equal but for the note.
plain_and_prov() {
	local tag=$1 obj=$2 cc=$3
	shift 3
	mkdir -p plain
	"$cc" "$@" || die "plain $cc $* failed"
	mv "$obj" "plain/$tag.o"
	"$PROVCC" "$cc" "$@" || die "provcc $cc $* failed"
	"$ELFCMP" -n "plain/$tag.o" "$obj" >/dev/null ||
		die "$cc $*: object differs from the plain one"
}

step "-save-temps and -pipe"
for cc in gcc clang; do
	clean
	mkdir -p plain/st
	(cd plain/st && cp ../../dep.c ../../dep.h . && mkdir sub &&
		cp ../../sub/inner.h sub/ &&
		"$cc" -save-temps -O2 -c dep.c -o st.o)
	"$PROVCC" "$cc" -save-temps -O2 -c dep.c -o st.o ||
		die "provcc $cc -save-temps failed"
	ncmp=0
	for f in plain/st/st*.i plain/st/st*.s plain/st/dep*.i plain/st/dep*.s \
		plain/st/*.bc; do
		[[ -e $f ]] || continue
		b=$(basename "$f")
		[[ -f $b ]] || die "$cc -save-temps: provcc run left no $b"
		same_file "$cc -save-temps: $b" "$f" "$b"
		ncmp=$((ncmp + 1))
	done
	[[ $ncmp -ge 2 ]] || die "$cc -save-temps: only $ncmp temporaries found"
	check_record st.o dep.c depfile dep.h sub/inner.h \
		-- '^/usr/include/stdio\.h$' || die "$cc -save-temps: wrong record"
	ok "$cc -save-temps: the same $ncmp temporaries, record complete"
	plain_and_prov pipe pipe.o "$cc" -pipe -O2 -c dep.c -o pipe.o
	check_record pipe.o dep.c depfile dep.h sub/inner.h \
		-- '^/usr/include/stdio\.h$' || die "$cc -pipe: wrong record"
	ok "$cc -pipe: record complete, object equal"
done

step "assembler sources"
cat >asm.S <<'SRC'
#include "asmdefs.h"
	.text
	.globl	asm_value
	.type	asm_value, @function
asm_value:
	movl	$ASM_VALUE, %eax
	ret
	.section .note.GNU-stack,"",@progbits
SRC
echo '#define ASM_VALUE 1234' >inc/asmdefs.h
cat >plain.s <<'SRC'
	.include "inc/macros.inc"
	.text
	.globl	plain_value
plain_value:
	retval	77
	.section .note.GNU-stack,"",@progbits
SRC
cat >inc/macros.inc <<'SRC'
	.macro retval v
	movl	$\v, %eax
	ret
	.endm
SRC
for cc in gcc clang; do
	plain_and_prov asmS_$cc asm.o $cc -Iinc -c asm.S -o asm.o
	check_record asm.o asm.S depfile inc/asmdefs.h ||
		die "$cc .S: wrong record"
	pyrun - <<'PY' || die "$cc .S: language"
import provjson as pj
r = pj.only_record("asm.o")
assert r["language"] == "assembler-with-cpp", r["language"]
PY
	ok "$cc asm.S: record with its #include, object equal"
	plain_and_prov asms_$cc plain.o $cc -c plain.s -o plain.o
	check_record plain.o plain.s trace inc/macros.inc ||
		die "$cc .s: wrong record"
	pyrun - <<'PY' || die "$cc .s: language"
import provjson as pj
r = pj.only_record("plain.o")
assert r["language"] == "assembler", r["language"]
PY
	ok "$cc plain.s: record with its .include, object equal"
done

step "-flto (gcc; clang's bitcode objects: see clang_lto.sh)"
plain_and_prov lto lto.o gcc -flto -frandom-seed=lto -O2 -c dep.c -o lto.o
check_record lto.o dep.c depfile dep.h sub/inner.h \
	-- '^/usr/include/stdio\.h$' || die "gcc -flto: wrong record"
out_has '\.gnu\.lto_' readelf -S -W lto.o || die "lto.o has no LTO sections"
"$PROVCC" gcc -flto -O2 lto.o -o prog_lto || die "gcc -flto link failed"
[[ $(./prog_lto) == "17 42" ]] || die "the -flto program is wrong"
expect_link_note prog_lto 1
ok "gcc -flto: record, object equal, the LTO program runs"

step "several sources in one command"
cat >one.c <<'SRC'
#include "one.h"
int one(void) { return ONE; }
SRC
cat >two.c <<'SRC'
#include <string.h>
#include "two.h"
int two(void) { return (int)strlen(TWO); }
SRC
cat >sub/three.c <<'SRC'
#include "inner.h"
int three(void) { return INNER_VALUE; }
SRC
echo '#define ONE 1' >one.h
echo '#define TWO "two"' >two.h
for cc in gcc clang; do
	for deps in "" "-MD" "-MMD"; do
		clean
		mkdir -p plain/multi
		(cd plain/multi && cp ../../one.[ch] ../../two.[ch] . &&
			mkdir sub && cp ../../sub/three.c ../../sub/inner.h sub/ &&
			$cc $deps -O2 -c one.c two.c sub/three.c)
		"$PROVCC" $cc $deps -O2 -c one.c two.c sub/three.c ||
			die "provcc $cc $deps -c one.c two.c sub/three.c failed"
		case $deps in
		-MD) m=user-depfile ;;
		-MMD) m=trace ;;
		*) m=depfile ;;
		esac
		for o in one two three; do
			"$ELFCMP" -n plain/multi/$o.o $o.o >/dev/null ||
				die "$cc $deps: $o.o differs from the plain one"
			if [[ -n $deps ]]; then
				same_file "$cc $deps: $o.d" plain/multi/$o.d $o.d
			fi
		done
		check_record one.o one.c $m one.h || die "$cc $deps: one.o"
		check_record two.o two.c $m two.h -- '/string\.h$' ||
			die "$cc $deps: two.o"
		check_record three.o sub/three.c $m sub/inner.h ||
			die "$cc $deps: three.o"
		pyrun - "$cc" $deps <<'PY' || die "$cc $deps: argv of the records"
import sys, provjson as pj
want = sys.argv[1:] + ["-O2", "-c", "one.c", "two.c", "sub/three.c"]
for o in ("one.o", "two.o", "three.o"):
    r = pj.only_record(o)
    if r["argv"] != want:
        sys.exit("%s: argv %r, expected %r" % (o, r["argv"], want))
PY
		ok "$cc $deps -c one.c two.c sub/three.c: three objects, each" \
			"with its own record"
	done
done
clean

step "response files"
printf '%s\n' '-O2 -c' '"dep.c"' "-o 'rsp out.o'" '-DFROM_RSP=1' >args.rsp
printf '%s\n' '-Isub @args.rsp' >outer.rsp
gcc @args.rsp && mkdir -p plain && mv 'rsp out.o' plain/rsp.o
"$PROVCC" gcc @args.rsp || die "provcc gcc @args.rsp failed"
"$ELFCMP" -n plain/rsp.o 'rsp out.o' >/dev/null ||
	die "@args.rsp: object differs from the plain one"
"$PROVCC" gcc -g @outer.rsp -Wall || die "provcc gcc @outer.rsp failed"
# docs/format.md: argv has every readable @file replaced by its words
# (nested ones too); responseFiles lists them in order of reading.
pyrun - <<'PY' || die "response files in the record"
import sys, provjson as pj
r = pj.only_record("rsp out.o")
want = ["gcc", "-g", "-Isub", "-O2", "-c", "dep.c", "-o", "rsp out.o",
        "-DFROM_RSP=1", "-Wall"]
if r["argv"] != want:
    sys.exit("argv %r, expected %r" % (r["argv"], want))
got = [f["path"] for f in r["responseFiles"]]
if got != ["outer.rsp", "args.rsp"]:
    sys.exit("responseFiles %r, expected outer.rsp then args.rsp" % got)
for f in r["responseFiles"]:
    pj.check_hash(".", f, "response file")
if r["source"]["path"] != "dep.c" or r["output"] != "rsp out.o":
    sys.exit("source %r output %r" % (r["source"]["path"], r["output"]))
if [i["path"] for i in r["inputs"] if i["path"].endswith(".rsp")]:
    sys.exit("response files listed among the inputs")
PY
ok "@outer.rsp (nesting @args.rsp): argv expanded, both listed with sha256"
"$PROVCC" gcc @args.rsp
pyrun - <<'PY' || die "@args.rsp record"
import sys, provjson as pj
r = pj.only_record("rsp out.o")
want = ["gcc", "-O2", "-c", "dep.c", "-o", "rsp out.o", "-DFROM_RSP=1"]
if r["argv"] != want:
    sys.exit("argv %r, expected %r" % (r["argv"], want))
if [f["path"] for f in r["responseFiles"]] != ["args.rsp"]:
    sys.exit("responseFiles %r" % r["responseFiles"])
pj.check_hash(".", r["responseFiles"][0], "response file")
PY
ok "@args.rsp: argv expanded, responseFiles [args.rsp] with its sha256"
capture missp gcc @missing.rsp -c dep.c -o miss.o
capture missv "$PROVCC" gcc @missing.rsp -c dep.c -o miss.o
expect_status "provcc gcc @missing.rsp" "$missp_rc" "$missv_rc"
same_file "gcc @missing.rsp (stderr)" "$T/missp.err" "$T/missv.err"
ok "an unreadable @file: same status and stderr as gcc"

step "-o anywhere"
clean
mkdir -p plain
n=0
for spec in "first.o|-o first.o -c dep.c" "joined.o|-ojoined.o -c dep.c" \
	"mid.o|-c -o mid.o dep.c" "sub/deep.o|-O1 -o sub/deep.o -g -c dep.c -Wall" \
	"last.o|-c dep.c -DX=1 -o last.o" "dep.o|-c dep.c"; do
	n=$((n + 1))
	out=${spec%%|*}
	form=${spec#*|}
	# shellcheck disable=SC2086
	gcc $form
	mv "$out" plain/o$n.o
	# shellcheck disable=SC2086
	"$PROVCC" gcc $form || die "provcc gcc $form failed"
	[[ -f $out ]] || die "provcc gcc $form did not write $out"
	"$ELFCMP" -n plain/o$n.o "$out" >/dev/null ||
		die "gcc $form: object differs from the plain one"
	pyrun - "$out" <<'PY' || die "gcc $form: record"
import sys, provjson as pj
r = pj.only_record(sys.argv[1])
if r["output"] != sys.argv[1] or r["source"]["path"] != "dep.c":
    sys.exit("output %r source %r" % (r["output"], r["source"]["path"]))
PY
	ok "gcc $form: record of dep.c for $out"
done

step "dependency output requested through the environment"
# (gcc only: clang does not read these variables.)
for var in DEPENDENCIES_OUTPUT SUNPRO_DEPENDENCIES; do
	for cc in gcc g++; do
		clean
		mkdir -p plain
		env "$var=env.d" $cc -c dep.c -o dep.o
		mv env.d plain/env.d
		mv dep.o plain/dep.o
		env "$var=env.d" "$PROVCC" $cc -c dep.c -o dep.o ||
			die "$var provcc $cc failed"
		same_file "$var=env.d $cc: env.d" plain/env.d env.d
		"$ELFCMP" -n plain/dep.o dep.o >/dev/null ||
			die "$var $cc: object differs from the plain one"
		check_record dep.o dep.c trace dep.h sub/inner.h \
			-- '^/usr/include/stdio\.h$' || die "$var $cc: record"
		pyrun - "$var" <<'PY' || die "$var: not in the record's env"
import sys, provjson as pj
env = pj.only_record("dep.o")["env"]
if env.get(sys.argv[1]) != "env.d":
    sys.exit("env %r" % env)
PY
		ok "$var=env.d $cc: env.d identical, record by trace, var recorded"
	done
done
clean

step "all three routes record the same inputs (LANG=C.UTF-8)"
# (gcc here; clang: see routes_agree.sh)
source "$(dirname "$0")/routes_agree.inc"
for cc in gcc g++; do
	routes_agree "$cc" dep.c
done
clean

step "awkward file names (spaces, #, \$, :)"
mkdir -p 'dir with space' 'h#ash' 'd$ollar'
echo '#define A 1' >'dir with space/sp ace.h'
echo '#define B 2' >'h#ash/x#y.h'
echo '#define C 3' >'d$ollar/x$y.h'
echo '#define D 4' >'colon:x.h'
cat >'my src.c' <<'SRC'
#include "dir with space/sp ace.h"
#include "h#ash/x#y.h"
#include "d$ollar/x$y.h"
#include "colon:x.h"
int v(void) { return A + B + C + D; }
SRC
for cc in gcc clang; do
	for deps in "" -MD -MMD; do
		rm -f 'my obj.o' 'my obj.d'
		"$PROVCC" $cc $deps -c 'my src.c' -o 'my obj.o' ||
			die "provcc $cc $deps -c 'my src.c' failed"
		check_record 'my obj.o' 'my src.c' '' 'colon:x.h' \
			'd$ollar/x$y.h' 'dir with space/sp ace.h' 'h#ash/x#y.h' ||
			die "$cc $deps: awkward names"
		ok "$cc ${deps:-(no option)}: all four headers recorded"
	done
done

step "no temporary files left"
left=$(find "$T/ptmp" -mindepth 1 | head -5)
[[ -z $left ]] || die "left in TMPDIR: $left"
left=$(find "$W" -name '*provcc*' | head -5)
[[ -z $left ]] || die "left in the build directory: $left"
ok "TMPDIR and the build directory are clean"
