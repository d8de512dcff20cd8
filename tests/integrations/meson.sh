#!/bin/bash
# The Meson native file of the build tree
# (share/provcc/meson/provcc-native.ini): a project with a C++ static
# library, a C program and a C++ program using it, configured with
# --native-file and built with ninja.  Every object has its record,
# every program a signed note, and runs.  Skipped without meson.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v meson >/dev/null || skip "meson not installed"
command -v ninja >/dev/null || skip "ninja not installed"
NATIVE=$B/share/provcc/meson/provcc-native.ini
grep -qF "c = ['$B/bin/provcc', 'cc']" "$NATIVE" ||
	die "$NATIVE does not name $B/bin/provcc"
make_key
src=$T/proj
mkdir -p "$src"
cat >"$src/meson.build" <<'MEOF'
project('m', 'c', 'cpp')
lib = static_library('greet', 'greet.cpp')
executable('hello_c', 'main.c', link_with: lib)
executable('hello_cpp', 'main.cpp', link_with: lib)
MEOF
cat >"$src/greet.cpp" <<'SEOF'
#include <string>
extern "C" const char *greet(void) { static std::string s = "hello"; return s.c_str(); }
SEOF
cat >"$src/main.c" <<'SEOF'
#include <stdio.h>
const char *greet(void);
int main(void) { printf("%s c\n", greet()); return 0; }
SEOF
cat >"$src/main.cpp" <<'SEOF'
#include <iostream>
extern "C" const char *greet(void);
int main() { std::cout << greet() << " c++\n"; return 0; }
SEOF

step "meson setup --native-file provcc-native.ini; ninja"
export PROVCC_ROOT=$src
logged setup meson setup --native-file "$NATIVE" "$src/build" "$src"
grep -Eq "C compiler for the host machine: $B/bin/provcc cc" "$T/setup.log" ||
	die "meson does not use provcc for C"
grep -Eq "C\+\+ compiler for the host machine: $B/bin/provcc c\+\+" \
	"$T/setup.log" || die "meson does not use provcc for C++"
logged build env PROVCC_KEY="$T/key.pem" ninja -C "$src/build"
cd "$src/build"
for o in libgreet.a.p/greet.cpp.o hello_c.p/main.c.o hello_cpp.p/main.cpp.o; do
	expect_record "$o"
done
s=$(pyrun -m provjson summary libgreet.a) || die "libgreet.a: no record"
[[ $s == "libgreet.a(libgreet.a.p/greet.cpp.o): greet.cpp -> "* ]] ||
	die "libgreet.a: $s"
expect_signed hello_c 2
expect_signed hello_cpp 2
[[ $(./hello_c) == "hello c" ]] || die "hello_c does not run"
[[ $(./hello_cpp) == "hello c++" ]] || die "hello_cpp does not run"
ok "records; both programs carry verified notes and run"
