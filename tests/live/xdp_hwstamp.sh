#!/bin/sh
# AF_XDP -j adapter_unsynced: our XDP program bound to the device asks the driver for each frame's hardware
# stamp (bpf_xdp_metadata_rx_timestamp). A veth has no NIC clock, so every frame must come through on the
# kernel's clock and be counted as without the driver's stamp; SKB mode and -j adapter are refused.
TD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
N=500
NS=tdx$$

[ -r /sys/kernel/btf/vmlinux ] || skip "no kernel BTF (the kfunc is looked up there)"
grep -q bpf_xdp_metadata_rx_timestamp /sys/kernel/btf/vmlinux ||
	skip "kernel $(uname -r) has no bpf_xdp_metadata_rx_timestamp kfunc (Linux 6.3 or later)"
veth_setup
in_ns "$TD" -i xdp:vb -c 1 --duration 0.2 >"$tmp/probe.out" 2>&1 || { cat "$tmp/probe.out"; skip "AF_XDP unavailable here"; }

# 1. -J lists adapter_unsynced beside host (the kernel can ask the driver).
in_ns "$TD" -J -i xdp:vb >"$tmp/J.out" 2>&1
cat "$tmp/J.out"
printf 'Time stamp types for xdp:vb (use option -j to set):\n  host (Host)\n  adapter_unsynced (Adapter, not synced with system time)\n' |
	cmp -s - "$tmp/J.out" || fail "-J does not list host and adapter_unsynced"

# 2. The driver's stamps asked for in native mode: the device-bound program loads, the veth answers
# with no stamp, and every frame still gets its own (kernel) time.
start hw -i xdp:vb --xdp-mode drv -j adapter_unsynced --nano -w "$tmp/hw.pcap"
in_ns "$PY" "$HERE/send_frames.py" va $N "$tmp/sent.pcap" >/dev/null || fail "sender failed"
sleep 0.5
stop_capture
cat "$tmp/hw.out"
[ $rc = 0 ] || fail "hw: tapdump exited $rc"
check_accounting hw "$tmp/hw.out"
[ "$(ident received "$tmp/hw.out")" = $N ] || fail "hw: received $(ident received "$tmp/hw.out"), not $N"
grep -q "adapter_unsynced: 0 frames with the driver's stamp, $N without (kernel clock)" "$tmp/hw.out" ||
	fail "hw: -v does not count the frames the driver did not stamp"
"$PY" "$HERE/mkpcap.py" stamps "$tmp/sent.pcap" "$tmp/hw.pcap" 90 50 || fail "hw: time stamps"

# 3. Refused with one line: SKB mode (a device-bound program runs only in the driver) and -j adapter.
bad() {
	name=$1; want=$2; shift 2
	in_ns timeout 30 "$TD" "$@" >"$tmp/$name.out" 2>&1
	rc=$?
	cat "$tmp/$name.out"
	[ $rc = 1 ] || fail "$name: exited $rc, not 1"
	[ "$(grep -c '^tapdump: ' "$tmp/$name.out")" = 1 ] || fail "$name: not exactly one tapdump: line"
	grep -q -- "$want" "$tmp/$name.out" || fail "$name: the message does not say '$want'"
	! ip -n "$NS" link show vb | grep -q xdp || fail "$name: an XDP program is left on vb"
}
bad skb "xdp-mode drv" -i xdp:vb --xdp-mode skb -j adapter_unsynced --duration 0.2
bad adapter "time stamp type adapter is not offered by AF_XDP" -i xdp:vb -j adapter --duration 0.2
echo "xdp_hwstamp: ok"
