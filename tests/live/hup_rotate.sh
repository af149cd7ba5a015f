#!/bin/sh
# tests/live/hup_rotate.sh: SIGHUP on a live capture into files closes the current file and starts the next.
#
# On a veth pair in a network namespace, paced sequence-numbered frames:
# without -C/-G the files follow tcpdump's -C numbering (cap.pcap,
# cap.pcap1, ...); with -C -W the next index (wrapping); with -G alone a
# new slice named by the time of the HUP; the -z hook runs on each file a
# HUP closes. Every file reads whole, no frame is in two files, the
# numbers rise across the files in order, the files hold what -v says was
# written, and no HUP ends the run. With -w - or without -w, SIGHUP
# still stops the run, as tcpdump's does.
TD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
NS=tdh$$

command -v lz4 >/dev/null || skip "lz4 not found"
veth_setup
sender=
trap 'unpace; veth_cleanup' EXIT

# pace SECONDS: frames at 1000 a second from va for SECONDS, in the background (bounded: SECONDS x 1000 frames).
pace() {
	in_ns "$PY" "$HERE/send_paced.py" va "$1" 1000 >"$tmp/pace.txt" 2>&1 &
	sender=$!
}

unpace() {
	[ -n "$sender" ] || return 0
	wait "$sender" 2>/dev/null
	sender=
}

cat >"$tmp/log.sh" <<HOOK
#!/bin/sh
echo "\$1" >>"$tmp/hooks.log"
HOOK
chmod +x "$tmp/log.sh"

# series NAME DIR FILE...: the files (in series order) hold every written frame once, in rising order.
series() {
	name=$1 dir=$2
	shift 2
	check_accounting "$name" "$tmp/$name.out"
	written=$(ident written "$tmp/$name.out")
	"$PY" "$HERE/hup_seq.py" "$@" >"$tmp/$name.seq" || { cat "$tmp/$name.seq" "$tmp/$name.out"; ls -l "$dir"; fail "$name: a file does not read whole"; }
	sed 's/^/    /' "$tmp/$name.seq"
	grep -q '^order ok$' "$tmp/$name.seq" || fail "$name: frames out of order or in two files"
	total=$(awk '$1 != "order" { n += $2 } END { print n + 0 }' "$tmp/$name.seq")
	[ "$total" = "$written" ] || { cat "$tmp/$name.out"; fail "$name: the files hold $total frames, written says $written"; }
	files=$(ls "$dir" | grep -cv '\.tdidx$')
	[ "$files" = $# ] || { ls "$dir"; fail "$name: $files files in the directory, expected $#"; }
	# Every file but the last got frames (a HUP came while they flowed).
	empty=$(awk '$1 != "order" && $2 == 0 { n++ } END { print n + 0 }' "$tmp/$name.seq")
	[ "$empty" -le 1 ] || fail "$name: $empty empty files"
}

# hup_run NAME ARGS...: a 4 s paced flow, SIGHUP at about 1 s and 2 s, SIGTERM at 3 s; every HUP leaves the run going.
hup_run() {
	name=$1
	shift
	pace 4
	start "$name" -i vb "$@"
	# tapdump itself: timeout(1) passes a HUP on once, then ignores that signal.
	td=$(pgrep -P "$tdpid" | head -1)
	[ -n "$td" ] || fail "$name: tapdump's pid not found under timeout ($tdpid)"
	sleep 1
	kill -HUP "$td"
	sleep 1
	kill -0 "$td" 2>/dev/null || { cat "$tmp/$name.out"; fail "$name: the first SIGHUP ended the run"; }
	kill -HUP "$td"
	sleep 1
	kill -0 "$td" 2>/dev/null || { cat "$tmp/$name.out"; fail "$name: the second SIGHUP ended the run"; }
	stop_capture TERM
	unpace
	[ $rc = 0 ] || { cat "$tmp/$name.out"; fail "$name: exit $rc"; }
}

# 1. No rotation options: tcpdump's -C numbering, plain pcap, the hook... (-z needs -C/-G: none here).
d=$tmp/plain
mkdir "$d"
hup_run plain -w "$d/cap.pcap"
series plain "$d" "$d/cap.pcap" "$d/cap.pcap1" "$d/cap.pcap2"
echo "no -C/-G: ok"

# 2. -C with -W, LZ4 and a -z hook: the next index (the files are far below -C), a hook per closed file.
d=$tmp/sizes
mkdir "$d"
: >"$tmp/hooks.log"
hup_run sizes -w "$d/cap.pcap.lz4" -C 100 -W 5 -z "$tmp/log.sh"
series sizes "$d" "$d/cap.pcap.lz40" "$d/cap.pcap.lz41" "$d/cap.pcap.lz42"
for f in "$d"/cap.pcap.lz4?; do lz4 -t "$f" 2>/dev/null || fail "sizes: $(basename "$f") is not a whole LZ4 frame"; done
hooked=$(sort -u "$tmp/hooks.log" | wc -l)
[ "$hooked" = 3 ] || { cat "$tmp/hooks.log"; fail "sizes: $hooked hooks for 3 files (two by SIGHUP, one at exit)"; }
echo "-C 100 -W 5 -z, LZ4: ok"

# 3. -G alone (a slice far longer than the run): each HUP starts a slice named by its own second.
d=$tmp/slices
mkdir "$d"
hup_run slices -w "$d/s-%s.pcap" -G 3600
set -- $(ls "$d" | grep -v '\.tdidx$' | sort -t- -k2 -n | sed "s|^|$d/|")
[ $# = 3 ] || { ls "$d"; fail "slices: $# files, expected 3"; }
series slices "$d" "$@"
echo "-G 3600: ok"

# 4. Where there is no file to turn (-w -, printing), SIGHUP stops the run as tcpdump's does.
for v in stdout print; do
	pace 2
	case $v in
	stdout) start "hup-$v" -i vb -w - ;;
	print) start "hup-$v" -i vb -n ;;
	esac
	sleep 0.5
	stop_capture HUP
	unpace
	[ $rc = 0 ] || { tail -5 "$tmp/hup-$v.out"; fail "SIGHUP, $v: exit $rc"; }
	echo "SIGHUP with $v output stops the run: ok"
done
echo PASS
