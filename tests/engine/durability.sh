#!/bin/sh
# tests/engine/durability.sh: what is on disk after kill -9, a full disk, SIGTERM/SIGINT is a valid capture of what was counted.
#
# MODE kill: kill -9 mid-write, plain and LZ4; MODE signals: SIGTERM and SIGINT
# mid-run; MODE enospc / enospc-merge / enospc-lz4: a 2 MiB tmpfs fills up
# (root only) with one input, with two merged inputs, and with LZ4 output;
# enospc-dio / enospc-lz4-dio: the same through --direct-io.
. "$(dirname "$0")/lib.sh"
need_programs
[ -n "$MODE" ] || { echo "FAIL no MODE given"; exit 1; }
LIMIT=30

cd "$TMP" || exit 1
# ~29 MB: a feed at 8 MB/s lasts well over the second the tests wait
gen -n 40000 --seed 81 -o big.pcap

# feed RATE ARGS...: tapdump -r - ARGS in the background, fed slowly from a pipe; sets FED_PID
feed() {
	_rate=$1
	shift
	# no timeout wrapper: the signals must reach tapdump itself (the feed ends in about 4 s anyway)
	"$PCAPCHECK" slowcat "$_rate" big.pcap 2>/dev/null | "$TAPDUMP" -r - "$@" 2>"$TMP/err" &
	FED_PID=$!
	CLEANUP="kill $FED_PID 2>/dev/null; $CLEANUP"
}

# grow FILE BYTES: wait (at most 10 s) until FILE has at least BYTES on disk
grow() {
	_i=0
	while [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -lt "$2" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ $_i -lt 100 ]
}

# reads_clean FILE: tcpdump (or tapdump without tcpdump) reads FILE to its end without complaint
reads_clean() {
	if [ -x /usr/bin/tcpdump ]; then
		/usr/bin/tcpdump -r "$1" -w /dev/null >/dev/null 2>"$TMP/rc.err" && ! grep -qi 'truncat\|error' "$TMP/rc.err"
	else
		"$TAPDUMP" -r "$1" -w /dev/null 2>"$TMP/rc.err" && ! grep -qi 'truncat\|error' "$TMP/rc.err"
	fi
}

kill_plain() {
	feed 8000000 -w k.pcap
	if ! grow k.pcap 3000000; then
		fail "kill -9 plain: k.pcap never grew to 3 MB"
		return
	fi
	kill -9 $FED_PID
	wait $FED_PID 2>/dev/null
	size=$(wc -c <k.pcap)
	if n=$("$PCAPCHECK" prefix k.pcap big.pcap); then
		pass "kill -9 plain: the $size bytes left are the input's first bytes ($n whole packets)"
	else
		fail "kill -9 plain: the file left is not a prefix of the input"
	fi
	# tapdump reads it up to the cut: whole records in a row end cleanly, a cut record is reported
	"$TAPDUMP" -r k.pcap -w back.pcap 2>err
	rc=$?
	if "$PCAPCHECK" count k.pcap >/dev/null 2>&1; then
		[ $rc = 0 ] && cmp -s back.pcap k.pcap && pass "kill -9 plain: the file ends on a record; -r reads all $n" ||
			fail "kill -9 plain: -r of whole records: exit $rc"
	else
		[ $rc != 0 ] && grep -q truncated err && pass "kill -9 plain: -r stops at the cut record, exit $rc" ||
			fail "kill -9 plain: a cut record not reported (exit $rc)"
	fi
	# cut it mid-record by hand: every packet before the cut comes back, and the cut is reported
	head -c $((size - 100)) k.pcap >cut.pcap
	cut_reads_back "a record cut by hand" cut.pcap "$(count cut.pcap)"
}

