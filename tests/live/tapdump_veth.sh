#!/bin/sh
# tapdump on a veth pair in a private namespace: libpcap live (with its options and kernel filter) and AF_XDP; every sent frame accounted for.
TD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
N=2000
NS=tdv$$

veth_setup
# finish NAME [lossy]: stop the capture with SIGTERM once everything sent has had time to arrive;
# unless lossy, nothing may have been dropped anywhere.
finish() {
	sleep 0.5
	stop_capture
	cat "$tmp/$1.out"
	[ $rc = 0 ] || fail "$1: tapdump exited $rc"
	check_accounting "$1" "$tmp/$1.out"
	[ "$2" = lossy ] && return
	[ "$(backend_drops "$tmp/$1.out")" = 0 ] || fail "$1: the backend dropped frames"
	[ "$(ident ring_dropped "$tmp/$1.out")" = 0 ] || fail "$1: ring drops at $N frames"
}

send() {
	in_ns "$PY" "$HERE/send_frames.py" va "$1" "$tmp/sent.pcap" >"$tmp/sent.txt" || fail "sender failed"
}

# expect NAME RECEIVED WRITTEN REF [compare options]: counters and file against the reference.
expect() {
	[ "$(ident received "$tmp/$1.out")" = "$2" ] || fail "$1: received $(ident received "$tmp/$1.out"), expected $2"
	[ "$(ident written "$tmp/$1.out")" = "$3" ] || fail "$1: wrote $(ident written "$tmp/$1.out"), expected $3"
	ref=$4; name=$1; shift 4
	"$PY" "$HERE/mkpcap.py" compare "$@" "$ref" "$tmp/$name.pcap" || fail "$name: file differs from what was sent"
	echo "$name: ok"
}

# 1. -D and -L name the namespace's interfaces.
in_ns "$TD" -D >"$tmp/D.out" 2>&1 || { cat "$tmp/D.out"; fail "-D failed"; }
grep -q '^[0-9]*\.vb ' "$tmp/D.out" || { cat "$tmp/D.out"; fail "-D does not list vb"; }
in_ns "$TD" -L -i vb >"$tmp/L.out" 2>&1 || { cat "$tmp/L.out"; fail "-L failed"; }
grep -q 'EN10MB' "$tmp/L.out" || { cat "$tmp/L.out"; fail "-L does not list EN10MB"; }

# 2. libpcap live with tcpdump's capture options: every frame, byte for byte, in order.
start pcap -i vb -p -Q in -B 4096 -j host -y EN10MB -w "$tmp/pcap.pcap"
send $N
finish pcap
expect pcap $N $N "$tmp/sent.pcap"

# 2b. --immediate-mode: libpcap retires a ring block per wakeup, and on a loaded box the kernel drops
# some of a fast burst (tcpdump 4.99.3 drops a similar share here). Every frame must still be counted:
# received + dropped by kernel = sent, and the file holds exactly what was received.
start immediate -i vb --immediate-mode -w "$tmp/immediate.pcap"
send $N
finish immediate lossy
got=$(ident received "$tmp/immediate.out")
[ $((got + $(backend_drops "$tmp/immediate.out"))) = $N ] ||
	fail "immediate: received $got + dropped $(backend_drops "$tmp/immediate.out") is not the $N sent"
expect immediate "$got" "$got" "$tmp/sent.pcap" --subset

# 3. libpcap live with a filter: the kernel filters too, so the unmatched half never reaches us (received = matched).
FILTER="ether[17] & 1 = 0"
tcpdump -Z root -r "$tmp/sent.pcap" -w "$tmp/even.pcap" "$FILTER" 2>/dev/null || fail "tcpdump -r -w failed"
start kfilter -i vb -w "$tmp/kfilter.pcap" "$FILTER"
send $N
finish kfilter
expect kfilter $((N / 2)) $((N / 2)) "$tmp/even.pcap"

