# shellcheck shell=sh disable=SC2154,SC2317
# lib.sh - helpers shared by the real-world tests (zlib.sh, matrix.sh).
# POSIX sh; source it after setting NOTE (the compile note's section
# name) and work (a scratch directory).  The caller defines say().

# rw_setup_compare: define same PLAIN PROVCC (true when the two objects
# are equal section for section apart from $NOTE) and explain (why the
# last same failed).  With ELFCMP (tests/tools/elfcmp) set and executable
# it compares; otherwise objcopy does.
rw_setup_compare() {
	if [ -n "${ELFCMP:-}" ] && [ -x "$ELFCMP" ]; then
		say "comparing with elfcmp ($ELFCMP)"
		same() { "$ELFCMP" "$1" "$2" >"$work/cmp.out" 2>&1; }
		explain() { cat "$work/cmp.out"; }
	else
		say "comparing with objcopy (ELFCMP unset or missing)"
		# objcopy rewrites an object from its sections (fresh layout,
		# fresh section name table), so the plain object and the
		# provcc object minus the note come out byte-identical exactly
		# when their sections, headers and symbols are the same.
		same() {
			objcopy "$1" "$work/a.o" 2>"$work/cmp.out" &&
			objcopy --remove-section="$NOTE" "$2" "$work/b.o" \
			    2>>"$work/cmp.out" &&
			cmp -s "$work/a.o" "$work/b.o"
		}
		explain() {
			cat "$work/cmp.out"
			readelf -S -W "$work/a.o" >"$work/a.sec" 2>&1
			readelf -S -W "$work/b.o" >"$work/b.sec" 2>&1
			diff "$work/a.sec" "$work/b.sec" || true
			n=$(readelf -h "$work/a.o" |
			    awk '/Number of section headers/ {print $NF}')
			i=1
			while [ "$i" -lt "${n:-0}" ]; do
				readelf -x "$i" "$work/a.o" >"$work/a.x" 2>&1
				readelf -x "$i" "$work/b.o" >"$work/b.x" 2>&1
				cmp -s "$work/a.x" "$work/b.x" ||
					echo "  section [$i] differs"
				i=$((i + 1))
			done
		}
	fi
}

# rw_elf_type FILE: REL, EXEC or DYN for an ELF file, nothing otherwise
# (scripts, data, libtool's wrapper scripts).
rw_elf_type() {
	[ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = "177ELF" ] ||
		return 0
	readelf -h "$1" 2>/dev/null |
	    awk '$1 == "Type:" { print $2; exit }'
}

# rw_elf_files DIR: the ELF files of a built tree, as "TYPE PATH" lines
# sorted by path.  CMake's probes (compiler identification, try_compile,
# check_type_size: whatever is under CMakeFiles/ but not in a target's
# CMakeFiles/T.dir/) are built without provcc on purpose and left out.
rw_elf_files() {
	(cd "$1" && find . -type f \( ! -path '*/CMakeFiles/*' -o \
	    -path '*/CMakeFiles/*.dir/*' \) | sort |
	    while read -r f; do
		t=$(rw_elf_type "$f")
		if [[ -n $t ]]; then echo "$t ${f#./}"; fi
	done)
}
