#!/bin/bash
# output_symlink.sh - when the -o path is a symbolic link, the compiler
# writes through it; provcc must leave the link a link and put its note
# in the object the link points to.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W=$T/work
mkdir -p "$W/objs"
cd "$W"
echo 'int f(void) { return 3; }' >f.c
ln -s objs/f.o f.o
gcc -c f.c -o f.o
[[ -L f.o && -f objs/f.o ]] || die "gcc does not write through the link"
rm objs/f.o
"$PROVCC" gcc -c f.c -o f.o || die "provcc gcc -c f.c -o f.o failed"
[[ -L f.o ]] || die "provcc replaced the symbolic link f.o by a file"
has_note objs/f.o || die "objs/f.o (the link's target) has no note"
ok "f.o is still a link; objs/f.o carries the note"
