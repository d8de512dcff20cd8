#!/bin/bash
# routes_agree.sh - with clang, the three ways provcc finds the inputs
# (depfile, user-depfile, trace) must record the same files for the
# same compile.  (depfiles.sh checks gcc and g++.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/routes_agree.inc"

[[ -n $CLANG ]] || { step "clang not installed, skipped"; exit 0; }
W=$T/work
mkdir -p "$W"
cd "$W"
export PROVCC_ROOT=$W
printf '#include <stdio.h>\n#include "r.h"\nint main(void) { puts(R); return 0; }\n' >r.c
cp r.c r.cpp
echo '#define R "r"' >r.h
routes_agree clang r.c
routes_agree clang++ r.cpp
