#!/bin/sh
# The archive: index round trip, extraction by time window and filter
# against tcpdump, damaged or missing indexes, --index of tcpdump's files,
# drops reported for the window, retention taking indexes with their files.
# Modes: index, extract, fallback, drops.
. "$(dirname "$0")/lib.sh"
need_programs
command -v python3 >/dev/null || skip "python3 not installed"
CHECK="python3 $(dirname "$0")/archive_check.py"
case $CHECK in *" /"*) ;; *) CHECK="python3 $PWD/$(dirname "$0")/archive_check.py" ;; esac
cd "$TMP" || exit 1

START=1700000000
# 300 s of traffic at about 200 packets a second, a rotation every 60 s of packet time
gen -n 60000 --rate 200 --start $START -o in.pcap
mkdir plain lz4
td -r in.pcap -w plain/a-%s.pcap -G 60 || { show_err; fail "recording plain"; }
td -r in.pcap -w lz4/a-%s.pcap.lz4 -G 60 || { show_err; fail "recording lz4"; }

case $MODE in
index)
	n=0
	for f in plain/*.pcap lz4/*.pcap.lz4; do
		n=$((n + 1))
		check "$f: index matches a full read" $CHECK verify "$f"
	done
	check "two series of at least 5 files each ($n)" test "$n" -ge 10
	one=$(ls lz4/*.pcap.lz4 | head -1)
	check "lz4 -t accepts an indexed file" lz4 -t "$one"
	if command -v tshark >/dev/null; then
		got=$(tshark -r "$one" 2>/dev/null | wc -l)
		lz4 -dc "$one" >one.pcap
		check "tshark reads every packet of an indexed file ($got)" test "$got" = "$(count one.pcap)"
	fi
	# Index size against the data it covers
	data=$(cat lz4/*.pcap.lz4 | wc -c)
	idx=$(cat lz4/*.tdidx | wc -c)
	check "index is under 1% of the LZ4 data ($idx of $data bytes)" test $((idx * 100)) -lt "$data"
	# No false negative in the summary: every host's packets come back with the index as without it
	for h in 10.0.0.1 10.0.0.6 10.0.0.77 10.0.3.200 10.0.1.5; do
		td -r lz4 -w with.pcap "host $h" || fail "host $h with index"
		td --no-index -r lz4 -w without.pcap "host $h" || fail "host $h without index"
		check "host $h: same packets with and without the index ($(count with.pcap))" cmp with.pcap without.pcap
	done
	for p in 53 80 443; do
		td -r lz4 -w with.pcap "port $p" && td --no-index -r lz4 -w without.pcap "port $p"
		check "port $p: same packets with and without the index" cmp with.pcap without.pcap
	done
	# A host that is not there: the summaries rule out most segments
	td -v -r lz4 -w none.pcap 'host 192.0.2.99'
	line=$(grep 'segments read' "$TMP/err")
	read_n=$(echo "$line" | sed 's/.*), \([0-9]*\) of \([0-9]*\) segments.*/\1/')
	all_n=$(echo "$line" | sed 's/.*), \([0-9]*\) of \([0-9]*\) segments.*/\2/')
	check "absent host: $read_n of $all_n segments read" test $((read_n * 2)) -lt "$all_n"
	check "absent host: no packets" test "$(count none.pcap)" = 0
	;;
