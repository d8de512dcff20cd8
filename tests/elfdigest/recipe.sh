#!/bin/bash
# recipe.sh FILE [OFF:LEN ...] - the provcc ELF digest (docs/elf-digest.md
# section 3) with standard tools only: bash, od, dd, head, sort, tr, sed,
# wc and sha256sum.  Prints the digest in hex; a refused file: exit 2.
# Numbers in OFF:LEN may be decimal or 0x-prefixed.  Offsets and sizes
# must stay below 2^63 (bash arithmetic), which any real file does.
set -euo pipefail
export LC_ALL=C

f=$1
shift
ranges=("$@")
refuse() { echo "recipe.sh: $f: $*" >&2; exit 2; }

S=$(wc -c < "$f")
[ "$S" -ge 16 ] || refuse "not an ELF file"
[ "$(od -An -tx1 -N4 "$f" | tr -d ' \n')" = 7f454c46 ] ||
    refuse "not an ELF file"
byte() { od -An -tu1 -j"$1" -N1 "$f" | tr -d ' \n'; }
class=$(byte 4) data=$(byte 5) version=$(byte 6)
case $data in
1) endian=little ;;
2) endian=big ;;
*) refuse "bad EI_DATA" ;;
esac
[ "$version" = 1 ] || refuse "bad EI_VERSION"

# num OFF SIZE: the SIZE-byte unsigned number at OFF, in hex.
num() { od -An -tx"$2" -j"$1" -N"$2" --endian=$endian "$f" | tr -d ' \n'; }
dec() { echo $((16#$1)); }
# u64 HEX: 8 bytes, big-endian.
u64() {
	local h
	h=$(printf '%016s' "$1" | tr ' ' 0)
	printf "$(printf '%s' "$h" | sed 's/../\\x&/g')"
}

# Where the fields are (section 3.2 and 3.3), as OFFSET:SIZE.
case $class in
1) H=52 P=32
   E_FIELDS="16:2 18:2 20:4 24:4 28:4 36:4 40:2 42:2 44:2"
   # p_type p_flags p_offset p_vaddr p_paddr p_filesz p_memsz p_align
   P_FIELDS="0:4 24:4 4:4 8:4 12:4 16:4 20:4 28:4" ;;
2) H=64 P=56
   E_FIELDS="16:2 18:2 20:4 24:8 32:8 48:4 52:2 54:2 56:2"
   P_FIELDS="0:4 4:4 8:8 16:8 24:8 32:8 40:8 48:8" ;;
*) refuse "bad EI_CLASS" ;;
esac
[ "$S" -ge $H ] || refuse "shorter than an ELF header"
read -r ehsize phentsize phnum phoff <<<"$(
	if [ $class = 1 ]; then
		echo $(dec $(num 40 2)) $(dec $(num 42 2)) $(dec $(num 44 2)) \
		    $(dec $(num 28 4))
	else
		echo $(dec $(num 52 2)) $(dec $(num 54 2)) $(dec $(num 56 2)) \
		    $(dec $(num 32 8))
	fi)"
[ "$ehsize" = $H ] && [ "$phentsize" = $P ] ||
    refuse "e_ehsize or e_phentsize"
[ "$phnum" -ge 1 ] && [ "$phnum" -le 65534 ] || refuse "e_phnum"
[ $((phoff + phnum * P)) -le "$S" ] || refuse "program headers past the end"

# Program headers: hex fields, and type/offset/filesz in decimal.
declare -a PH PTYPE POFF PSIZE
for ((i = 0; i < phnum; i++)); do
	base=$((phoff + i * P))
	row=""
	for fs in $P_FIELDS; do
		row+="$(num $((base + ${fs%:*})) ${fs#*:}) "
	done
	PH[i]=$row
	read -r -a fld <<<"$row"
	PTYPE[i]=$(dec ${fld[0]})
	POFF[i]=$(dec ${fld[2]})
	PSIZE[i]=$(dec ${fld[5]})
	if [ "${PTYPE[i]}" != 0 ] && [ "${PSIZE[i]}" != 0 ] &&
	    [ $((POFF[i] + PSIZE[i])) -gt "$S" ]; then
		refuse "segment $i past the end"
	fi
done

# Zeroed ranges (section 3.4): drop empty ones, sort, merge.
runs=()
while read -r off len; do
	[ -n "$off" ] || continue
	n=${#runs[@]}
	if [ "$n" -gt 0 ]; then
		read -r loff llen <<<"${runs[n - 1]}"
		if [ "$off" -le $((loff + llen)) ]; then
			end=$((off + len))
			[ $end -ge $((loff + llen)) ] || end=$((loff + llen))
			runs[n - 1]="$loff $((end - loff))"
			continue
		fi
	fi
	runs+=("$off $len")
done < <(for r in "${ranges[@]+"${ranges[@]}"}"; do
		o=$((${r%%:*})) l=$((${r#*:}))
		[ "$l" -gt 0 ] && echo "$o $l"
	done | sort -n -k1,1)
for r in "${runs[@]+"${runs[@]}"}"; do
	read -r off len <<<"$r"
	ok=0
	for ((i = 0; i < phnum; i++)); do
		if [ "${PTYPE[i]}" = 1 ] && [ "$off" -ge "${POFF[i]}" ] &&
		    [ $((off + len)) -le $((POFF[i] + PSIZE[i])) ]; then
			ok=1
		fi
	done
	[ $ok = 1 ] || refuse "zeroed run $off+$len outside every PT_LOAD"
done

# segment OFF SIZE: the bytes, with [0, H) and the runs read as zero.
segment() {
	local pos=$1 end=$(($1 + $2)) hole hoff hlen lo hi
	for hole in "0 $H" "${runs[@]+"${runs[@]}"}"; do
		read -r hoff hlen <<<"$hole"
		lo=$((hoff > pos ? hoff : pos))
		hi=$((hoff + hlen < end ? hoff + hlen : end))
		[ $lo -lt $hi ] || continue
		if [ $lo -gt $pos ]; then
			dd if="$f" bs=64K iflag=skip_bytes,count_bytes \
			    skip=$pos count=$((lo - pos)) status=none
		fi
		head -c $((hi - lo)) /dev/zero
		pos=$hi
	done
	if [ $pos -lt $end ]; then
		dd if="$f" bs=64K iflag=skip_bytes,count_bytes skip=$pos \
		    count=$((end - pos)) status=none
	fi
}

{
	printf 'provcc-elf-digest-v1\0'
	for b in 4 5 6 7 8; do u64 "$(num $b 1)"; done
	for fs in $E_FIELDS; do u64 "$(num ${fs%:*} ${fs#*:})"; done
	for ((i = 0; i < phnum; i++)); do
		for x in ${PH[i]}; do u64 "$x"; done
	done
	u64 "$(printf '%x' ${#runs[@]})"
	for r in "${runs[@]+"${runs[@]}"}"; do
		read -r off len <<<"$r"
		u64 "$(printf '%x' "$off")"
		u64 "$(printf '%x' "$len")"
	done
	for ((i = 0; i < phnum; i++)); do
		if [ "${PTYPE[i]}" != 0 ] && [ "${PSIZE[i]}" != 0 ]; then
			segment "${POFF[i]}" "${PSIZE[i]}"
		fi
	done
} | sha256sum | cut -d' ' -f1
