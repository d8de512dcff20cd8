#!/bin/bash
# show_note_header.sh - a .note.provcc.compile section whose note header
# is damaged (descsz running past the section) is a malformed note
# (exit 4), not an object without provenance (exit 1).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

cd "$T"
echo 'int f(void) { return 3; }' >f.c
"$PROVCC" gcc -c f.c -o f.o
for descsz in ffffff7f 00100000; do
	cp f.o bad.o
	pyrun -m elfpatch bad.o put .note.provcc.compile 4 "$descsz"
	capture sh "$PROVCC" show bad.o
	if [[ $sh_rc -ne 4 ]]; then
		cat "$T/sh.err" >&2
		die "descsz=0x$descsz: provcc show exit $sh_rc, expected 4"
	fi
	ok "descsz=0x$descsz: exit 4, $(cat "$T/sh.err")"
done
