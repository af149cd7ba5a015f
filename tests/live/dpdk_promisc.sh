#!/bin/sh
# A DPDK port's promiscuous mode is put back at close (as dpdk-dumpcap does): net_af_packet on a veth,
# whose switch is the kernel's IFF_PROMISC, on while capturing and off again after --duration, after
# SIGINT and after SIGTERM; -p never turns it on; --dpdk-debug says what the close put back.
TD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
NS=tdpromisc$$
. "$HERE/lib.sh"

[ "$(id -u)" = 0 ] || skip "network namespaces and the DPDK EAL need root"
command -v ip >/dev/null || skip "iproute2 not found"
tmp=$(mktemp -d) || exit 1
cap=
tdpid=
trap veth_cleanup EXIT
trap 'exit 1' INT TERM
ip netns add "$NS" 2>/dev/null || skip "cannot create a network namespace"
ip -n "$NS" link add va type veth peer name vb || skip "cannot create a veth pair"
ip -n "$NS" link set va up && ip -n "$NS" link set vb up || fail "links down"

PORT=dpdk:net_af_packet0,iface=vb

promisc() { ip -n "$NS" link show vb | head -1 | grep -q 'PROMISC'; }

# wait_promisc NAME: up to 15 s for the port to turn promiscuous while tapdump runs.
wait_promisc() {
	i=0
	until promisc; do
		kill -0 "$cap" 2>/dev/null || { wait "$cap"; cap=; cat "$tmp/$1.out"; fail "$1: tapdump ended first"; }
		i=$((i + 1)); [ $i -lt 150 ] || { cat "$tmp/$1.out"; fail "$1: not promiscuous while capturing"; }
		sleep 0.1
	done
}

# run NAME ARGS...: tapdump in the namespace, in the background (pid in $cap, tapdump's in $tdpid).
run() {
	name=$1; shift
	rm -f "$tmp/pid"
	ip netns exec "$NS" sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/pid" \
		timeout 60 "$TD" -i "$PORT" -w "$tmp/$name.pcap" "$@" >"$tmp/$name.out" 2>&1 &
	cap=$!
	while [ ! -s "$tmp/pid" ] && kill -0 "$cap" 2>/dev/null; do sleep 0.05; done
	tdpid=$(cat "$tmp/pid" 2>/dev/null)
}

# finish NAME: wait for tapdump; it must exit 0 and leave the port as it found it.
finish() {
	wait "$cap"; rc=$?; cap=; tdpid=
	[ $rc = 0 ] || { cat "$tmp/$1.out"; fail "$1: tapdump exited $rc"; }
	! promisc || { cat "$tmp/$1.out"; fail "$1: the port is still promiscuous after tapdump exited"; }
	echo "$1: ok"
}

# 0. Can this DPDK open net_af_packet at all?
ip netns exec "$NS" timeout 30 "$TD" -i "$PORT" --duration 0.2 -w /dev/null >"$tmp/probe.out" 2>&1 || {
	grep -q "built without DPDK" "$tmp/probe.out" && skip "tapdump built without DPDK"
	grep -q "EAL initialisation failed" "$tmp/probe.out" && { cat "$tmp/probe.out"; skip "the DPDK EAL cannot start here"; }
	grep -qi "net_af_packet" "$tmp/probe.out" && { cat "$tmp/probe.out"; skip "no net_af_packet driver"; }
	cat "$tmp/probe.out"
	fail "probe: tapdump failed on $PORT"
}
! promisc || fail "probe: the port is still promiscuous after tapdump exited"

# 1. The end of --duration, with --dpdk-debug's account of the close.
run duration --duration 3 --dpdk-debug
wait_promisc duration
finish duration
grep -q 'dpdk:net_af_packet0: promiscuous mode off again' "$tmp/duration.out" ||
	{ cat "$tmp/duration.out"; fail "duration: --dpdk-debug does not say the close turned promiscuous mode off"; }

# 2. The stop signals.
for sig in INT TERM; do
	run sig$sig
	wait_promisc sig$sig
	kill -$sig "$tdpid"
	finish sig$sig
done

# 3. -p: never promiscuous, nothing to put back.
run nopromisc -p --duration 1.5 --dpdk-debug
while kill -0 "$cap" 2>/dev/null; do
	! promisc || { cat "$tmp/nopromisc.out"; fail "nopromisc: -p turned promiscuous mode on"; }
	sleep 0.1
done
finish nopromisc
! grep -q 'promiscuous mode .* again' "$tmp/nopromisc.out" ||
	{ cat "$tmp/nopromisc.out"; fail "nopromisc: the close changed a mode nobody turned on"; }
echo "dpdk_promisc: ok"
