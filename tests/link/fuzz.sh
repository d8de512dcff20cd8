#!/bin/bash
# link.fuzz - test_linkfuzz on freshly signed binaries (one per key type):
# truncations and bit flips never crash and never verify.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[[ -n ${LINKFUZZ:-} ]] || die "LINKFUZZ is not set"

keys
build_linked hello "" -O2 -g
cp "$T/hello" "$T/hello-ec"
"$PROVCC" sign --key "$T/ed" "$T/hello"
"$PROVCC" sign --key "$T/ec" "$T/hello-ec"
"$LINKFUZZ" "$T/hello" "$T/ed" "$T/ed.pub" | tail -3
"$LINKFUZZ" "$T/hello-ec" "$T/ec" "$T/ec.pub" | tail -3
ok "fuzzed Ed25519 and ECDSA binaries"
