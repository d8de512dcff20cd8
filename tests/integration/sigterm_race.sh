#!/bin/bash
# sigterm_race.sh - a SIGTERM sent to provcc at any time after it has
# started the compiler is forwarded to it: provcc and the compiler die
# of it (143), even when it comes the moment the compiler has started.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

cd "$T"
echo 'int f(void) { return 1; }' >f.c
cat >"$T/sleep-cc" <<'SRC'
#!/bin/bash
echo $$ >"$SLEEP_PIDFILE"
exec sleep 3
SRC
chmod +x "$T/sleep-cc"
export SLEEP_PIDFILE=$T/pid
results=()
for _ in $(seq 40); do
	rm -f "$SLEEP_PIDFILE"
	"$PROVCC" "$T/sleep-cc" -c f.c -o f.o 2>/dev/null &
	ppid=$!
	# The compiler runs once it has written its pid: signal at once.
	while [[ ! -s $SLEEP_PIDFILE ]]; do :; done
	kill -TERM "$ppid"
	rc=0
	wait "$ppid" || rc=$?
	results+=("$rc")
done
lost=0
for rc in "${results[@]}"; do
	[[ $rc -eq 143 ]] || lost=$((lost + 1))
done
[[ $lost -eq 0 ]] || die "SIGTERM lost in $lost of ${#results[@]} runs" \
	"(statuses: ${results[*]})"
ok "SIGTERM forwarded in all ${#results[@]} runs"