# cut_reads_back LABEL FILE N: tapdump -r FILE reports the cut ("truncated", non-zero exit) and gives
# back exactly the N whole packets before it, intact (a prefix of big.pcap).
cut_reads_back() {
	"$TAPDUMP" -r "$2" -w back.pcap 2>err
	rc=$?
	[ $rc != 0 ] && grep -q truncated err && pass "$1: -r reports the cut, exit $rc: $(grep -m1 truncated err)" ||
		{ fail "$1: -r exit $rc without a 'truncated' message"; show_err; }
	[ "$(count back.pcap)" = "$3" ] && "$PCAPCHECK" prefix back.pcap big.pcap >/dev/null &&
		pass "$1: -r gives back all $3 whole packets before the cut, intact" ||
		fail "$1: -r gives back $(count back.pcap) of $3 packets"
}

kill_lz4() {
	feed 8000000 -w k.pcap.lz4
	if ! grow k.pcap.lz4 1000000; then
		fail "kill -9 lz4: k.pcap.lz4 never grew to 1 MB"
		return
	fi
	kill -9 $FED_PID
	wait $FED_PID 2>/dev/null
	lz4 -dc k.pcap.lz4 >dec.pcap 2>/dev/null
	[ $? != 0 ] && pass "kill -9 lz4: lz4 -dc says the frame is unfinished" || fail "kill -9 lz4: the cut frame decodes as complete"
	if n=$("$PCAPCHECK" prefix dec.pcap big.pcap); then
		pass "kill -9 lz4: lz4 -dc yields the input's first $(wc -c <dec.pcap) bytes ($n whole packets)"
	else
		fail "kill -9 lz4: lz4 -dc does not yield a prefix of the input"
		return
	fi
	cut_reads_back "kill -9 lz4" k.pcap.lz4 "$n"
}

# signal SIG NAME BYTES ARGS...: SIG once NAME has BYTES, then every file is complete and holds what -v says was written
signal_run() {
	_sig=$1
	_name=$2
	_bytes=$3
	shift 3
	rm -f s.pcap*
	feed 8000000 -v "$@"
	if ! grow "$_name" "$_bytes"; then
		fail "$_sig $*: $_name never grew"
		return
	fi
	kill -s "$_sig" $FED_PID
	wait $FED_PID
	rc=$?
	[ $rc = 0 ] && pass "$_sig $*: exit 0" || { fail "$_sig $*: exit $rc"; show_err; }
	w=$(identity_field written err)
	total=0
	bad=""
	for f in s.pcap*; do
		case $f in
		*.tdidx) continue ;; # the archive index beside each capture
		*.lz4*)
			lz4 -t "$f" 2>/dev/null || bad="$bad $f(lz4 -t)"
			lz4 -dc "$f" >"$f.dec" 2>/dev/null
			reads_clean "$f.dec" || bad="$bad $f(read)"
			n=$(count "$f.dec") || bad="$bad $f(partial)"
			rm -f "$f.dec"
			;;
		*)
			reads_clean "$f" || bad="$bad $f(read)"
			n=$(count "$f") || bad="$bad $f(partial)"
			;;
		esac
		total=$((total + n))
	done
	[ -z "$bad" ] && pass "$_sig $*: every file complete and readable" || fail "$_sig $*: broken files:$bad"
	[ -n "$w" ] && [ "$total" = "$w" ] && [ "$w" -gt 0 ] && [ "$w" -lt 40000 ] &&
		pass "$_sig $*: the files hold the $w packets -v counts as written (stopped mid-run)" ||
		fail "$_sig $*: files hold $total, -v says written $w"
	grep -q MISMATCH err && fail "$_sig $*: identity MISMATCH"
}

