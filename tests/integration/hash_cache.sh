#!/bin/bash
# hash_cache.sh - the hash cache never makes a record wrong: a warm cache
# gives the same records as none, a file changed behind the cache's back
# (same size, mtime put back) is hashed anew, parallel compiles share the
# cache safely, and a damaged cache file is survived.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W/inc"
cd "$W"
export PROVCC_ROOT=$W
N=24
for i in $(seq $N); do
	printf '#include <stdio.h>\n#include <string.h>\n#include "h%d.h"\nint f%d(void) { return H%d + (int)strlen("x"); }\n' \
		"$i" "$i" "$i" >s$i.c
	echo "#define H$i $i" >inc/h$i.h
done
# Files changed in the last 2 s (mtime or ctime) are not cached: let
# them age, so that the warm builds below really read the cache.
touch -d '2020-01-01 00:00:00' ./*.c inc/*.h
sleep 3

# check_all: every record's hashes are those of the files now.
check_all() {
	pyrun - "$N" <<'PY' || die "$1: wrong hashes in the records"
import sys, provjson as pj
n = int(sys.argv[1])
for i in range(1, n + 1):
    r = pj.only_record("s%d.o" % i)
    pj.check_hash(".", r["source"], "s%d.o source" % i)
    for f in r["inputs"]:
        pj.check_hash(".", f, "s%d.o input" % i)
    if "inc/h%d.h" % i not in pj.input_paths(r):
        sys.exit("s%d.o: inc/h%d.h not recorded" % (i, i))
PY
	ok "$1: all $N records carry the files' current hashes"
}

# build_all: compile the N sources, 8 at a time, through provcc.
build_all() {
	rm -f ./*.o
	printf '%s\n' $(seq $N) | xargs -P 8 -I{} \
		"$PROVCC" gcc -Iinc -c s{}.c -o s{}.o ||
		die "parallel compiles failed"
}

step "cold cache, 8 compiles in parallel"
build_all
check_all "cold"
[[ -s $PROVCC_CACHE_DIR/hashes-v1 ]] || die "no hash cache was written"
for i in $(seq $N); do cp s$i.o s$i.cold; done

step "warm cache"
build_all
check_all "warm"
for i in $(seq $N); do
	cmp -s s$i.o s$i.cold || die "s$i.o differs between cold and warm cache"
done
ok "warm cache: byte-identical objects"

step "a header changed behind the cache's back"
for i in 1 2 3; do
	echo "#define H$i $((i + 100))" >inc/h$i.h.new
	# Same length as before? pad so that only the content differs.
	printf '%-*s\n' $(($(wc -c <inc/h$i.h) - 1)) "#define H$i 9" \
		>inc/h$i.h.new
	[[ $(wc -c <inc/h$i.h.new) -eq $(wc -c <inc/h$i.h) ]] ||
		die "could not keep the size of inc/h$i.h"
	cat inc/h$i.h.new >inc/h$i.h	# same inode
	rm inc/h$i.h.new
	touch -d '2020-01-01 00:00:00' inc/h$i.h	# same mtime
done
sleep 3		# and old enough to be cached again
build_all
check_all "after same-size changes with mtime restored"

step "a damaged cache file"
cache=$PROVCC_CACHE_DIR/hashes-v1
size=$(stat -c %s "$cache")
"$PY" - "$cache" <<'PY'
import sys
p = sys.argv[1]
d = bytearray(open(p, "rb").read())
# flip a byte in the hash of every record (88-byte records, hash at 48)
for off in range(48, len(d), 88):
    d[off] ^= 0x5a
open(p, "wb").write(d)
PY
build_all
check_all "with every cached hash damaged"
printf 'garbage' >>"$cache"	# a torn record at the end
head -c 1000 /dev/urandom >>"$cache"
build_all
check_all "with a torn record and garbage appended"
: >"$cache"
build_all
check_all "with an empty cache file"
echo "not a directory" >"$T/cachefile"
PROVCC_CACHE_DIR=$T/cachefile build_all
check_all "with PROVCC_CACHE_DIR naming a file"
