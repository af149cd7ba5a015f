#!/bin/sh
# make demo: generate a realistic capture, record it filtered into rotated .pcap.lz4 files, report, read one back.
set -eu
BUILD=${1:-build}
TAPDUMP=$BUILD/tapdump
TDGEN=$BUILD/bench/tdgen
DIR=$(mktemp -d /tmp/tapdump-demo.XXXXXX)
trap 'rm -rf "$DIR"' EXIT

echo "== 1. a sample capture: 200000 packets over 20 seconds of TCP/HTTP, DNS, NTP, ICMP, ARP"
"$TDGEN" -n 200000 --rate 10000 --hosts 2000 --flows 500 --seed 7 -o "$DIR/sample.pcap"
ls -l "$DIR/sample.pcap"

echo "== 2. record 'tcp or udp port 53' into 4-second LZ4 files, also cut at 5 MB"
"$TAPDUMP" -r "$DIR/sample.pcap" -w "$DIR/cap-%H%M%S.pcap.lz4" -G 4 -C 5 --rotate-align \
	--stats-file "$DIR/stats.jsonl" -v 'tcp or udp port 53'

echo "== 3. the files"
ls -l "$DIR"/cap-*

echo "== 4. the per-file report (--stats-file)"
cat "$DIR/stats.jsonl"

echo "== 5. one file read back (first 5 packets, printed like tcpdump)"
first=$(ls "$DIR"/cap-* | head -n 1)
"$TAPDUMP" -nn -c 5 -r "$first"
