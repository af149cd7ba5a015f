#!/bin/sh
# tests/engine/direct_io.sh: --direct-io files are byte for byte those of a buffered run (pcap, LZ4, -C series, a merge) and stay out of the page cache.
. "$(dirname "$0")/lib.sh"
need_programs
LIMIT=60

gen -n 40000 --seed 31 -o "$TMP/a.pcap"
gen -n 20000 --seed 32 --start 1700000000.01 -o "$TMP/b.pcap"
cd "$TMP" || exit 1
probe=$(mktemp -p . probe.XXXXXX)
if ! python3 -c 'import os, sys; os.close(os.open(sys.argv[1], os.O_WRONLY | os.O_DIRECT))' "$probe" 2>/dev/null; then
	td -r a.pcap -w x.pcap --direct-io
	[ $? = 1 ] && grep -q 'does not take O_DIRECT' err && pass "no O_DIRECT here: refused in one line" ||
		fail "no O_DIRECT here, and --direct-io did not say so"
	finish
fi

# same NAME ARGS...: tapdump ARGS into buf/ and into dio/ with --direct-io; every file the same
same() {
	name=$1
	shift
	rm -rf buf dio
	mkdir buf dio
	td "$@" -w "buf/$name" || { fail "$name: buffered run failed"; show_err; return; }
	td "$@" -w "dio/$name" --direct-io || { fail "$name: --direct-io run failed"; show_err; return; }
	n=0 bad=0
	for f in buf/*; do
		case $f in *.tdidx) continue ;; esac
		n=$((n + 1))
		cmp -s "$f" "dio/${f#buf/}" || bad=$((bad + 1))
	done
	[ "$(ls dio | grep -vc '\.tdidx$')" = $n ] && [ $bad = 0 ] && pass "$name $*: $n files identical" ||
		fail "$name $*: $bad of $n files differ"
}

same x.pcap -r a.pcap
same x.pcap.lz4 -r a.pcap
same x.pcap -r a.pcap -C 3
same x.pcap.lz4 -r a.pcap -C 2
same x.pcap -r a.pcap -r b.pcap
same x.pcapng -r a.pcap
same x.pcap -r a.pcap -s 100 -c 777

if command -v fincore >/dev/null 2>&1 && [ "$(stat -f -c %T .)" != tmpfs ]; then
	rm -rf dio && mkdir dio
	td -r a.pcap -w dio/x.pcap --direct-io
	size=$(wc -c <dio/x.pcap)
	res=$(fincore -b -n -o RES dio/x.pcap | awk '{ print $1 + 0 }')
	# Only the last partial page of each write went through the cache.
	[ "$res" -lt $((size / 16)) ] && pass "--direct-io: $res of $size bytes in the page cache" ||
		fail "--direct-io: $res of $size bytes in the page cache"
fi
finish
