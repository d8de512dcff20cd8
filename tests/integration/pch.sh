#!/bin/bash
# pch.sh - a compile that uses a GCC precompiled header reads it (and
# through it the header's contents): the record must list it whichever
# way provcc finds the inputs.  gcc's own dependency output omits it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W"
cd "$W"
export PROVCC_ROOT=$W
echo '#define PCH_VALUE 5' >pch.h
printf '#include "pch.h"\nint v(void) { return PCH_VALUE; }\n' >use.c
gcc -x c-header pch.h -o pch.h.gch
echo '#error the precompiled header must be used' >pch.h.real
# With the .gch in place gcc never opens pch.h; prove it by breaking it.
cp pch.h pch.h.orig
cp pch.h.real pch.h
gcc -c use.c -o plain.o || die "gcc did not use pch.h.gch (test assumption)"

failed=()
for deps in "" "-MD" "-MMD"; do
	rm -f use.o
	"$PROVCC" gcc $deps -c use.c -o use.o ||
		die "provcc gcc $deps -c use.c failed"
	if pyrun - "${deps:-none}" <<'PY'; then
import sys, provjson as pj
r = pj.only_record("use.o")
inputs = pj.input_paths(r)
if "pch.h.gch" not in inputs:
    sys.exit("%s (%s): inputs %r lack pch.h.gch"
             % (sys.argv[1], r["headerMethod"],
                [i for i in inputs if not i.startswith("/")]))
PY
		ok "gcc ${deps:-(no dependency option)}: pch.h.gch recorded"
	else
		failed+=("${deps:-(none)}")
	fi
done
[[ ${#failed[@]} -eq 0 ]] || die "pch.h.gch not recorded with: ${failed[*]}"
