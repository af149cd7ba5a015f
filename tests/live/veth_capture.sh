#!/bin/sh
# libpcap live and AF_XDP capture on a veth pair inside a private network namespace: every frame sent is captured.
LC=$1
HERE=$(cd "$(dirname "$0")" && pwd)
N=2000
NS=tdlive$$
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || { echo "SKIP: network namespaces need root"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: iproute2 not found"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not found (sends the frames)"; exit 77; }
tmp=$(mktemp -d) || exit 1
cleanup() {
	[ -n "$cap" ] && kill "$cap" 2>/dev/null && wait "$cap" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ip netns add "$NS" 2>/dev/null || { echo "SKIP: cannot create a network namespace"; exit 77; }
# Two rx queues on the capture side exercise one AF_XDP socket per queue.
ip -n "$NS" link add va numtxqueues 2 numrxqueues 2 type veth peer name vb numtxqueues 2 numrxqueues 2 ||
	{ echo "SKIP: cannot create a veth pair"; exit 77; }
# No IPv6, no addresses: nothing but our frames crosses the link, so counts are exact.
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip -n "$NS" link set lo up && ip -n "$NS" link set va up && ip -n "$NS" link set vb up || fail "links down"

# capture NAME LIVE_COUNT-ARGS...: start a capture in the namespace, send N frames into vb, check the count.
capture() {
	name=$1; shift
	out="$tmp/$name.out"
	: >"$out"
	ip netns exec "$NS" sh -c 'mount -t bpf bpf /sys/fs/bpf 2>/dev/null; exec "$@"' sh \
		timeout 30 "$LC" -t 10 -c $N -e $N "$@" >"$out" 2>&1 &
	cap=$!
	i=0
	while ! grep -q '^ready' "$out"; do
		kill -0 "$cap" 2>/dev/null || break
		i=$((i + 1)); [ $i -lt 100 ] || break
		sleep 0.1
	done
	if ! grep -q '^ready' "$out"; then
		wait "$cap"; cap=
		cat "$out"
		return 1
	fi
	ip netns exec "$NS" python3 "$HERE/send_frames.py" va $N >"$tmp/sent" || fail "$name: sender failed"
	wait "$cap"; rc=$?; cap=
	cat "$out"
	[ $rc = 0 ] || fail "$name: captured $(awk '/^packets/ {print $2}' "$out") of $N frames (exit $rc)"
	bytes=$(awk '{print $4}' "$tmp/sent")
	grep -q "caplen_bytes $bytes wire_bytes $bytes " "$out" || fail "$name: $bytes bytes sent, other count captured"
	echo "$name: $N of $N frames, $bytes of $bytes bytes"
	return 0
}

capture pcap vb || fail "libpcap live capture did not start"
capture pcap-nano -n -Q in vb || fail "libpcap live capture (nano, -Q in) did not start"

if ! grep -q "^live_count: xdp.*built without" "$tmp/pcap.out" && capture xdp-skb -x skb xdp:vb; then
	capture xdp-drv -x drv xdp:vb || fail "AF_XDP native mode did not start"
	ip -n "$NS" link show vb | grep -q xdp && fail "an XDP program is still attached to vb after close"
	# A queue that does not exist: one line, nothing left attached.
	ip netns exec "$NS" "$LC" -t 1 xdp:vb:7 >"$tmp/bad.out" 2>&1 && fail "queue 7 of a 2-queue veth opened"
	grep -q "out of range" "$tmp/bad.out" || { cat "$tmp/bad.out"; fail "no clear message for a bad queue"; }
else
	echo "note: AF_XDP part skipped (no libxdp build or AF_XDP unavailable here)"
fi
ip -n "$NS" link show vb | grep -q xdp && fail "an XDP program is still attached to vb"
echo PASS