extract)
	command -v tcpdump >/dev/null || skip "tcpdump not installed"
	i=0
	# filter | since | until (relative seconds; empty: unbounded)
	while IFS='|' read -r filter since until; do
		i=$((i + 1))
		# the window in ns for the cut, and as @EPOCH.FRACTION arguments
		set -- $(python3 -c 'import sys
from decimal import Decimal as D
st, s, u = D(sys.argv[1]), sys.argv[2], sys.argv[3]
lo = st + D(s) if s else D(0)
hi = st + D(u) if u else D(10) ** 12
a = ("--since @%s" % (st + D(s))) if s else ""
b = ("--until @%s" % (st + D(u))) if u else ""
print(int(lo * 10**9), int(hi * 10**9), a, b)' "$START" "$since" "$until")
		lo=$1 hi=$2
		shift 2
		args="$*"
		tcpdump -r in.pcap -w full.pcap $filter 2>/dev/null || { fail "tcpdump '$filter'"; continue; }
		$CHECK cut full.pcap want.pcap "$lo" "$hi"
		for dir in plain lz4; do
			# shellcheck disable=SC2086
			td -r $dir $args -w got.pcap $filter || { show_err; fail "$dir '$filter' $args"; continue; }
			check "$i $dir '$filter' [$since, $until): identical to tcpdump ($(count want.pcap) packets)" \
				cmp got.pcap want.pcap
		done
	done <<-EOF
	|45.5|75.25
	host 10.0.0.6|10|20
	tcp port 80|100.000001|100.5
	udp|0|400
	ip6 and tcp|130|190
	net 10.0.1.0/24|50|130
	not host 10.0.0.6|200|210
	portrange 50-60||
	host 10.0.0.6 or host 10.0.0.7 and tcp|30|90
	icmp|0|400
	host 10.0.0.1||30
	tcp[13] & 2 != 0|250|
	|1000|2000
	EOF
	check "at least 10 (filter, window) pairs ran ($i)" test "$i" -ge 10
	;;
fallback)
	command -v tcpdump >/dev/null || skip "tcpdump not installed"
	args="--since @$((START + 20)).5 --until @$((START + 140))"
	td -r lz4 $args -w ref.pcap 'host 10.0.0.6' || fail "reference extract"
	# A damaged index: a warning, and the file read whole
	f=$(ls lz4/*.pcap.lz4 | sed -n 2p)
	printf 'XXXX' | dd of="$f.tdidx" bs=1 seek=100 conv=notrunc 2>/dev/null
	td -r lz4 $args -w got.pcap 'host 10.0.0.6'
	check "damaged index: same packets" cmp got.pcap ref.pcap
	check "damaged index: a warning names it" grep -q "warning: $f.tdidx: index checksum mismatch" "$TMP/err"
	# A file outside the window is ruled out by its index's head alone (56 bytes, their own checksum):
	# damage further on is never read, damage in the head sends it the long way (a warning).
	h=$(ls lz4/*.pcap.lz4 | tail -1)
	cp "$h.tdidx" h.tdidx
	printf 'XXXX' | dd of="$h.tdidx" bs=1 seek=100 conv=notrunc 2>/dev/null
	td -v -r lz4 $args -w got.pcap 'host 10.0.0.6'
	check "outside the window: same packets" cmp got.pcap ref.pcap
	check "outside the window: the head alone rules it out (no warning)" sh -c "! grep -q 'warning: $h' '$TMP/err'"
	check "outside the window: skipped by the index" grep -q "(3 skipped by the index" "$TMP/err"
	cp h.tdidx "$h.tdidx"
	printf 'X' | dd of="$h.tdidx" bs=1 seek=36 conv=notrunc 2>/dev/null
	td -r lz4 $args -w got.pcap 'host 10.0.0.6'
	check "damaged head: same packets" cmp got.pcap ref.pcap
	check "damaged head: a warning names it" grep -q "warning: $h.tdidx: index checksum mismatch" "$TMP/err"
	cp h.tdidx "$h.tdidx"
	# Damaged data read through the index: every block but the first (the pcap header) gets a flipped
	# byte; a window inside the file reads only some of its segments, and their blocks' checksums say so.
	d=$(ls lz4/*.pcap.lz4 | head -1)
	cp "$d" d.keep
	python3 - "$d" <<-'PY'
		import sys
		d = bytearray(open(sys.argv[1], "rb").read())
		flg, off, n = d[4], 7, 0
		assert flg & 0x10, "no block checksums"
		while int.from_bytes(d[off:off + 4], "little"):
		    size = int.from_bytes(d[off:off + 4], "little") & 0x7FFFFFFF
		    if n:
		        d[off + 4 + size // 2] ^= 0x5A
		    off, n = off + 8 + size, n + 1
		open(sys.argv[1], "wb").write(d)
	PY
	td -r lz4 --since @$((START + 20)) --until @$((START + 40)) -w got.pcap
	rc=$?
	check "damaged block read by the index: a non-zero exit ($rc)" test "$rc" -ne 0 -a "$rc" -lt 124
	check "damaged block read by the index: the error names it" \
		grep -q "block checksum mismatch in .*$(basename "$d") at compressed byte [0-9]* (index)" "$TMP/err"
	cp d.keep "$d"
	# A missing index: read whole (said with -v)
	rm -f "$f.tdidx"
	td -v -r lz4 $args -w got.pcap 'host 10.0.0.6'
	check "missing index: same packets" cmp got.pcap ref.pcap
	check "missing index: -v says so" grep -q "$f: no index; reading all of it" "$TMP/err"
	# An index of another file's size (the data changed after it was written)
	g=$(ls lz4/*.pcap.lz4 | sed -n 3p)
	cp "$(ls lz4/*.tdidx | head -1)" "$g.tdidx"
	td -r lz4 $args -w got.pcap 'host 10.0.0.6'
	check "stale index: same packets" cmp got.pcap ref.pcap
	check "stale index: a warning" grep -q "warning: $g.tdidx: the index covers" "$TMP/err"
	# --index of files tcpdump wrote, plain and through the lz4 tool (4 MiB blocks, the header inside one)
	mkdir tcpd
	tcpdump -r in.pcap -w tcpd/t.pcap 2>/dev/null
	lz4 -q -c tcpd/t.pcap >tcpd/u.pcap.lz4
	td --index tcpd/t.pcap tcpd/u.pcap.lz4 || { show_err; fail "--index on tcpdump's files"; }
	check "--index: plain sidecar matches a full read" $CHECK verify tcpd/t.pcap
	check "--index: lz4 tool's file matches a full read" $CHECK verify tcpd/u.pcap.lz4
	rm tcpd/t.pcap tcpd/t.pcap.tdidx
	td -v -r tcpd $args -w got.pcap 'host 10.0.0.6'
	check "--index: extract from the lz4 tool's file identical" cmp got.pcap ref.pcap
	check "--index: the index was used" grep -q "0 without one" "$TMP/err"
	echo junk >tcpd/junk.pcap
	td --index tcpd/junk.pcap
	check "--index of a non-capture fails with a message" grep -q "junk.pcap: " "$TMP/err"
	;;
drops)
	f=$(ls lz4/*.pcap.lz4 | sed -n 2p)
	$CHECK setdrops "$f.tdidx" 0 5 2
	first=$(basename "$f" .pcap.lz4 | sed 's/a-//')
	td -r lz4 --since @$((first + 1)) --until @$((first + 3)) -w got.pcap --stats-file st.json --prometheus-file st.prom
	check "drops in the window are reported" grep -q "7 packets were lost between .* (ring 5, backend 2)" "$TMP/err"
	# The same report in --stats-file (its times as stderr's) and --prometheus-file
	check "drops in the stats file" python3 - st.json "$TMP/err" <<-'PY'
		import datetime, json, re, sys
		a = [j for j in map(json.loads, open(sys.argv[1])) if j["type"] == "archive"]
		assert len(a) == 1, a
		a = a[0]
		assert (a["lost"], a["ring_dropped"], a["backend_dropped"]) == (7, 5, 2), a
		assert a["files"] >= 1 and a["segments_read"] >= 1, a
		t = re.search(r"lost between (\S+)\.(\d{9})Z and (\S+)\.(\d{9})Z", open(sys.argv[2]).read())
		def ns(iso, frac):
		    d = datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
		    return "%d.%s" % (d.timestamp(), frac)
		assert a["lost_from"] == ns(t[1], t[2]) and a["lost_to"] == ns(t[3], t[4]), (a, t.groups())
	PY
	check "drops in the prometheus file (ring)" grep -qx 'tapdump_archive_lost_packets{stage="ring"} 5' st.prom
	check "drops in the prometheus file (backend)" grep -qx 'tapdump_archive_lost_packets{stage="backend"} 2' st.prom
	td -r lz4 --since @$((START + 250)) --until @$((START + 260)) -w got.pcap --stats-file none.json
	check "no drops outside it" sh -c "! grep -q 'were lost' '$TMP/err'"
	check "no drops outside it in the stats file" grep -q '"type":"archive",.*"lost":0,.*"lost_from":null,"lost_to":null}' none.json
	# Retention takes a file's index with it, and a stray index of a deleted file goes at start-up
	mkdir ret
	td -r in.pcap -w ret/r-%s.pcap -G 30 --disk-budget 16M
	data=$(ls ret/*.pcap | wc -l)
	idx=$(ls ret/*.tdidx | wc -l)
	check "retention: every kept file has its index ($data files, $idx indexes)" test "$data" = "$idx"
	check "retention: several files kept, some deleted ($data)" test "$data" -ge 2 -a "$data" -lt 10
	touch ret/r-1.pcap.tdidx ret/foreign.pcap.tdidx
	td -r in.pcap -w ret/r-%s.pcap -G 30 --disk-budget 16M
	check "retention: a stray index of the series is deleted" test ! -e ret/r-1.pcap.tdidx
	check "retention: a foreign index is left alone" test -e ret/foreign.pcap.tdidx
	;;
*)
	echo "unknown mode $MODE"
	exit 1
	;;
esac
finish