# enospc ARGS...: write into a 2 MiB tmpfs until it is full
enospc() {
	_out=$1
	shift
	td "$@" -w "mnt/$_out" -v
	rc=$?
	[ $rc != 0 ] && pass "ENOSPC: non-zero exit ($rc)" || fail "ENOSPC: exit 0 on a full disk"
	lines=$(grep -c 'No space left on device' err)
	[ "$lines" = 1 ] && pass "ENOSPC: one line says so: $(grep 'No space' err)" ||
		{ fail "ENOSPC: $lines lines mention the full disk"; show_err; }
	w=$(identity_field written err)
	l=$(identity_field lost err)
	[ -n "$l" ] && [ "$l" -gt 0 ] && pass "ENOSPC: $l packets counted lost" || fail "ENOSPC: lost '$l'"
	grep -q MISMATCH err && fail "ENOSPC: identity MISMATCH"
	case $_out in
	*.lz4)
		lz4 -dc "mnt/$_out" >dec.pcap 2>/dev/null
		lz4 -t "mnt/$_out" 2>/dev/null && pass "ENOSPC lz4: the frame is complete (lz4 -t)" ||
			fail "ENOSPC lz4: lz4 -t fails on the file left behind"
		file=dec.pcap
		;;
	*) file=mnt/$_out ;;
	esac
	reads_clean "$file" && pass "ENOSPC: the file left behind reads without error" ||
		fail "ENOSPC: reading the file left behind: $(head -2 "$TMP/rc.err" | tail -1)"
	n=$(count "$file")
	[ "$n" = "$w" ] && pass "ENOSPC: the file holds exactly the $w packets counted written" ||
		fail "ENOSPC: the file holds $n packets, -v says written $w"
}

case $MODE in
kill)
	kill_plain
	if command -v lz4 >/dev/null 2>&1; then kill_lz4; else echo "lz4 not found: LZ4 part skipped"; fi
	;;
signals)
	signal_run TERM s.pcap 500000 -w s.pcap
	signal_run INT s.pcap 500000 -w s.pcap
	if command -v lz4 >/dev/null 2>&1; then
		signal_run TERM s.pcap.lz4 500000 -w s.pcap.lz4
		signal_run INT s.pcap.lz4 500000 -w s.pcap.lz4
		# once the second file exists: a rotation has happened, the run is still going
		signal_run TERM s.pcap.lz42 1 -w s.pcap.lz4 -C 1
	fi
	signal_run INT s.pcap2 1 -w s.pcap -C 1
	;;
enospc | enospc-merge | enospc-lz4 | enospc-dio | enospc-lz4-dio)
	need_root "mounting a tmpfs"
	mkdir mnt
	mount -t tmpfs -o size=2m tapdump-test mnt 2>/dev/null || skip "cannot mount a tmpfs here"
	CLEANUP="umount '$TMP/mnt'; $CLEANUP"
	gen -n 40000 --seed 82 --start 1700000000.03 -o big2.pcap
	case $MODE in
	enospc) enospc x.pcap -r big.pcap ;;
	enospc-merge) enospc x.pcap -r big.pcap -r big2.pcap ;;
	# --direct-io: a failed direct write cuts the file back as a buffered one does.
	enospc-dio) enospc x.pcap -r big.pcap --direct-io ;;
	enospc-lz4-dio)
		command -v lz4 >/dev/null 2>&1 || skip "lz4 not found"
		gen -n 40000 --seed 83 --payload random -o rand.pcap
		enospc x.pcap.lz4 -r rand.pcap --direct-io
		;;
	enospc-lz4)
		command -v lz4 >/dev/null 2>&1 || skip "lz4 not found"
		# random payload: compressed it is still far more than 2 MiB
		gen -n 40000 --seed 83 --payload random -o rand.pcap
		enospc x.pcap.lz4 -r rand.pcap
		# The disk already full but for a page: small writes gather in the sink until close, so it
		# is the close that fails; the frame must still be ended where the file was cut.
		rm -f mnt/x.pcap.lz4
		avail=$(df -B1 --output=avail mnt | tail -1)
		head -c $((avail - 4096)) /dev/zero >mnt/filler
		enospc y.pcap.lz4 -r rand.pcap -c 250
		;;
	esac
	;;
*)
	echo "FAIL unknown MODE $MODE"
	exit 1
	;;
esac
finish
