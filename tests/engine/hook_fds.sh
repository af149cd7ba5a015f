#!/bin/sh
# tests/engine/hook_fds.sh: a -z hook inherits only fds 0, 1 and 2, whatever tapdump had open (inputs, outputs, stats file, capture sockets, eventfds, BPF and DPDK fds).
#
# The hook execs ls on /proc/self/fd and logs what it sees (ls's own
# directory fd left out). File input with -C 1 (plain and LZ4 output, a slow
# pipe and a file as inputs, --stats-file); as root, live captures on a veth
# pair in a network namespace of our own with -G 1 -W 2 through libpcap and
# AF_XDP, and a DPDK vdev fed by --dpdk-gen. Each live part skips itself when
# it cannot run. The spawner closes what a hook should not see, so while
# each run lasts, tapdump's own fds are read too: every one it opened has
# close-on-exec (/proc/PID/fdinfo), whoever opened it (libpcap, libxdp, DPDK).
. "$(dirname "$0")/lib.sh"
need_programs
LIMIT=60
cd "$TMP" || exit 1

# ~6 MB each: -C 1 closes several files
gen -n 10000 --seed 71 -o a.pcap
gen -n 10000 --seed 72 -o b.pcap
"$TAPDUMP" -r b.pcap -w b.pcap.lz4 2>/dev/null || { echo "FAIL tapdump -w b.pcap.lz4"; exit 1; }

mkdir logs
# What tapdump inherits from us is not its to mark.
INHERITED=" $(ls /proc/$$/fd 2>/dev/null | tr '\n' ' ') "
# One log per call, named by the hook's pid (ls's after the exec): the closed file, then ls -l's lines.
cat >hook <<HOOK
#!/bin/sh
echo "file \$1" >"$TMP/logs/\$\$"
exec ls -l /proc/self/fd >>"$TMP/logs/\$\$" 2>&1
HOOK
chmod +x hook

# check_logs NAME WANT_CALLS: every log lists fds 0, 1, 2 only (ls's /proc/N/fd left out); at least WANT_CALLS logs
check_logs() {
	_n=$(ls logs | wc -l)
	if [ "$_n" -lt "$2" ]; then
		fail "$1: the hook ran $_n times, expected $2 or more"
		return
	fi
	_bad=0
	for _l in logs/*; do
		# "lr-x------ 1 root root 64 Dec  4 16:00 3 -> /proc/1234/fd": the fd number precedes the arrow
		_fds=$(sed -n 's/.* \([0-9][0-9]*\) -> \(.*\)$/\1 \2/p' "$_l" | grep -v ' /proc/[0-9]*/fd$' | cut -d' ' -f1 |
			sort -n | tr '\n' ' ')
		if [ "$_fds" != "0 1 2 " ]; then
			_bad=$((_bad + 1))
			[ $_bad -le 3 ] && echo "     $(head -1 "$_l"): fds $_fds" &&
				sed -n 's/.* \([0-9][0-9]*\) -> \(.*\)$/       \1 -> \2/p' "$_l" | grep -v '^       [012] ->' |
				grep -v ' /proc/[0-9]*/fd$'
		fi
	done
	if [ $_bad -eq 0 ]; then
		pass "$1: all $_n hooks saw only fds 0, 1, 2"
	else
		fail "$1: $_bad of $_n hooks inherited more than fds 0, 1, 2"
	fi
	rm -f logs/*
}

# own_fds_cloexec NAME PID: every fd above 2 that PID did not inherit from us has close-on-exec
own_fds_cloexec() {
	if [ ! -d "/proc/$2/fdinfo" ]; then
		fail "$1: tapdump (pid $2) was gone before its fds were read"
		return
	fi
	_leaks=
	_n=0
	for _f in /proc/"$2"/fdinfo/*; do
		_fd=${_f##*/}
		[ "$_fd" -ge 3 ] 2>/dev/null || continue
		case $INHERITED in *" $_fd "*) continue ;; esac
		_fl=$(sed -n 's/^flags:[[:space:]]*//p' "$_f" 2>/dev/null)
		[ -n "$_fl" ] || continue
		_n=$((_n + 1))
		# O_CLOEXEC is 02000000 in the octal flags fdinfo shows
		[ $((0$_fl & 02000000)) -ne 0 ] || _leaks="$_leaks $_fd->$(readlink "/proc/$2/fd/$_fd")"
	done
	if [ -z "$_leaks" ]; then
		pass "$1: all $_n fds tapdump opened have close-on-exec"
	else
		fail "$1: fds without close-on-exec:$_leaks"
	fi
}

