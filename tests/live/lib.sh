# Shell helpers the tapdump live tests source: reading the -v accounting table and checking its identity.

# The system python starts in a tenth of the time a version-manager shim takes: senders start on cue.
PY=$(command -v /usr/bin/python3 || command -v python3)

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# The last table in OUT is the one printed at exit (SIGUSR1 prints others while running).

# identity_ok OUT: the exit "identity:" line of tapdump -v holds, summed here rather than trusting its own verdict.
identity_ok() {
	awk '/^identity:/ { found = 1; ok = ($3 == $6 + $9 + $12 + $15 + $19) && !/MISMATCH|in flight/ }
	     END { exit !(found && ok) }' "$1"
}

# ident FIELD OUT: one number from the exit identity line (received, rejected, ring_dropped, written, lost, after).
ident() {
	awk -v f="$1" '/^identity:/ {
		v["received"] = $3; v["rejected"] = $6; v["ring_dropped"] = $9
		v["written"] = $12; v["lost"] = $15; v["after"] = $19 } END { print v[f] }' "$2"
}

# queue_rows OUT: how many per-queue rows the -v table has.
queue_rows() {
	awk '/^queue / { on = 1; n = 0; next } /^writer / { on = 0 } on && $1 ~ /^[0-9]+$/ { n++ } END { print n + 0 }' "$1"
}

# backend_drops OUT: backend_drop + if_drop summed over the queue rows.
backend_drops() {
	awk '/^queue / { on = 1; n = 0; next } /^writer / { on = 0 } on && $1 ~ /^[0-9]+$/ { n += $(NF-1) + $NF } END { print n + 0 }' "$1"
}

# check_accounting NAME OUT: the identity holds and the closing lines agree with the table.
check_accounting() {
	identity_ok "$2" || { cat "$2"; fail "$1: accounting identity does not hold"; }
	cap=$(awk '/ packets captured$/ { n = $1 } END { print n }' "$2")
	[ "$cap" = "$(ident written "$2")" ] || { cat "$2"; fail "$1: 'packets captured' $cap is not the table's written"; }
}

# The end-to-end tests' namespace: $NS (set by the caller) holding a veth pair va <-> vb with two
# queues each, and the tapdump binary $TD started inside it. veth_setup needs root, iproute2,
# python3 and tcpdump (skips otherwise), makes $tmp and sets the EXIT trap that undoes it all.
veth_setup() {
	[ "$(id -u)" = 0 ] || skip "network namespaces need root"
	command -v ip >/dev/null || skip "iproute2 not found"
	[ -n "$PY" ] || skip "python3 not found (sends the frames)"
	command -v tcpdump >/dev/null || skip "tcpdump not found (filters the reference)"
	tmp=$(mktemp -d) || exit 1
	cap=
	tdpid=
	trap veth_cleanup EXIT
	trap 'exit 1' INT TERM
	ip netns add "$NS" 2>/dev/null || skip "cannot create a network namespace"
	ip -n "$NS" link add va numtxqueues 2 numrxqueues 2 type veth peer name vb numtxqueues 2 numrxqueues 2 ||
		skip "cannot create a veth pair"
	# No IPv6, no addresses: nothing but our frames crosses the link, so counts are exact.
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip -n "$NS" link set lo up && ip -n "$NS" link set va up && ip -n "$NS" link set vb up || fail "links down"
}

veth_cleanup() {
	[ -n "$tdpid" ] && kill "$tdpid" 2>/dev/null
	[ -n "$cap" ] && wait "$cap" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$tmp"
}

# in_ns CMD...: run in the namespace, with a bpffs for libxdp (each `ip netns exec` gets a fresh mount namespace).
in_ns() {
	ip netns exec "$NS" sh -c 'mount -t bpf bpf /sys/fs/bpf 2>/dev/null; exec "$@"' sh "$@"
}

# start NAME TAPDUMP-ARGS...: start tapdump -v in the namespace (output in $tmp/NAME.out) and wait until it listens.
# `ip netns exec` forks, so its pid is not tapdump's: the inner shell records the pid it execs into.
start() {
	name=$1; shift
	out="$tmp/$name.out"
	: >"$out"
	rm -f "$tmp/pid"
	ip netns exec "$NS" sh -c 'mount -t bpf bpf /sys/fs/bpf 2>/dev/null; echo $$ >"$0"; exec "$@"' "$tmp/pid" \
		timeout 60 "$TD" -v "$@" >"$out" 2>&1 &
	cap=$!
	while [ ! -s "$tmp/pid" ] && kill -0 "$cap" 2>/dev/null; do sleep 0.05; done
	tdpid=$(cat "$tmp/pid" 2>/dev/null)
	i=0
	while ! grep -q '^listening on' "$out"; do
		kill -0 "$cap" 2>/dev/null || { wait "$cap"; cap=; cat "$out"; fail "$name: tapdump did not start"; }
		i=$((i + 1)); [ $i -lt 150 ] || { cat "$out"; fail "$name: tapdump did not start in 15 s"; }
		sleep 0.1
	done
	# The socket is bound before "listening on"; give the rx thread a moment to enter its loop.
	sleep 0.3
}

# stop_capture [SIG]: SIGTERM (or SIG) to timeout, which passes it on and exits with tapdump's status (rc).
stop_capture() {
	kill -"${1:-TERM}" "$tdpid" 2>/dev/null
	wait "$cap"; rc=$?; cap=; tdpid=
}
