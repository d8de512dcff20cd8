#!/bin/bash
# link_failure.sh LINKER - a failing link (undefined reference, missing
# library) fails the same with the plugin: same exit status, same
# messages; the plugin's own problems (no out=, unwritable manifest,
# unknown option) never fail a link, even with --fatal-warnings.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

write_sources
cat >undef.c <<'EOF2'
int nowhere(void);
int main(void) { return nowhere(); }
EOF2
for drv in "${DRIVERS[@]}"; do
	cc=$drv
	[[ $drv == g++ ]] && cc=gcc
	build_parts "$cc" -O2
	"$cc" -c undef.c -o undef.o

	step "$drv -fuse-ld=$LINKER: undefined reference"
	plink m.json "$drv" bad undef.o -L. -lparts
	[[ $plink_rc -ne 0 ]] || die "the link should fail"
	cmp -s "$T/plain.err" "$T/plugin.err" || {
		diff -u "$T/plain.err" "$T/plugin.err" >&2
		die "messages differ with the plugin"
	}
	grep -q "undefined reference" "$T/plugin.err" ||
	    die "no undefined-reference message"
	[[ ! -e bad ]] || die "an output was left behind"
	ok "$drv: status $plink_rc and messages unchanged"

	step "$drv -fuse-ld=$LINKER: missing library"
	plink m.json "$drv" bad main.o helper.o -lnot_there_at_all
	[[ $plink_rc -ne 0 ]] || die "the link should fail"
	cmp -s "$T/plain.err" "$T/plugin.err" || {
		diff -u "$T/plain.err" "$T/plugin.err" >&2
		die "messages differ with the plugin"
	}
	ok "$drv: status $plink_rc and messages unchanged"

	step "$drv -fuse-ld=$LINKER: the plugin's own problems"
	for opts in "" ",-plugin-opt=out=$W/no/such/dir/m.json" \
	    ",-plugin-opt=bogus,-plugin-opt=out=$W/m3.json"; do
		rc=0
		"$drv" -fuse-ld="$LINKER" main.o helper.o -L. -lparts -o prog \
		    -Wl,--fatal-warnings -Wl,-plugin,"$PLUGIN$opts" \
		    >"$T/p.out" 2>"$T/p.err" || rc=$?
		[[ $rc -eq 0 ]] || {
			cat "$T/p.err" >&2
			die "plugin options '$opts': link failed ($rc)"
		}
		[[ ! -s $T/p.out ]] || die "plugin options '$opts': stdout"
		grep -q '^provcc-ld: warning: ' "$T/p.err" ||
		    die "plugin options '$opts': no warning"
	done
	mcheck valid m3.json
	ok "$drv: warnings on stderr, links succeed under --fatal-warnings"
done
