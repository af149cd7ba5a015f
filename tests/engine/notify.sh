#!/bin/sh
# tests/engine/notify.sh: systemd's notification protocol, checked with a fake NOTIFY_SOCKET listener (no systemd).
#
# A pipe input (anyone) and a live capture on lo in a network namespace
# (root; an abstract "@name" socket there): READY=1 first, then STATUS=
# lines with the counts and WATCHDOG=1 at half WATCHDOG_USEC, STOPPING=1
# when the run ends; no WATCHDOG=1 when WATCHDOG_PID names another
# process; -z hooks do not inherit NOTIFY_SOCKET.
. "$(dirname "$0")/lib.sh"
need_programs
PY=$(command -v /usr/bin/python3 || command -v python3) || skip "python3 not found (the fake listener)"

cd "$TMP" || exit 1
gen -n 3000 --seed 17 -o small.pcap
want=$(count small.pcap)

# The listener: binds NAME (a path, or @name: abstract), touches READY-FILE, logs one line per
# datagram (newlines as \n) to LOG; ends 1 s after STOPPING=1 or after SECONDS.
cat >listen.py <<'PY'
import os, socket, sys, time
name, log, ready, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('\0' + name[1:] if name.startswith('@') else name)
s.settimeout(0.1)
open(ready, 'w').close()
end = time.monotonic() + seconds
with open(log, 'w') as f:
    while time.monotonic() < end:
        try:
            d = s.recv(4096).decode()
        except socket.timeout:
            continue
        f.write(d.replace('\n', '\\n') + '\n')
        f.flush()
        if d.startswith('STOPPING=1'):
            end = min(end, time.monotonic() + 1)
PY