# 4. SIGTERM while frames still arrive: everything counted as written is in the rotated files.
start term -i vb -C 1 -w "$tmp/term.pcap"
in_ns "$PY" "$HERE/send_frames.py" va 20000 >"$tmp/term.sent" 2>&1 &
sender=$!
# Mid-capture: once the first block has reached the file, while the sender is still going.
i=0
while [ "$(stat -c %s "$tmp/term.pcap" 2>/dev/null || echo 0)" -le 24 ] && [ $i -lt 100 ]; do
	i=$((i + 1)); sleep 0.1
done
sleep 0.2
stop_capture
wait "$sender" || { cat "$tmp/term.sent"; fail "term: sender failed"; }
cat "$tmp/term.out"
[ $rc = 0 ] || fail "term: tapdump exited $rc"
check_accounting term "$tmp/term.out"
written=$(ident written "$tmp/term.out")
infiles=$("$PY" "$HERE/mkpcap.py" count $(ls "$tmp"/term.pcap* | grep -v '\.tdidx$')) || fail "term: a file of the series does not read back"
echo "term: $written written, $infiles in $(ls "$tmp"/term.pcap* | grep -vc '\.tdidx$') files"
[ "$written" -gt 0 ] && [ "$infiles" = "$written" ] || fail "term: counted $written as written, the files hold $infiles"

# 5. Bad names and arguments: exit 1 and one clear line, nothing left attached.
bad() {
	name=$1; shift
	in_ns timeout 30 "$TD" "$@" >"$tmp/$name.out" 2>&1
	rc=$?
	cat "$tmp/$name.out"
	[ $rc = 1 ] || fail "$name: exited $rc, not 1"
	[ "$(grep -c '^tapdump: ' "$tmp/$name.out")" = 1 ] || fail "$name: not exactly one tapdump: line"
	! grep -q '^listening on' "$tmp/$name.out" || fail "$name: started listening"
	! ip -n "$NS" link show vb | grep -q xdp || fail "$name: an XDP program is left on vb"
}
bad nodev -i nosuchif0
bad badlink -i vb -y NOSUCHLINK
bad badfilter -i vb "tcp and and"

