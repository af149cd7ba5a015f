#!/bin/sh
# tests/engine/write_behind.sh: --write-behind (the default) keeps written files out of the page cache; the bytes are those of --write-behind off.
#
# fincore (util-linux) says how much of a file is in the page cache. A
# tmpfs cannot drop its pages (they are the file), so there only the bytes
# are compared.
. "$(dirname "$0")/lib.sh"
need_programs
LIMIT=60

gen -n 60000 --seed 23 -o "$TMP/in.pcap"
cd "$TMP" || exit 1
for wb in on off; do
	td -r in.pcap -w "$wb.pcap" --write-behind $wb || { fail "--write-behind $wb: tapdump failed"; show_err; }
	td -r in.pcap -w "$wb.pcap.lz4" --write-behind $wb || { fail "--write-behind $wb (lz4): tapdump failed"; show_err; }
done
# The page cache first: reading the files back (cmp) would bring them into it.
# resident FILE: bytes of FILE in the page cache
resident() { fincore -b -n -o RES "$1" 2>/dev/null | awk '{ print $1 + 0 }'; }
if ! command -v fincore >/dev/null 2>&1; then
	echo "note: fincore not found, page cache not checked"
elif [ "$(stat -f -c %T .)" = tmpfs ]; then
	echo "note: $TMP is a tmpfs (its pages are the files), page cache not checked"
else
	size=$(wc -c <on.pcap) on=$(resident on.pcap) off=$(resident off.pcap)
	[ "$on" -lt $((size / 8)) ] && pass "--write-behind on: $on of $size bytes left in the page cache" ||
		fail "--write-behind on: $on of $size bytes in the page cache"
	[ "$off" -gt $((size / 2)) ] && pass "--write-behind off: $off of $size bytes in the page cache (the check can fail)" ||
		echo "note: --write-behind off left only $off bytes cached (memory pressure?)"
fi
cmp -s on.pcap off.pcap && cmp -s on.pcap in.pcap && pass "pcap: the same bytes either way" ||
	fail "pcap: --write-behind changed the file"
cmp -s on.pcap.lz4 off.pcap.lz4 && pass "lz4: the same bytes either way" || fail "lz4: --write-behind changed the file"

td -r in.pcap -w x.pcap --write-behind maybe
[ $? = 1 ] && [ "$(wc -l <err)" = 1 ] && grep -q 'invalid --write-behind maybe' err &&
	pass "--write-behind maybe: one line, status 1" || fail "--write-behind maybe was not refused in one line"
finish
