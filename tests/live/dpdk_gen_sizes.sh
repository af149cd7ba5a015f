#!/bin/sh
# --dpdk-gen RATE,COUNT,SIZE: frames of SIZE bytes, or the IMIX (7:4:1 of 64, 570 and 1518 bytes), with compressible payloads; bad SIZEs refused in one line.
TD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

[ "$(id -u)" = 0 ] || skip "the DPDK EAL needs root"
command -v tcpdump >/dev/null || skip "tcpdump not found (reads the frame lengths back)"
command -v lz4 >/dev/null || skip "lz4 not found (reads .pcap.lz4 back)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# lengths FILE: "COUNT LENGTH" lines, the frame lengths tcpdump -e reads from FILE
lengths() {
	tcpdump -r "$1" -e -nn 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == "length") { sub(":", "", $(i + 1)); print $(i + 1); break } }' |
		sort -n | uniq -c | awk '{ print $1, $2 }'
}

# 1. The IMIX: 12000 frames at a pace this machine sustains; 7:4:1 exactly when the port dropped nothing,
# within a point of it otherwise (a dropped burst of 32 takes the sizes in pattern order).
timeout 30 "$TD" -i dpdk:net_ring0 --dpdk-gen 20000,12000,imix --duration 3 -v -w "$tmp/imix.pcap.lz4" \
	>"$tmp/imix.out" 2>&1
rc=$?
grep -q "built without DPDK" "$tmp/imix.out" && skip "tapdump built without DPDK"
grep -q "EAL initialisation failed" "$tmp/imix.out" && { cat "$tmp/imix.out"; skip "the DPDK EAL cannot start here"; }
cat "$tmp/imix.out"
[ $rc = 0 ] || fail "imix capture exited $rc"
check_accounting imix "$tmp/imix.out"
grep -q 'generator offered 12000 frames' "$tmp/imix.out" || fail "imix: the generator did not offer 12000 frames"
lz4 -dc "$tmp/imix.pcap.lz4" >"$tmp/imix.pcap" 2>/dev/null || fail "imix: lz4 -dc failed"
lengths "$tmp/imix.pcap" >"$tmp/imix.len"
cat "$tmp/imix.len"
written=$(ident written "$tmp/imix.out")
[ "$(awk '$2 != 64 && $2 != 570 && $2 != 1518' "$tmp/imix.len")" = "" ] || fail "imix: lengths other than 64, 570, 1518"
if [ "$(backend_drops "$tmp/imix.out")" = 0 ]; then
	[ "$(tr '\n' ' ' <"$tmp/imix.len")" = "7000 64 4000 570 1000 1518 " ] || fail "imix: not 7000, 4000 and 1000 frames"
else
	awk -v n="$written" '{ c[$2] = $1 } END {
		exit !(n > 1200 && (c[64] / n - 7 / 12) ^ 2 < 1e-4 && (c[570] / n - 4 / 12) ^ 2 < 1e-4 && (c[1518] / n - 1 / 12) ^ 2 < 1e-4) }' \
		"$tmp/imix.len" || fail "imix: the sizes are not 7:4:1 of the $written frames written"
fi
# Payloads like web text: LZ4 shrinks the frames by more than half, and not as a repeated byte would (> 20).
in=$(wc -c <"$tmp/imix.pcap") out=$(wc -c <"$tmp/imix.pcap.lz4")
awk -v i="$in" -v o="$out" 'BEGIN { r = i / o; print "imix: ratio " r; exit !(r > 2 && r < 20) }' ||
	fail "imix: LZ4 ratio $in/$out is not that of text"

# 2. A byte count: every frame that long, its IPv4 and UDP lengths to match (tcpdump reads them without complaint).
timeout 30 "$TD" -i dpdk:net_ring0 --dpdk-gen 20000,3000,1000 --duration 2 -v -w "$tmp/k.pcap" >"$tmp/k.out" 2>&1 ||
	{ cat "$tmp/k.out"; fail "SIZE 1000 capture failed"; }
check_accounting size-1000 "$tmp/k.out"
[ "$(lengths "$tmp/k.pcap")" = "$(ident written "$tmp/k.out") 1000" ] || fail "SIZE 1000: not every frame 1000 bytes"
tcpdump -r "$tmp/k.pcap" -nn -c 1 -v 2>/dev/null | tr '\n' ' ' | grep -q 'length 986).*UDP, length 958' ||
	fail "SIZE 1000: the IPv4/UDP lengths do not match the frame"

# 3. Bad SIZEs: one line, status 1.
for arg in 1000,10,59 1000,10,2049 1000,10,imx 1000,10, 1000,,imix 1000,10,64,1; do
	timeout 30 "$TD" -i dpdk:net_ring0 --dpdk-gen "$arg" -w "$tmp/bad.pcap" >"$tmp/bad.stdout" 2>"$tmp/bad.out"
	rc=$?
	[ $rc = 1 ] && [ "$(wc -l <"$tmp/bad.out")" = 1 ] && grep -q '^tapdump: invalid --dpdk-gen' "$tmp/bad.out" ||
		{ cat "$tmp/bad.out"; fail "--dpdk-gen $arg: not refused in one line with status 1 (status $rc)"; }
done
echo PASS