# 6. AF_XDP, both queues, SKB then native mode: every frame, the filter in user space (received = sent).
if in_ns "$TD" -i xdp:vb -c 1 --duration 0.2 >"$tmp/probe.out" 2>&1; then
	for mode in skb drv; do
		# Both spellings of "every queue": the bare name and an explicit range.
		if [ $mode = skb ]; then spec=xdp:vb:0-1; else spec=xdp:vb; fi
		start xdp-$mode -i $spec --xdp-mode $mode -w "$tmp/xdp-$mode.pcap"
		send $N
		finish xdp-$mode
		[ "$(queue_rows "$tmp/xdp-$mode.out")" = 2 ] || fail "xdp-$mode: not one queue row per veth queue"
		# Two queues merge by arrival time: compare as multisets.
		expect xdp-$mode $N $N "$tmp/sent.pcap" --unordered
		! ip -n "$NS" link show vb | grep -q xdp || fail "xdp-$mode: XDP program still attached after exit"
	done
	# 6a. Time stamps: our XDP program stamps each frame in the kernel, so every frame has its own
	# time (per-burst stamps would repeat one time for a whole batch), close to the sender's clock;
	# and it wakes the worker in batches. With libxdp's program instead (--xdp-stamp burst, here by its
	# older name in the environment, TAPDUMP_XDP_STAMP=0) frames get one stamp per burst, which the same
	# check must refuse.
	start xdp-stamp -i xdp:vb --nano -w "$tmp/xdp-stamp.pcap"
	send $N
	finish xdp-stamp
	grep -q 'time stamps: kernel, XDP \(metadata\|headroom\); woken every [0-9]* frames)' "$tmp/xdp-stamp.out" ||
		fail "xdp-stamp: frames not stamped and counted by tapdump's XDP program"
	"$PY" "$HERE/mkpcap.py" stamps "$tmp/sent.pcap" "$tmp/xdp-stamp.pcap" 90 50 || fail "xdp-stamp: time stamps"
	! ip -n "$NS" link show vb | grep -q xdp || fail "xdp-stamp: XDP program still attached after exit"
	# 6a'. A queue without a socket: the program passes its frames to the stack as they came (the
	# headroom variant gives back the bytes it put in front). One queue captured at a time, a tcpdump
	# on the stack beside it: between them every frame, and the stack's copies byte for byte.
	passed=0
	for q in 0 1; do
		# `ip netns exec` forks: the inner shell records the pid it execs into, as start() does.
		rm -f "$tmp/tcpd.pid"
		in_ns sh -c 'echo $$ >"$0"; exec timeout 60 tcpdump -U -i vb -w "$1"' "$tmp/tcpd.pid" \
			"$tmp/stack-$q.pcap" >"$tmp/stack-$q.err" 2>&1 &
		tcpd=$!
		i=0
		until grep -q 'listening on' "$tmp/stack-$q.err"; do
			i=$((i + 1)); [ $i -lt 100 ] || fail "stack-$q: tcpdump did not start"; sleep 0.1
		done
		start xdp-q$q -i xdp:vb:$q -w "$tmp/xdp-q$q.pcap"
		send $N
		finish xdp-q$q
		sleep 0.2
		kill "$(cat "$tmp/tcpd.pid")"; wait $tcpd
		stack=$(tcpdump -n -r "$tmp/stack-$q.pcap" 2>/dev/null | grep -c "^[0-9]")
		[ $(($(ident received "$tmp/xdp-q$q.out") + stack)) = $N ] ||
			fail "xdp-q$q: $(ident received "$tmp/xdp-q$q.out") captured + $stack on the stack is not $N"
		"$PY" "$HERE/mkpcap.py" compare --subset "$tmp/sent.pcap" "$tmp/stack-$q.pcap" ||
			fail "xdp-q$q: frames passed to the stack were changed"
		passed=$((passed + stack))
	done
	[ $passed -gt 0 ] || fail "xdp-q: no frame came on a queue without a socket"
	echo "xdp-pass: ok ($passed frames passed to the stack)"
	# The largest program: queue 31 of a 32-queue veth, so the wake-up code covers 32 queues.
	ip -n "$NS" link add wa numtxqueues 32 numrxqueues 32 type veth peer name wb numtxqueues 32 numrxqueues 32 &&
		ip -n "$NS" link set wa up && ip -n "$NS" link set wb up || fail "cannot create a 32-queue veth pair"
	in_ns "$TD" -v -i xdp:wb:31 --duration 0.3 -w "$tmp/xdp-q31.pcap" >"$tmp/xdp-q31.out" 2>&1 ||
		{ cat "$tmp/xdp-q31.out"; fail "xdp-q31: AF_XDP on queue 31 failed"; }
	grep -q 'xdp:wb:31: .*woken every [0-9]* frames)' "$tmp/xdp-q31.out" ||
		{ cat "$tmp/xdp-q31.out"; fail "xdp-q31: the 32-queue program was not loaded"; }
	! ip -n "$NS" link show wb | grep -q xdp || fail "xdp-q31: XDP program still attached after exit"
	echo "xdp-q31: ok"
	export TAPDUMP_XDP_STAMP=0
	start xdp-burst -i xdp:vb --nano -w "$tmp/xdp-burst.pcap"
	unset TAPDUMP_XDP_STAMP
	send $N
	finish xdp-burst
	grep -q 'time stamps: one per burst)' "$tmp/xdp-burst.out" || fail "xdp-burst: TAPDUMP_XDP_STAMP=0 not honoured"
	! "$PY" "$HERE/mkpcap.py" stamps "$tmp/sent.pcap" "$tmp/xdp-burst.pcap" 90 50 ||
		fail "xdp-burst: the stamp check passes one-per-burst stamps"
	start xdp-filter -i xdp:vb -w "$tmp/xdp-filter.pcap" "$FILTER"
	send $N
	finish xdp-filter
	expect xdp-filter $N $((N / 2)) "$tmp/even.pcap" --unordered
	[ "$(ident rejected "$tmp/xdp-filter.out")" = $((N / 2)) ] || fail "xdp-filter: rejected is not half"
	# 6b. AF_XDP overrun in copy mode: tapdump stopped while frames arrive, so the fill ring runs dry
	# and the kernel drops the rest. Each lost frame must be reported once: the kernel counts it both
	# in rx_dropped and in rx_fill_ring_empty_descs, and only the first is a count of frames here.
	# So received + backend drops is exactly what was sent, and "dropped by interface" stays silent.
	# The UMEM holds 32768 frames where locked memory is free (CAP_IPC_LOCK, as root; or no limit), else
	# what fits in 3/4 of RLIMIT_MEMLOCK (3072 at 8 MiB): send more than that.
	# veth_drops: the pair's own drop counters (both ends, rx and tx), summed
	veth_drops() {
		in_ns cat /sys/class/net/va/statistics/tx_dropped /sys/class/net/va/statistics/rx_dropped \
			/sys/class/net/vb/statistics/tx_dropped /sys/class/net/vb/statistics/rx_dropped |
			awk '{ n += $1 } END { print n + 0 }'
	}
	if [ "$(id -u)" = 0 ] || [ "$(ulimit -l)" = unlimited ]; then over=40000; else over=6000; fi
	start xdp-over -i xdp:vb --xdp-mode skb -w "$tmp/xdp-over.pcap"
	# start() has timeout's pid; tapdump is its only child.
	td=$(cat "/proc/$tdpid/task/$tdpid/children" 2>/dev/null || pgrep -P "$tdpid")
	td=${td%% *}
	[ -n "$td" ] || fail "xdp-over: cannot find tapdump's pid under timeout $tdpid"
	veth_drops0=$(veth_drops)
	kill -STOP "$td"
	in_ns "$PY" "$HERE/send_frames.py" va $over >"$tmp/sent.txt" || { kill -CONT "$td"; fail "sender failed"; }
	kill -CONT "$td"
	finish xdp-over lossy
	got=$(ident received "$tmp/xdp-over.out")
	drops=$(backend_drops "$tmp/xdp-over.out")
	echo "xdp-over: sent $over, received $got, dropped $drops"
	echo "xdp-over: the veth pair's own drop counters went up by $(($(veth_drops) - veth_drops0))"
	[ "$drops" -gt 0 ] || fail "xdp-over: nothing dropped with tapdump stopped for $over frames"
	[ $((got + drops)) = $over ] || fail "xdp-over: received $got + dropped $drops is not the $over sent"
	kernel=$(awk '/ packets dropped by kernel$/ { n = $1 } END { print n + 0 }' "$tmp/xdp-over.out")
	[ "$kernel" = "$drops" ] || fail "xdp-over: 'dropped by kernel' $kernel is not the table's $drops"
	! grep -q 'dropped by interface' "$tmp/xdp-over.out" || fail "xdp-over: a copy-mode drop reported twice"
	# -v ends with the kernel's own XDP_STATISTICS: here every drop is an rx_dropped.
	grep -q "^backend 0 xdp:vb:0: rx_dropped $drops " "$tmp/xdp-over.out" ||
		fail "xdp-over: no XDP_STATISTICS line with rx_dropped $drops"
	[ "$("$PY" "$HERE/mkpcap.py" count "$tmp/xdp-over.pcap")" = "$got" ] || fail "xdp-over: file holds other than $got"
	bad xdp-nodev -i xdp:nosuchif0
	bad xdp-queue -i xdp:vb:7
	bad xdp-mode -i xdp:vb --xdp-mode nosuchmode
else
	cat "$tmp/probe.out"
	grep -q "built without" "$tmp/probe.out" || fail "AF_XDP does not open on a veth"
	echo "note: AF_XDP part skipped (tapdump built without AF_XDP)"
fi
echo PASS
