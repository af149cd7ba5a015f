#!/bin/sh
# The live demo: a DPDK net_pcap port replaying a generated sample forever, two rx workers, rotated LZ4 files, stats every second.
#
#   configs/demo-live.sh BUILD        (root: the DPDK EAL needs it; no hugepages or NIC needed)
set -eu
BUILD=${1:-build}
TAPDUMP=$BUILD/tapdump
TDGEN=$BUILD/bench/tdgen
[ "$(id -u)" = 0 ] || { echo "demo-live: the DPDK EAL needs root; skipped"; exit 0; }
DIR=$(mktemp -d /tmp/tapdump-live-demo.XXXXXX)
trap 'rm -rf "$DIR"' EXIT

echo "== 1. a sample to replay: 20000 packets of TCP/HTTP, DNS, NTP, ICMP, ARP"
"$TDGEN" -n 20000 --hosts 500 --flows 200 --seed 11 -o "$DIR/sample.pcap"
ls -l "$DIR/sample.pcap"

# net_pcap with two rx_pcap files gives a port with two rx queues, one per worker;
# infinite_rx replays each file in a loop (the pool is sized beyond the file).
# The filter keeps connection openings and DNS: the SYN test is the one DPDK's
# own BPF converter gets wrong (DESIGN.md), so this also shows tapdump's verdicts.
FILTER='tcp[tcpflags] & tcp-syn != 0 or udp port 53'
PORT="dpdk:net_pcap0,rx_pcap=$DIR/sample.pcap,rx_pcap=$DIR/sample.pcap,infinite_rx=1"
echo "== 2. capture from $PORT"
echo "   2 rx workers, filter '$FILTER', snaplen 128, 2-second .pcap.lz4 files, for 6 seconds"
"$TAPDUMP" -i "$PORT" --workers 2 -s 128 -G 2 -w "$DIR/live-%H%M%S.pcap.lz4" \
	--stats-interval 1 --stats-file "$DIR/stats.jsonl" --prometheus-file "$DIR/tapdump.prom" \
	--duration 6 -v "$FILTER"

echo "== 3. the files"
ls -l "$DIR"/live-*

echo "== 4. the last --stats-file interval and the Prometheus view of the drops"
grep '"type":"interval"' "$DIR/stats.jsonl" | tail -n 1
grep '^tapdump_dropped_packets_total' "$DIR/tapdump.prom"

echo "== 5. one file read back (first 5 packets, printed like tcpdump)"
first=$(ls "$DIR"/live-* | head -n 1)
"$TAPDUMP" -nn -c 5 -r "$first"
