#!/bin/bash
# link.recipe - run the standard-tools recipe of docs/verify.md
# (section 3, the block after "<!-- verify-recipe -->") on signed
# binaries: Ed25519 and ECDSA verify, a patched file gives 7, another
# key 1.  So the documentation is proven, not just written.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[[ -n ${DOCDIR:-} ]] || die "DOCDIR is not set"

awk '/<!-- verify-recipe -->/ { on = 1; next }
    on && /^```sh$/ { body = 1; next }
    body && /^```$/ { exit }
    body { print }' "$DOCDIR/verify.md" >"$T/recipe.sh"
[[ $(wc -l <"$T/recipe.sh") -gt 20 ]] || die "no recipe in verify.md"

keys
build_linked hello "" -O2 -g
cp "$T/hello" "$T/hello-ec"
"$PROVCC" sign --key "$T/ed" "$T/hello"
"$PROVCC" sign --key "$T/ec" "$T/hello-ec"
cp "$T/hello" "$T/patched"
patch "$T/patched" "$(($(section_off "$T/hello" .text) + 1))"

# run_recipe WANT FILE PUB [GREP]
run_recipe() {
	local rc=0 dir
	dir=$(mktemp -d "$T/run.XXXX")
	(cd "$dir" && FILE=$2 PUB=$3 RECIPE=$ELFDIGEST/recipe.sh \
	    bash "$T/recipe.sh") >"$dir/out" 2>&1 || rc=$?
	if [[ $rc -ne $1 ]] || { [[ -n ${4:-} ]] && ! grep -q "$4" "$dir/out"; }
	then
		cat "$dir/out" >&2
		die "recipe on $2: exit $rc, expected $1 ${4:+/$4/}"
	fi
	ok "recipe on $(basename "$2"): $1 $(tr '\n' ' ' <"$dir/out")"
}
run_recipe 0 "$T/hello" "$T/ed.pub" 'Signature Verified Successfully'
run_recipe 0 "$T/hello-ec" "$T/ec.pub" 'Verified OK'
run_recipe 7 "$T/patched" "$T/ed.pub" 'content changed'
run_recipe 1 "$T/hello" "$T/ec.pub" 'another key'
strip "$T/hello"
run_recipe 0 "$T/hello" "$T/ed.pub" 'Signature Verified Successfully'

# The same on a program linked, and signed, by provcc itself.
mkdir -p "$T/real"
printf 'int main(void) { return 0; }\n' >"$T/real/m.c"
(cd "$T/real" && git init -q . && "$PROVCC" gcc -O2 -c m.c -o m.o &&
    PROVCC_KEY=$T/ed "$PROVCC" gcc -o real m.o) || die "provcc link failed"
run_recipe 0 "$T/real/real" "$T/ed.pub" 'Signature Verified Successfully'
