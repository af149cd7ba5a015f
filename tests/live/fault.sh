#!/bin/sh
# tests/live/fault.sh: a rotating live capture on a veth pair under faults: -G/-W endings, hooks, LZ4, -C, stop signals at random moments.
#
# After every run each file reads whole (lz4 -t, then tcpdump), the packets
# in the files equal the written counter, and the accounting identity holds.
TD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
NS=tdf$$

command -v lz4 >/dev/null || skip "lz4 not found"
veth_setup
sender=
trap 'unpace; veth_cleanup' EXIT

cat >"$tmp/log.sh" <<HOOK
#!/bin/sh
echo "\$1" >>"$tmp/hooks.log"
HOOK
chmod +x "$tmp/log.sh"

# pace SECONDS: frames at 2000 a second from va for SECONDS, in the background.
pace() {
	in_ns "$PY" "$HERE/send_paced.py" va "$1" 2000 >"$tmp/pace.txt" 2>&1 &
	sender=$!
}

# `ip netns exec` forks: the sender is its child, found by its command line.
unpace() {
	pkill -f "$HERE/send_paced.py va" 2>/dev/null
	wait "$sender" 2>/dev/null
	sender=
}

# die MSG: fail from inside a command substitution (stdout is the value there).
die() {
	echo "FAIL: $*" >&2
	exit 1
}

# in_files NAME DIR: every file in DIR reads whole; prints the packets they hold (fails the test otherwise).
in_files() {
	n=0
	for f in "$2"/*; do
		case $f in
		*.tdidx) continue ;; # the archive index beside each capture
		*.lz4 | *.lz4[0-9]*)
			lz4 -t "$f" 2>/dev/null || die "$1: $(basename "$f") is not a whole LZ4 frame"
			lz4 -dc "$f" >"$tmp/dec.pcap" 2>/dev/null
			p=$tmp/dec.pcap
			;;
		*) p=$f ;;
		esac
		tcpdump -r "$p" -w /dev/null 2>"$tmp/rd.err" || die "$1: tcpdump cannot read $(basename "$f")"
		! grep -qi 'truncat' "$tmp/rd.err" || die "$1: $(basename "$f") is cut: $(cat "$tmp/rd.err")"
		c=$("$PY" "$HERE/mkpcap.py" count "$p") || die "$1: $(basename "$f") does not read back"
		n=$((n + c))
	done
	echo "$n"
}

# whole NAME DIR: files whole, packets in files = written, identity holds.
whole() {
	check_accounting "$1" "$tmp/$1.out"
	written=$(ident written "$tmp/$1.out")
	infiles=$(in_files "$1" "$2") || exit 1
	[ "$infiles" = "$written" ] || { cat "$tmp/$1.out"; fail "$1: the files hold $infiles packets, written says $written"; }
	echo "$1: $written packets in $(ls "$2" | grep -vc '\.tdidx$') whole files"
}

# 1. -G 1 -W 3 ends the capture by itself after its third slice: exit 0, the summary, a hook per file.
for v in plain hook lz4 lz4-hook-C; do
	dir=$tmp/$v
	mkdir "$dir"
	: >"$tmp/hooks.log"
	case $v in
	plain) set -- -w "$dir/h-%s.pcap" ;;
	hook) set -- -w "$dir/h-%s.pcap" -z "$tmp/log.sh" ;;
	lz4) set -- -w "$dir/h-%s.pcap.lz4" ;;
	lz4-hook-C) set -- -w "$dir/h-%s.pcap.lz4" -z "$tmp/log.sh" -C 1 ;;
	esac
	pace 8
	start "$v" -i vb -G 1 -W 3 "$@"
	wait "$cap"
	rc=$?
	cap=
	tdpid=
	unpace
	[ $rc = 0 ] || { cat "$tmp/$v.out"; fail "-G 1 -W 3 $v: exit $rc (139 was the segfault at the third slice's end)"; }
	grep -q ' packets captured$' "$tmp/$v.out" || { cat "$tmp/$v.out"; fail "-G 1 -W 3 $v: no closing summary"; }
	whole "$v" "$dir"
	files=$(ls "$dir" | grep -vc '\.tdidx$')
	case $v in
	*-C) [ "$files" -ge 3 ] || fail "-G 1 -W 3 -C 1 $v: $files files" ;;
	*) [ "$files" = 3 ] || fail "-G 1 -W 3 $v: $files files, not 3" ;;
	esac
	case $v in
	*hook*)
		# Every closed file got its hook, the last one included, before the exit (hooks are waited for).
		hooked=$(sort -u "$tmp/hooks.log" | wc -l)
		[ "$hooked" = "$files" ] || { cat "$tmp/hooks.log"; fail "-G 1 -W 3 $v: $hooked hooks for $files files"; }
		;;
	esac
	echo "-G 1 -W 3 $v: ok"
done

# 2. Stop signals at random moments of a rotating capture: every file whole, every written packet in them.
# HUP rotates a live capture (a daemon's rotation on demand): a HUP at the random moment, then a TERM.
k=0
for sig in INT TERM HUP INT TERM HUP; do
	k=$((k + 1))
	dir=$tmp/sig$k
	mkdir "$dir"
	# A time in the name: -G without one would write every slice over the last.
	if [ $((k % 2)) = 0 ]; then out="$dir/r-%s.pcap.lz4"; else out="$dir/r-%s.pcap"; fi
	delay=$(awk -v s="$$$k" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 2.3 }')
	pace 5
	start "sig$k" -i vb -G 1 -C 1 -w "$out"
	sleep "$delay"
	if [ "$sig" = HUP ]; then
		kill -HUP "$tdpid" 2>/dev/null
		sleep 0.4
		stop_capture TERM
	else
		stop_capture "$sig"
	fi
	unpace
	[ $rc = 0 ] || { cat "$tmp/sig$k.out"; fail "SIG$sig after $delay s: exit $rc"; }
	whole "sig$k" "$dir"
	echo "SIG$sig after $delay s: ok"
done
echo PASS
