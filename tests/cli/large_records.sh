#!/bin/sh
# tests/cli/large_records.sh: records larger than a 1 MiB block (DBUS allows 128 MiB) are written byte for byte and printed like tcpdump.
#
# Every input path: a pcap file, standard input, pcapng, an LZ4 frame; every
# output path: plain pcap, LZ4, -C rotation, the printer, --print beside -w.
. "$(dirname "$0")/lib.sh"
need_tapdump
need_tcpdump
command -v python3 >/dev/null 2>&1 || skip "python3 not found (builds the inputs)"
cd "$TMP" || exit 1

# mk NAME SPEC: a DBUS (231) pcap; SPEC is "caplen:len,caplen:len,..." (bytes, payload a letter per record)
mk() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 0, 231))
for i, spec in enumerate(sys.argv[2].split(",")):
    cap, ln = (int(x) for x in spec.split(":"))
    out.write(struct.pack("<IIII", 1000 + i, i, cap, ln))
    out.write(bytes([65 + i % 26]) * cap)
PY
}

mk one20.pcap "20971520:20971520"
mk four3.pcap "3145728:3145728,3145728:3145728,3145728:3145728,3145728:3145728"
# Small records around big ones, and a record of exactly one block.
mk mixed.pcap "60:60,1048560:1048560,70:70,2000000:2000000,80:80,100:300000,300000:100,90:90"

# same NAME A B: files A and B are byte-identical
same() {
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1 ($(cmp "$2" "$3" 2>&1 | head -1))"; fi
}

for f in one20 four3 mixed; do
	"$TCPDUMP" -r $f.pcap -w ref-$f.pcap 2>/dev/null
	timeout "$LIMIT" "$TAPDUMP" -r $f.pcap -w out-$f.pcap 2>err
	rc=$?
	[ $rc = 0 ] && pass "$f: -r -w exits 0" || fail "$f: -r -w exit $rc: $(tail -1 err)"
	same "$f: -w is byte-identical to tcpdump's" out-$f.pcap ref-$f.pcap
	timeout "$LIMIT" "$TAPDUMP" -r - -w stdin-$f.pcap <$f.pcap 2>/dev/null
	same "$f: from standard input" stdin-$f.pcap ref-$f.pcap
	if command -v lz4 >/dev/null 2>&1; then
		timeout "$LIMIT" "$TAPDUMP" -r $f.pcap -w out-$f.pcap.lz4 2>/dev/null
		lz4 -dc out-$f.pcap.lz4 >dec-$f.pcap 2>/dev/null
		same "$f: -w .pcap.lz4 decompresses to tcpdump's bytes" dec-$f.pcap ref-$f.pcap
		lz4 -1 -q -f $f.pcap in-$f.pcap.lz4
		timeout "$LIMIT" "$TAPDUMP" -r in-$f.pcap.lz4 -w fromlz4-$f.pcap 2>/dev/null
		same "$f: read from an LZ4 frame" fromlz4-$f.pcap ref-$f.pcap
	fi
	if command -v tshark >/dev/null 2>&1; then
		tshark -r $f.pcap -F pcapng -w $f.pcapng 2>/dev/null
		timeout "$LIMIT" "$TAPDUMP" -r $f.pcapng -w ng-$f.pcap 2>/dev/null
		"$TCPDUMP" -r $f.pcapng -w ngref-$f.pcap 2>/dev/null
		same "$f: read from pcapng" ng-$f.pcap ngref-$f.pcap
	fi
	for flags in "-nn" "-nn -x" "-q -#" "-e -tttt"; do
		# shellcheck disable=SC2086 # flags are words
		"$TCPDUMP" $flags -r $f.pcap >ref.txt 2>/dev/null
		# shellcheck disable=SC2086
		timeout "$LIMIT" "$TAPDUMP" $flags -r $f.pcap >out.txt 2>/dev/null
		same "$f: printed like tcpdump ($flags)" out.txt ref.txt
	done
	# --print beside -w: the sampled lines are tcpdump's too (the printer gets a block of the record's size).
	timeout "$LIMIT" "$TAPDUMP" -nn --print -r $f.pcap -w side-$f.pcap >side.txt 2>/dev/null
	"$TCPDUMP" -nn -r $f.pcap >ref.txt 2>/dev/null
	same "$f: --print beside -w prints tcpdump's lines" side.txt ref.txt
	same "$f: --print beside -w writes tcpdump's bytes" side-$f.pcap ref-$f.pcap
done

# -C rotation across oversized records: the files, joined, hold every record once.
timeout "$LIMIT" "$TAPDUMP" -r four3.pcap -w rot.pcap -C 1 2>/dev/null
# (the archive index beside each capture, FILE.tdidx, is no capture)
n=$(ls rot.pcap* | grep -vc '\.tdidx$')
[ "$n" = 4 ] && pass "-C 1 on four 3 MiB records: 4 files" || fail "-C 1 on four 3 MiB records: $n files"
total=0
for r in rot.pcap*; do
	case $r in *.tdidx) continue ;; esac
	c=$("$TCPDUMP" -r "$r" 2>/dev/null | wc -l)
	total=$((total + c))
done
[ "$total" = 4 ] && pass "-C 1: the files hold the 4 records" || fail "-C 1: the files hold $total records"
finish
