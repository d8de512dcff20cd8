#!/bin/bash
# build_caches.sh - provcc with ccache and distcc, in each order:
#   provcc ccache gcc      provcc in front of ccache (recommended)
#   provcc distcc gcc      provcc in front of distcc, compiling remotely
#   ccache provcc          CMake's CMAKE_<LANG>_COMPILER_LAUNCHER=ccache
#                          with CC=provcc
# Each builds the multi fixture twice with a private cache: the second
# build is served by ccache (every compile a hit), and gives the same
# objects, byte for byte, and the same complete records as the first.
set -euo pipefail
if ! command -v ccache >/dev/null; then
	echo "build_caches: SKIP: ccache is not installed (scripts/install-deps.sh --test)"
	exit 77
fi
source "$(dirname "$0")/lib.sh"

unset CCACHE_PREFIX CCACHE_DISABLE CCACHE_RECACHE CCACHE_READONLY \
	CCACHE_NODIRECT CCACHE_DEPEND CCACHE_BASEDIR DISTCC_HOSTS
export CCACHE_CONFIGPATH=$T/ccache.conf CCACHE_DIR=$T/ccache
: >"$CCACHE_CONFIGPATH"
CCACHE_REAL=$(readlink -f "$(command -v ccache)")
M=$T/multi
OBJS="src/main.o src/strops.o src/counter.o src/util/checksum.o src/words.o
src/join.o"
NOBJ=6

# stat NAME: a counter of `ccache --print-stats`.
stat() {
	ccache --print-stats | awk -v k="$1" '$1 == k { print $2 }'
}

hits() {
	echo $(($(stat direct_cache_hit) + $(stat preprocessed_cache_hit)))
}

# keep DIR OBJ...: copy each object and its record (provcc show --json)
# into DIR.
keep() {
	local dir=$1 o
	shift
	mkdir -p "$dir"
	for o in "$@"; do
		cp "$o" "$dir/$(basename "$o")"
		"$PROVCC" show --json "$o" >"$dir/$(basename "$o").json" ||
			die "provcc show $o"
	done
}