# listen NAME LOG [NETNS]: start the listener (in NETNS when given) and wait until it is bound.
listen() {
	rm -f "$2" lready
	if [ -n "${3:-}" ]; then
		ip netns exec "$3" timeout 30 "$PY" listen.py "$1" "$2" lready 25 &
	else
		timeout 30 "$PY" listen.py "$1" "$2" lready 25 &
	fi
	lpid=$!
	CLEANUP="kill $lpid 2>/dev/null; $CLEANUP"
	_i=0
	while [ ! -e lready ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	[ -e lready ] || { echo "FAIL the listener did not start"; exit 1; }
}

# kinds LOG: the datagrams' first keys, one word a line (READY, STATUS, WATCHDOG, STOPPING)
kinds() { sed 's/=.*//' "$1"; }

# in_order WHAT LOG: READY first, then STATUS and WATCHDOG (each at least once), STOPPING after them all;
# only WATCHDOG=1 may follow STOPPING (the supervisor pings while the files close).
in_order() {
	_seq=$(kinds "$2" | tr '\n' ' ')
	if echo "$_seq" | grep -Eq '^READY ((STATUS|WATCHDOG) )*STOPPING (WATCHDOG )*$' &&
		echo "$_seq" | grep -q 'STATUS.*STOPPING' && echo "$_seq" | grep -q 'WATCHDOG.*STOPPING'; then
		pass "$1: READY=1, STATUS=, WATCHDOG=1, STOPPING=1 in order ($_seq)"
	else
		fail "$1: datagrams out of order: $_seq"
	fi
}

transcript() {
	echo "     $1, the datagrams received:"
	sed 's/^/       /' "$2"
}

# 1. A pipe input: the stream, then the pipe stays open a few seconds; it ends by itself.
cat >hook.sh <<HOOK
#!/bin/sh
env >>"$TMP/hook.env"
HOOK
chmod +x hook.sh
listen "$TMP/notify.sock" pipe.log
(cat small.pcap; sleep 3.5) | NOTIFY_SOCKET=$TMP/notify.sock WATCHDOG_USEC=1000000 \
	timeout "$LIMIT" "$TAPDUMP" -r - -w out.pcap -C 1 -z ./hook.sh --stats-interval 1 2>err
rc=$?
wait $lpid
transcript "pipe input" pipe.log
[ $rc = 0 ] && pass "pipe input: exit 0" || { fail "pipe input: exit $rc"; show_err; }
in_order "pipe input" pipe.log
head -1 pipe.log | grep -q '^READY=1\\nSTATUS=reading capture files$' && pass "pipe input: READY=1 comes with a STATUS=" ||
	fail "pipe input: first datagram: $(head -1 pipe.log)"
last=$(grep '^STATUS=running' pipe.log | tail -1)
# Written counts records the kernel has: a file input's buffered tail is written at the close, after STOPPING=1.
# (the reader may hold the stream's tail until the pipe ends, so not all $want need be received yet).
echo "$last" | grep -Eq "^STATUS=running: [1-9][0-9]* packets received, [0-9]+ written, 0 dropped " &&
	pass "pipe input: STATUS= counts the packets received" || fail "pipe input: last STATUS: $last"
dogs=$(grep -c '^WATCHDOG=1$' pipe.log)
# 3.5 s at one ping every 0.5 s: about 7; a loaded machine may lose a few wake-ups.
[ "$dogs" -ge 4 ] && pass "pipe input: $dogs WATCHDOG=1 at half of WATCHDOG_USEC=1 s" ||
	fail "pipe input: $dogs WATCHDOG=1 in 3.5 s (want one each 0.5 s)"
if [ -s hook.env ]; then
	grep -q 'NOTIFY_SOCKET\|WATCHDOG_USEC' hook.env && fail "-z hook inherited NOTIFY_SOCKET or WATCHDOG_USEC" ||
		pass "-z hooks do not inherit NOTIFY_SOCKET, WATCHDOG_USEC"
else
	fail "-z hook did not run"
fi

# 2. WATCHDOG_PID names another process: the watchdog is not ours (sd_watchdog_enabled's rule).
listen "$TMP/notify2.sock" pid.log
(cat small.pcap; sleep 1.5) | NOTIFY_SOCKET=$TMP/notify2.sock WATCHDOG_USEC=400000 WATCHDOG_PID=1 \
	timeout "$LIMIT" "$TAPDUMP" -r - -w out2.pcap 2>err
rc=$?
wait $lpid
[ $rc = 0 ] && [ "$(kinds pid.log | tr '\n' ' ')" = "READY STOPPING " ] &&
	pass "WATCHDOG_PID=1: READY=1 and STOPPING=1, no WATCHDOG=1" ||
	{ fail "WATCHDOG_PID=1: exit $rc, datagrams: $(kinds pid.log | tr '\n' ' ')"; show_err; }

# 3. Without NOTIFY_SOCKET nothing changes.
NOTIFY_SOCKET= WATCHDOG_USEC=1000 td -r small.pcap -w out3.pcap && [ "$(count out3.pcap)" = "$want" ] &&
	pass "no NOTIFY_SOCKET: an ordinary run" || { fail "no NOTIFY_SOCKET: the run failed"; show_err; }

# 4. A live capture on lo in a network namespace, an abstract socket (namespaced too), stopped by SIGTERM.
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
	echo "SKIP (part 4) a live capture in a network namespace needs root and iproute2"
elif ! ip netns add "tdn$$" 2>/dev/null; then
	echo "SKIP (part 4) cannot create a network namespace"
else
	CLEANUP="ip netns del tdn$$ 2>/dev/null; $CLEANUP"
	ip -n "tdn$$" link set lo up
	listen "@tapdump-notify-$$" live.log "tdn$$"
	ip netns exec "tdn$$" sh -c 'echo $$ >"$0"; exec "$@"' "$TMP/td.pid" env NOTIFY_SOCKET="@tapdump-notify-$$" \
		WATCHDOG_USEC=1000000 timeout "$LIMIT" "$TAPDUMP" -i lo -w live.pcap --stats-interval 1 2>err &
	cap=$!
	# Traffic on the namespace's lo, bounded: 40 pings over 2 s.
	sleep 0.5
	ip netns exec "tdn$$" ping -q -c 40 -i 0.05 -W 1 127.0.0.1 >/dev/null 2>&1
	sleep 1.2
	kill -TERM "$(cat "$TMP/td.pid")" 2>/dev/null
	wait $cap
	rc=$?
	wait $lpid
	transcript "live capture on lo" live.log
	[ $rc = 0 ] && pass "live: exit 0 after SIGTERM" || { fail "live: exit $rc"; show_err; }
	in_order "live" live.log
	head -1 live.log | grep -q '^READY=1\\nSTATUS=listening on lo$' && pass "live: READY=1 once lo is listening" ||
		fail "live: first datagram: $(head -1 live.log)"
	got=$(count live.pcap)
	last=$(grep '^STATUS=running' live.log | tail -1)
	echo "$last" | grep -Eq '^STATUS=running: [1-9][0-9]* packets received' &&
		pass "live: STATUS= counts the packets ($got in the file)" || fail "live: last STATUS: $last"
fi
finish
