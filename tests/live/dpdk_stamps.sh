#!/bin/sh
# DPDK time stamps: one per packet on every queue (net_ring fed by --dpdk-gen at 1 Mpps), -J listing what a
# port offers in tcpdump's format, -j asking for what it does not offer refused.
TD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

[ "$(id -u)" = 0 ] || skip "the DPDK EAL needs root"
[ -n "$PY" ] || skip "python3 not found (reads the pcaps)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# 1. -J: tcpdump's format ("Time stamp types for DEV (use option -j to set):", two-space entries, all of it on
# standard error as tcpdump 4.99 prints it); a vdev has no NIC clock, so host alone.
timeout 30 "$TD" -J -i dpdk:net_ring0 >"$tmp/J.out" 2>"$tmp/J.err"
rc=$?
grep -q "built without DPDK" "$tmp/J.err" && skip "tapdump built without DPDK"
grep -q "EAL initialisation failed" "$tmp/J.err" && { cat "$tmp/J.err"; skip "the DPDK EAL cannot start here"; }
cat "$tmp/J.out" "$tmp/J.err"
[ $rc = 0 ] || fail "-J exited $rc"
printf 'Time stamp types for dpdk:net_ring0 (use option -j to set):\n  host (Host)\n' | cmp -s - "$tmp/J.err" ||
	fail "-J output is not tcpdump's format with host alone"
[ ! -s "$tmp/J.out" ] || fail "-J wrote on standard output"
if command -v tcpdump >/dev/null; then
	# libpcap devices: what tcpdump's own -J prints, byte for byte.
	tcpdump -J -i lo >"$tmp/tcpdump-J" 2>&1
	"$TD" -J -i lo >"$tmp/tapdump-J" 2>&1
	cmp "$tmp/tcpdump-J" "$tmp/tapdump-J" || fail "-J -i lo differs from tcpdump's"
fi

# 2. -j: what the port does not offer is one line and exit 1, never a capture on another clock.
bad() {
	name=$1; want=$2; shift 2
	timeout 30 "$TD" "$@" >"$tmp/$name.out" 2>&1
	rc=$?
	cat "$tmp/$name.out"
	[ $rc = 1 ] || fail "$name: exited $rc, not 1"
	[ "$(grep -c '^tapdump: ' "$tmp/$name.out")" = 1 ] || fail "$name: not exactly one tapdump: line"
	grep -q "$want" "$tmp/$name.out" || fail "$name: the message does not say '$want'"
}
bad adapter "time stamp type adapter is not offered by this port" -i dpdk:net_ring0 -j adapter --duration 0.2
bad unsynced "adapter_unsynced is not offered" -i dpdk:net_ring0 -j adapter_unsynced --duration 0.2
bad bogus "invalid time stamp type bogus" -i dpdk:net_ring0 -j bogus --duration 0.2

# 3. 1 Mpps offered to two queues, each queue into its own file (--writers 2: writer i takes queue i),
# nanosecond stamps: at least 90% distinct in each queue, and none going back.
# capture NAME ARGS...: the generator's frames for 1.5 s (3 s of capture, so a loaded box drains them).
capture() {
	name=$1; shift
	timeout 60 "$TD" -i dpdk:net_ring0 --workers 2 --writers 2 --dpdk-gen 1000000,1500000 --duration 3 -v \
		-w "$tmp/$name.pcap" "$@" >"$tmp/$name.out" 2>&1 || { cat "$tmp/$name.out"; fail "$name: capture failed"; }
	grep -E 'generator offered|time stamps' "$tmp/$name.out"
	check_accounting "$name" "$tmp/$name.out"
	[ "$(ident written "$tmp/$name.out")" -ge 10000 ] || fail "$name: fewer than 10000 frames written"
}
capture nano --nano -j host
grep -q 'time stamps: host, one a packet' "$tmp/nano.out" || fail "nano: -v does not say how packets are stamped"
"$PY" "$HERE/mkpcap.py" order 90 "$tmp/nano-w0.pcap" "$tmp/nano-w1.pcap" || fail "nano: time stamps per queue"

# The checker refuses one stamp a burst (the old way, still there behind --dpdk-stamp burst).
capture burst --nano --dpdk-stamp burst
grep -q 'time stamps: host, one per burst' "$tmp/burst.out" || fail "burst: --dpdk-stamp burst not honoured"
! "$PY" "$HERE/mkpcap.py" order 90 "$tmp/burst-w0.pcap" "$tmp/burst-w1.pcap" ||
	fail "burst: the check passes one stamp per burst"

# Microseconds: several packets share a microsecond at 1 Mpps, but a queue's stamps never go back.
capture micro
"$PY" "$HERE/mkpcap.py" order 0 "$tmp/micro-w0.pcap" "$tmp/micro-w1.pcap" || fail "micro: time stamps go back"
echo "dpdk_stamps: ok"