# same_build WHAT A B: the objects and records kept in A and B are equal.
same_build() {
	local f
	for f in "$2"/*; do
		same_file "$1: $(basename "$f")" "$f" "$3/$(basename "$f")"
	done
	ok "$1: objects byte-identical, records equal"
}

# check_launcher LAUNCHER-REAL-PATH OBJ...: each record names it.
check_launcher() {
	pyrun - "$@" <<'PY' || die "launcher not recorded"
import sys, provjson as pj
want = sys.argv[1]
for o in sys.argv[2:]:
    tc = pj.only_record(o)["toolchain"]
    got = tc.get("launcher", {}).get("path")
    if got != want:
        sys.exit("%s: launcher %r, expected %r" % (o, got, want))
    pj.check_hash(".", tc["launcher"], o + ": launcher")
    if not tc["programs"]:
        sys.exit("%s: no programs recorded" % o)
PY
}

# make_twice TAG CC CXX: build the fixture's objects twice through the
# Makefile, keeping each build's objects and records.
make_twice() {
	local tag=$1 i
	for i in 1 2; do
		make -C "$M" -s clean >/dev/null
		make -C "$M" -s objects CC="$2" CXX="$3" >"$T/$tag$i.log" 2>&1 || {
			cat "$T/$tag$i.log" >&2
			die "$tag: build $i failed"
		}
		(cd "$M" && keep "$T/$tag$i" $OBJS)
		[[ $i == 1 ]] && hits1=$(hits)
	done
	hits2=$(hits)
}

check_fixture() {
	(cd "$M" && pyrun -m provjson check-fixture . --driver "$GCC_REAL" \
		--driver-cxx "$GXX_REAL" --program '/cc1$' \
		--program-cxx '/cc1plus$' --program '/[^/]*as$' "$@") ||
		die "records incomplete"
}

# like_plain TAG CC CXX: the objects of build TAG are those CC and CXX
# make without provcc, but for provcc's note.
like_plain() {
	local o
	make -C "$M" -s clean >/dev/null
	make -C "$M" -s objects CC="$2" CXX="$3" >/dev/null ||
		die "$1: plain build failed"
	for o in $OBJS; do
		"$ELFCMP" -n "$M/$o" "$T/${1}1/$(basename "$o")" >/dev/null ||
			die "$1: $o differs from the one $2 makes"
	done
	ok "$1: objects are those of '$2', note added"
}

copy_fixture multi "$M"
export PROVCC_ROOT=$M

step "provcc ccache gcc: provcc in front of ccache"
ccache -z >/dev/null
make_twice front "$PROVCC ccache gcc" "$PROVCC ccache g++"
[[ $hits1 -eq 0 && $((hits2 - hits1)) -eq $NOBJ ]] ||
	die "ccache hits: $hits1 after the first build, $hits2 after the second; expected 0 and $NOBJ"
ok "first build: $(stat cache_miss) misses; second build: $((hits2 - hits1)) hits of $NOBJ compiles"
same_build "ccache miss and hit" "$T/front1" "$T/front2"
check_fixture --method depfile
(cd "$M" && check_launcher "$CCACHE_REAL" $OBJS)
ok "records complete, naming gcc as the driver and ccache as the launcher"
like_plain front gcc g++

step "provcc ccache gcc -MMD: the trace route runs gcc without ccache"
calls=$(stat cache_miss)
rm -f "$M/src/strops.o" "$M/src/strops.d"
(cd "$M" && "$PROVCC" ccache gcc -Iinclude -O2 -MMD -c src/strops.c \
	-o src/strops.o) || die "-MMD compile failed"
[[ $(stat cache_miss) -eq $calls && $(hits) -eq $hits2 ]] ||
	die "ccache ran for a compile provcc traces"
(cd "$M" && pyrun - <<'PY') || die "-MMD record"
import provjson as pj
r = pj.only_record("src/strops.o")
if "launcher" in r["toolchain"] or r["headerMethod"] != "trace":
    pj.fail("expected a traced compile without launcher: %r" % r["toolchain"])
if not any(p.endswith("/string.h") for p in pj.input_paths(r)):
    pj.fail("system headers missing")
PY
ok "-MMD: traced directly, system headers recorded"

step "CMAKE_C_COMPILER_LAUNCHER=ccache, CC=provcc: ccache in front of provcc"
if command -v cmake >/dev/null; then
	mkdir -p "$T/bin"
	ln -s "$PROVCC" "$T/bin/provcc++"
	rm -rf "$M/build"
	ccache -C -z >/dev/null
	CC=$PROVCC CXX=$T/bin/provcc++ cmake -S "$M" -B "$M/build" \
		-DCMAKE_C_COMPILER_LAUNCHER=ccache \
		-DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
		-DCMAKE_BUILD_TYPE=Release >"$T/cmake.log" 2>&1 || {
		cat "$T/cmake.log" >&2
		die "cmake configure failed"
	}
	COBJS=$(cd "$M/build" && find CMakeFiles -name '*.o' -path '*/src/*' |
		sort)
	for i in 1 2; do
		cmake --build "$M/build" --target clean >/dev/null
		cmake --build "$M/build" -j2 >"$T/cmake$i.log" 2>&1 || {
			cat "$T/cmake$i.log" >&2
			die "cmake build $i failed"
		}
		[[ $i == 1 ]] && COBJS=$(cd "$M/build" &&
			find CMakeFiles -name '*.o' -path '*/src/*' | sort)
		(cd "$M/build" && keep "$T/behind$i" $COBJS)
		[[ $i == 1 ]] && hits1=$(hits)
	done
	hits2=$(hits)
	[[ $hits1 -eq 0 && $((hits2 - hits1)) -eq $NOBJ ]] ||
		die "ccache hits: $hits1, then $hits2; expected 0 and $NOBJ"
	ok "first build: $(stat cache_miss) misses; second build: $((hits2 - hits1)) hits of $NOBJ compiles"
	same_build "ccache miss and hit" "$T/behind1" "$T/behind2"
	pyrun -m provjson check-cmake "$M" build --method user-depfile ||
		die "records incomplete"
	ok "records complete (ccache's hit returns the object provcc recorded)"
else
	step "no cmake: skipped"
fi

step "provcc distcc gcc: provcc in front of distcc"
if ! command -v distcc >/dev/null || ! command -v distccd >/dev/null; then
	step "distcc is not installed: skipped"
	exit 0
fi
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# As root distccd runs as nobody, which may not enter $T: its temporary
# files go to /tmp.
user=()
[[ $(id -u) -eq 0 ]] && user=(--user nobody)
TMPDIR=/tmp distccd --daemon --no-detach --allow 127.0.0.1 --listen 127.0.0.1 \
	--port "$PORT" --log-stderr --log-level info "${user[@]}" \
	2>"$T/distccd.log" &
DISTCCD=$!
stop_distccd() {
	local rc=$?
	kill "$DISTCCD" 2>/dev/null || true
	wait "$DISTCCD" 2>/dev/null || true
	# _common_cleanup reports by the status it sees in $?
	if (exit "$rc"); then _common_cleanup; else _common_cleanup; fi
}
trap stop_distccd EXIT
for _ in $(seq 50); do
	"$PY" -c "import socket; socket.create_connection(('127.0.0.1', $PORT))" \
		2>/dev/null && break
	sleep 0.1
done
kill -0 $DISTCCD 2>/dev/null || {
	cat "$T/distccd.log" >&2
	step "distccd did not start: skipped"
	exit 0
}
# No fallback: a compile distccd did not do fails the build.
export DISTCC_HOSTS=127.0.0.1:$PORT/2 DISTCC_FALLBACK=0 DISTCC_DIR=$T/distcc
mkdir -p "$DISTCC_DIR"
make_twice distcc "$PROVCC distcc gcc" "$PROVCC distcc g++"
remote=$(grep -c 'COMPILE_OK' "$T/distccd.log" || true)
[[ $remote -eq $((2 * NOBJ)) ]] ||
	die "distccd compiled $remote times, expected $((2 * NOBJ))"
ok "distccd did all $remote compiles"
same_build "two distcc builds" "$T/distcc1" "$T/distcc2"
check_fixture --method depfile
(cd "$M" && check_launcher "$(readlink -f "$(command -v distcc)")" $OBJS)
ok "records complete: local headers, gcc as the driver, distcc as the launcher"
like_plain distcc "distcc gcc" "distcc g++"
