#!/bin/sh
# Golden test on traffic captured in a network namespace this test creates: tapdump's lines equal tcpdump's.
# Usage: netns.sh TAPDUMP
set -u
TAPDUMP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TEST=print-netns
TCPDUMP=${TCPDUMP:-/usr/bin/tcpdump}
. "$(dirname "$0")/../report.sh"

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
[ -x "$TCPDUMP" ] || skip "tcpdump not found (the oracle)"
command -v ip >/dev/null 2>&1 || skip "iproute2 not installed"
PY=$(command -v /usr/bin/python3 || command -v python3) || skip "python3 not found (the TCP/UDP peers)"

NS=tdpr$$
TMP=$(mktemp -d /tmp/tapdump-netns.XXXXXX)
CAP_PID=
cleanup() {
	[ -n "$CAP_PID" ] && kill "$CAP_PID" 2>/dev/null
	ip netns del "${NS}a" 2>/dev/null
	ip netns del "${NS}b" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ip netns add "${NS}a" && ip netns add "${NS}b" || skip "cannot create network namespaces here"
ip link add va netns "${NS}a" type veth peer name vb netns "${NS}b" || skip "cannot create a veth pair"
ip -n "${NS}a" addr add 10.77.0.1/24 dev va
ip -n "${NS}b" addr add 10.77.0.2/24 dev vb
ip -n "${NS}a" link set va up
ip -n "${NS}b" link set vb up
ip -n "${NS}a" link set lo up
ip -n "${NS}b" link set lo up

# Capture on b with tapdump itself, bounded by --duration.
ip netns exec "${NS}b" "$TAPDUMP" -i vb -w "$TMP/cap.pcap" --duration 6 2>"$TMP/cap.err" &
CAP_PID=$!
sleep 1.5

# Bounded traffic: 3 pings, one TCP exchange with data and FIN, two UDP datagrams.
ip netns exec "${NS}a" ping -c 3 -i 0.2 -W 1 10.77.0.2 >/dev/null 2>&1
ip netns exec "${NS}b" timeout 5 "$PY" -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.0.2", 8080)); s.listen(1); s.settimeout(4)
c, _ = s.accept(); c.recv(100); c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"); c.close()
' &
SRV=$!
sleep 0.5
ip netns exec "${NS}a" timeout 5 "$PY" -c '
import socket, time
c = socket.create_connection(("10.77.0.2", 8080), timeout=3)
c.sendall(b"GET /index.html HTTP/1.1\r\nHost: b\r\n\r\n"); c.recv(100); c.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b"hello", ("10.77.0.2", 9999)); u.sendto(b"world", ("10.77.0.2", 9999))
time.sleep(0.3)
'
wait $SRV 2>/dev/null
wait "$CAP_PID"
rc=$?
CAP_PID=
[ $rc = 0 ] && pass "capture in the namespace ended cleanly" || fail "capture exit $rc: $(head -c 300 "$TMP/cap.err")"

n=$("$TCPDUMP" -r "$TMP/cap.pcap" 2>/dev/null | wc -l)
[ "$n" -ge 10 ] && pass "captured $n packets" || fail "only $n packets captured"

FLAGS=$(dirname "$0")/../../../shared/corpus/FLAGS.tsv
if [ -f "${TD_CORPUS:-}/FLAGS.tsv" ]; then FLAGS=$TD_CORPUS/FLAGS.tsv; fi
if [ -f "$FLAGS" ]; then
	sets=$(grep -v '^#' "$FLAGS" | cut -f2)
else
	sets="-nn
-nn -e
-nn -v
-nn -x
-nn -X"
fi
echo "$sets" | while IFS= read -r flags; do
	[ -n "$flags" ] || continue
	# shellcheck disable=SC2086 # flags are words
	(cd "$TMP" && TZ=UTC LC_ALL=C "$TCPDUMP" $flags -r cap.pcap >ref.txt 2>/dev/null)
	# shellcheck disable=SC2086
	(cd "$TMP" && TZ=UTC LC_ALL=C "$TAPDUMP" $flags -r cap.pcap >our.txt 2>our.err) || head -2 "$TMP/our.err"
	if cmp -s "$TMP/ref.txt" "$TMP/our.txt"; then
		echo "ok   $flags"
	else
		echo "FAIL $flags"
		diff "$TMP/ref.txt" "$TMP/our.txt" | head -4
		echo x >>"$TMP/failed"
	fi
done
if [ -f "$TMP/failed" ]; then
	fail "$(wc -l <"$TMP/failed") flag sets print differently from tcpdump"
else
	pass "every flag set prints what tcpdump prints"
fi
finish