# 1. file input, plain output: a slow pipe (~2 s, so the fds can be read meanwhile) and an LZ4 file, a stats file
mkdir plain
"$PCAPCHECK" slowcat 3000000 a.pcap 2>/dev/null |
	"$TAPDUMP" -r - -r b.pcap.lz4 -w plain/out.pcap -C 1 -z "$TMP/hook" --stats-file "$TMP/stats.json" 2>"$TMP/err" &
pid=$!
CLEANUP="kill $pid 2>/dev/null; $CLEANUP"
sleep 1
own_fds_cloexec "-r - -r b.pcap.lz4 -w -C 1 --stats-file" $pid
if wait $pid; then
	check_logs "-r - -r b.pcap.lz4 -w -C 1 --stats-file" "$(ls plain | grep -vc '\.tdidx$')"
else
	fail "-r - -r b.pcap.lz4 -w -C 1 -z: tapdump exited non-zero"
	show_err
fi

# 2. LZ4 output
mkdir lz4
if td -r a.pcap -w lz4/out.pcap.lz4 -C 1 -z "$TMP/hook"; then
	check_logs "-r -w out.pcap.lz4 -C 1" "$(ls lz4 | grep -vc '\.tdidx$')"
else
	fail "-r -w .lz4 -C 1 -z: tapdump exited non-zero"
	show_err
fi

# The live parts: root, iproute2 and a namespace of our own.
live_skip=
if [ "$(id -u)" != 0 ]; then
	live_skip="needs root"
elif ! command -v ip >/dev/null; then
	live_skip="iproute2 not found"
fi

# live NAME SPEC [ARGS...]: tapdump -i SPEC -G 1 -W 2 -z hook in the namespace while frames cross the veth pair
live() {
	_name=$1
	shift
	rm -rf "$TMP/live"
	mkdir "$TMP/live"
	rm -f "$TMP/pid"
	# the inner shell's pid is timeout's: tapdump is its child
	ip netns exec "$NS" sh -c 'mount -t bpf bpf /sys/fs/bpf 2>/dev/null; echo $$ >"$0"; exec "$@"' "$TMP/pid" \
		timeout "$LIMIT" "$TAPDUMP" -i "$@" -w "$TMP/live/cap-%s.pcap" -G 1 -W 2 -z "$TMP/hook" \
		--stats-file "$TMP/live-stats.json" >"$TMP/live.out" 2>&1 &
	_cap=$!
	CLEANUP="kill $_cap 2>/dev/null; $CLEANUP"
	# frames for the 2 s the capture lasts: 50 every 0.1 s; tapdump's fds read once it listens
	_i=0
	_read=
	while kill -0 $_cap 2>/dev/null && [ $_i -lt 40 ]; do
		ip netns exec "$NS" "$PY" "$HERE/../live/send_frames.py" va 50 >/dev/null 2>&1
		if [ -z "$_read" ] && grep -q '^listening on' "$TMP/live.out" && [ -s "$TMP/pid" ]; then
			_read=$(pgrep -P "$(cat "$TMP/pid")" 2>/dev/null | head -1)
			[ -n "$_read" ] && own_fds_cloexec "$_name" "$_read"
			_read=done
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	wait $_cap
	_rc=$?
	if grep -q "built without\|EAL initialisation failed\|not supported\|Operation not permitted" "$TMP/live.out" && [ $_rc -ne 0 ]; then
		echo "note: $_name skipped: $(head -1 "$TMP/live.out")"
		return
	fi
	if [ $_rc -ne 0 ]; then
		fail "$_name: tapdump exited $_rc"
		sed -n '1,6s/^/     out: /p' "$TMP/live.out"
		rm -f logs/*
		return
	fi
	check_logs "$_name -G 1 -W 2 --stats-file" 2
}

HERE=$(cd "$(dirname "$0")" && pwd)
PY=$(command -v /usr/bin/python3 || command -v python3)
NS=tdhookfds$$
if [ -n "$live_skip" ]; then
	echo "note: live captures skipped: $live_skip"
elif [ -z "$PY" ]; then
	echo "note: live captures skipped: python3 not found (it sends the frames)"
elif ! ip netns add "$NS" 2>/dev/null; then
	echo "note: live captures skipped: cannot create a network namespace"
else
	CLEANUP="ip netns del $NS 2>/dev/null; $CLEANUP"
	if ip -n "$NS" link add va numtxqueues 2 numrxqueues 2 type veth peer name vb numtxqueues 2 numrxqueues 2 &&
		ip -n "$NS" link set lo up && ip -n "$NS" link set va up && ip -n "$NS" link set vb up; then
		ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		live "libpcap" vb
		live "AF_XDP" xdp:vb:0-1 --xdp-mode skb
	else
		echo "note: live captures skipped: cannot create a veth pair"
	fi
	# DPDK: a net_ring vdev fed by tapdump's own generator, no hugepages
	live "DPDK net_ring" dpdk:net_ring0 --dpdk-gen 2000
fi

finish
