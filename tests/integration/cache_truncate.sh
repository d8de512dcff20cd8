#!/bin/bash
# cache_truncate.sh - a compile that mapped the hash cache must survive
# another provcc starting the cache afresh (truncating it past its size
# limit) while the first compile runs: in a parallel build that happens
# whenever the cache crosses the limit.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W"
cd "$W"
printf '#include <stdio.h>\nint main(void) { puts("a"); return 0; }\n' >a.c
cp a.c b.c
cat >"$T/slow-cc" <<'SRC'
#!/bin/bash
# the real compiler, after the cache has been truncated under us
while [[ ! -e $GO_FILE ]]; do sleep 0.1; done
exec gcc "$@"
SRC
chmod +x "$T/slow-cc"
cache=$PROVCC_CACHE_DIR/hashes-v1
limit=$((1 << 20))	# the size past which provcc starts afresh
# A cache just under the limit, full of records (their contents do not
# matter: they are indexed all the same).
head -c $((limit - 88 * 4)) /dev/urandom >"$cache"

export GO_FILE=$T/go
"$PROVCC" "$T/slow-cc" -c a.c -o a.o &
apid=$!
sleep 1			# A has mapped the cache and runs the compiler
head -c $((88 * 8)) /dev/urandom >>"$cache"	# others appended: past it
"$PROVCC" gcc -c b.c -o b.o || die "the second compile failed"
[[ $(stat -c %s "$cache") -lt $limit ]] ||
	die "test assumption: the second provcc did not start the cache afresh"
touch "$GO_FILE"
rc=0
wait "$apid" || rc=$?
[[ $rc -eq 0 ]] || die "the first compile ended with status $rc" \
	"($( ((rc > 128)) && kill -l $((rc - 128)) ))"
has_note a.o || die "a.o has no note"
ok "the first compile finished normally and recorded a.o"
