#!/bin/bash
# programs.sh - the toolchain programs a record names are the files that
# really ran, by their real paths: whether the driver is given by a
# relative path, through a symbolic link, or is a script that runs gcc.
# (The trace library reports each process by the path it was executed
# by; provcc resolves the links.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

AS_REAL=$(readlink -f "$(command -v as)")
mkdir -p "$T/w/tools"
cd "$T/w"
printf '#include <stdio.h>\nint f(void) { return puts("x"); }\n' >x.c

# programs OBJECT: the recorded programs, one per line.
programs() {
	pyrun -c '
import sys, provjson as pj
for p in pj.only_record(sys.argv[1])["toolchain"]["programs"]:
    print(p["path"])' "$1"
}

# check NAME OBJECT DRIVER EXPECTED-PROGRAM...: the driver is DRIVER, each
# expected program is named, and every program is its own real path.
check() {
	local name=$1 obj=$2 driver=$3 p got
	shift 3
	got=$(pyrun -c '
import sys, provjson as pj
print(pj.only_record(sys.argv[1])["toolchain"]["driver"]["path"])' "$obj")
	[[ $got == "$driver" ]] || die "$name: driver $got, expected $driver"
	got=$(programs "$obj")
	for p in "$@"; do
		grep -qxF "$p" <<<"$got" ||
			die "$name: $p not among the programs: $got"
	done
	while read -r p; do
		[[ $p == /* && $(readlink -f "$p") == "$p" ]] ||
			die "$name: program $p is not a real path"
		[[ $p != "$driver" ]] || die "$name: the driver is among the programs"
	done <<<"$got"
	ok "$name: the programs are named by their real paths"
}

step "a driver through a relative symbolic link"
ln -s "$GCC" tools/lgcc
"$PROVCC" tools/lgcc -c x.c -o rel.o
check relative rel.o "$GCC_REAL" "$(dirname "$(gcc -print-prog-name=cc1)")/cc1" \
	"$AS_REAL"

step "a driver that is a script running gcc"
cat >tools/mycc <<EOF
#!/bin/sh
exec $GCC "\$@"
EOF
chmod +x tools/mycc
"$PROVCC" ./tools/mycc -c x.c -o script.o
check script script.o "$T/w/tools/mycc" "$GCC_REAL" "$AS_REAL"
# The script's interpreter is not a program of the compile; the file
# executed, the script, is the driver.
sh_real=$(readlink -f /bin/sh)
got=$(programs script.o)
! grep -qxF "$sh_real" <<<"$got" ||
	die "script: the shell $sh_real is listed as a program"
ok "script: the script is the driver, its shell is not a program"

step "a program that is a relative path in the compiler's own directory"
# gcc -B with a relative directory runs the assembler found there by a
# relative path.
ln -s "$AS_REAL" tools/as
"$PROVCC" gcc -Btools/ -c x.c -o b.o
check relative-B b.o "$GCC_REAL" "$AS_REAL"
