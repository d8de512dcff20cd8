#!/bin/bash
# common_probe.sh LINKER - an archive member that only declares a common
# symbol the program also has as common is not linked; the manifest must
# not list it.
#
# ld.bfd fails this: to decide whether a member defines a symbol that is
# common so far, it opens the member (elf_link_is_defined_archive_symbol),
# and that offers the member to the claim-file hook although the member
# is then not included.  gold does not probe.  (plugin/README.md, gaps.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

cat >cmain.c <<'EOF2'
int cvar;
int main(void) { return cvar; }
EOF2
cat >cmem.c <<'EOF2'
int cvar;
int cmem_other(void) { return 1; }
EOF2
gcc -fcommon -c cmain.c
gcc -fcommon -c cmem.c
rm -f libcommon.a
ar rcs libcommon.a cmem.o
plink m.json gcc prog cmain.o -L. -lcommon
[[ $plink_rc -eq 0 ]] || die "link failed"
out_has cmem_other nm prog && die "cmem.o was linked (test premise)"
mcheck lacks m.json cmem.o
ok "a probed, unused member is not listed"
