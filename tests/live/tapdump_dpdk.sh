#!/bin/sh
# tapdump on DPDK vdevs (net_null, net_pcap, net_ring; without hugepages, and with them where the kernel can reserve some): exact counts, the accounting identity, tcpdump's -w bytes, SIGTERM, bad ports.
TD=$1
GEN=$2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

[ "$(id -u)" = 0 ] || skip "the DPDK EAL needs root"
[ -n "$PY" ] || skip "python3 not found (reads the pcaps)"
command -v tcpdump >/dev/null || skip "tcpdump not found (the reference -w output)"
command -v lz4 >/dev/null || skip "lz4 not found (reads .pcap.lz4 back)"
tmp=$(mktemp -d) || exit 1
. "$HERE/../../configs/hugepages.sh"
trap 'huge_release; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# 1. net_null, one queue: a tight rx loop through filter, ring and writer; every packet accounted for.
timeout 30 "$TD" -i dpdk:net_null0 --duration 1 -v -w /dev/null >"$tmp/null.out" 2>&1
rc=$?
grep -q "built without DPDK" "$tmp/null.out" && skip "tapdump built without DPDK"
if grep -q "EAL initialisation failed" "$tmp/null.out"; then
	cat "$tmp/null.out"; skip "the DPDK EAL cannot start here"
fi
cat "$tmp/null.out"
[ $rc = 0 ] || fail "net_null capture exited $rc"
check_accounting net_null "$tmp/null.out"
[ "$(ident received "$tmp/null.out")" -ge 100000 ] || fail "net_null gave under 100000 packets in 1 s"
# -v ends with the port's own counters (xstats) as DPDK names them: they agree with ours.
grep -q "^backend 0 dpdk:net_null0: .*rx_good_packets $(ident received "$tmp/null.out")\b" "$tmp/null.out" ||
	fail "net_null: no xstats line with rx_good_packets equal to received"

# 1b. Reporting while running: --stats-interval lines, --stats-file JSON lines, --prometheus-file
# (rewritten atomically, final values at exit), SIGUSR1 printing tcpdump's lines on demand.
# No timeout(1) wrapper: it would die of SIGUSR1 itself. --duration bounds the run.
sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/pid" "$TD" -i dpdk:net_null0 --workers 2 --duration 3 -v \
	--stats-interval 1 --stats-file "$tmp/stats.json" --prometheus-file "$tmp/td.prom" -w /dev/null \
	>"$tmp/report.out" 2>&1 &
rep=$!
i=0
while ! grep -q '^listening on' "$tmp/report.out" && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
sleep 1
kill -USR1 "$(cat "$tmp/pid")"
wait $rep || { cat "$tmp/report.out"; fail "reporting run failed"; }
cat "$tmp/report.out"
check_accounting report "$tmp/report.out"
[ "$(grep -c '^stats: ' "$tmp/report.out")" -ge 2 ] || fail "fewer than 2 --stats-interval lines in 3 s"
[ "$(grep -c ' packets captured$' "$tmp/report.out")" = 2 ] || fail "SIGUSR1 did not print the summary once"
"$PY" - "$tmp/stats.json" "$tmp/td.prom" "$(ident received "$tmp/report.out")" <<'PYEOF' || fail "stats file or prometheus file wrong"
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
iv = [l for l in lines if l['type'] == 'interval']
assert len(iv) >= 2, 'fewer than 2 interval objects'
assert all(len(l['queues']) == 2 for l in iv), 'not one entry per queue'
prom = open(sys.argv[2]).read()
got = {}
for m in re.finditer(r'^tapdump_received_packets_total\{queue="(\d+)"\} (\d+)$', prom, re.M):
    got[m.group(1)] = int(m.group(2))
assert sorted(got) == ['0', '1'], 'queues in the prometheus file: %s' % sorted(got)
assert sum(got.values()) == int(sys.argv[3]), 'prometheus total %d, table %s' % (sum(got.values()), sys.argv[3])
for fam in ('dropped_packets_total', 'written_packets_total', 'rejected_packets_total'):
    assert '# TYPE tapdump_%s counter' % fam in prom, fam
print('stats file: %d intervals; prometheus file: %d received over 2 queues' % (len(iv), sum(got.values())))
PYEOF
[ ! -e "$tmp/td.prom.tmp" ] || fail "prometheus temp file left behind"

# 2. net_null, two RSS queues, a filter nothing matches (net_null frames are all zeros): rejected is everything.
timeout 30 "$TD" -i dpdk:net_null0 --workers 2 --duration 1 -v -w "$tmp/none.pcap" tcp >"$tmp/rss.out" 2>&1 ||
	{ cat "$tmp/rss.out"; fail "two-queue net_null capture failed"; }
cat "$tmp/rss.out"
[ "$(queue_rows "$tmp/rss.out")" = 2 ] || fail "--workers 2 did not give two queue rows"
check_accounting net_null-rss "$tmp/rss.out"
[ "$(ident written "$tmp/rss.out")" = 0 ] || fail "tcp matched a net_null frame"
[ "$(ident rejected "$tmp/rss.out")" = "$(ident received "$tmp/rss.out")" ] || fail "not every frame rejected"
[ "$("$PY" "$HERE/mkpcap.py" count "$tmp/none.pcap")" = 0 ] || fail "records in a file that should be empty"

# 3. net_pcap replaying a generated sample once: every packet received, and -w equals tcpdump -r -w modulo time stamps.
if [ -x "$GEN" ]; then
	"$GEN" -n 5000 -o "$tmp/in.pcap" || fail "tdgen failed"
else
	"$PY" "$HERE/mkpcap.py" write "$tmp/in.pcap" 5000 || fail "cannot write the test pcap"
fi
FILTER="tcp or udp"
# -Z root: tcpdump would otherwise drop to its own user, which may not write into $tmp.
tcpdump -Z root -r "$tmp/in.pcap" -w "$tmp/ref.pcap" "$FILTER" 2>/dev/null || fail "tcpdump -r -w failed"
ref=$("$PY" "$HERE/mkpcap.py" count "$tmp/ref.pcap")
replay() {
	name=$1; shift
	# net_pcap returns nothing once the file is done; --duration ends the run.
	timeout 30 "$TD" -i "dpdk:net_pcap0,rx_pcap=$tmp/in.pcap" --duration 2 -v "$@" >"$tmp/$name.out" 2>&1 ||
		{ cat "$tmp/$name.out"; fail "$name: net_pcap replay failed"; }
	cat "$tmp/$name.out"
	check_accounting "$name" "$tmp/$name.out"
	[ "$(ident received "$tmp/$name.out")" = 5000 ] || fail "$name: received is not the file's 5000 packets"
	[ "$(ident written "$tmp/$name.out")" = "$ref" ] || fail "$name: wrote other than tcpdump's $ref packets"
}
replay pcap -w "$tmp/out.pcap" "$FILTER"
"$PY" "$HERE/mkpcap.py" compare "$tmp/ref.pcap" "$tmp/out.pcap" || fail "pcap: -w records differ from tcpdump's"
replay lz4 -s 128 -w "$tmp/out.pcap.lz4" "$FILTER"
"$PY" "$HERE/mkpcap.py" compare --snap 128 "$tmp/ref.pcap" "$tmp/out.pcap.lz4" ||
	fail "lz4: -s 128 records differ from tcpdump's, truncated"
# A flags test: DPDK's own BPF converter gets these wrong (DESIGN.md); tapdump's verdict must be libpcap's.
FILTER="tcp[tcpflags] & tcp-syn != 0 or udp port 53"
tcpdump -Z root -r "$tmp/in.pcap" -w "$tmp/ref.pcap" "$FILTER" 2>/dev/null || fail "tcpdump -r -w failed"
ref=$("$PY" "$HERE/mkpcap.py" count "$tmp/ref.pcap")
[ "$ref" -gt 0 ] || fail "the sample has no SYN or DNS packet to match"
replay syn -w "$tmp/syn.pcap" "$FILTER"
"$PY" "$HERE/mkpcap.py" compare "$tmp/ref.pcap" "$tmp/syn.pcap" || fail "syn: -w records differ from tcpdump's"

# 3b. net_pcap with two rx_pcap files: two independent queues without RSS, one rx worker each,
# every packet of both files received and tcpdump's matches written twice.
FILTER="tcp or udp"
tcpdump -Z root -r "$tmp/in.pcap" -w "$tmp/ref.pcap" "$FILTER" 2>/dev/null || fail "tcpdump -r -w failed"
ref=$("$PY" "$HERE/mkpcap.py" count "$tmp/ref.pcap")
timeout 30 "$TD" -i "dpdk:net_pcap0,rx_pcap=$tmp/in.pcap,rx_pcap=$tmp/in.pcap" --workers 2 --duration 2 -v \
	-w "$tmp/two.pcap" "$FILTER" >"$tmp/two.out" 2>&1 || { cat "$tmp/two.out"; fail "two-file net_pcap failed"; }
cat "$tmp/two.out"
check_accounting two-files "$tmp/two.out"
[ "$(queue_rows "$tmp/two.out")" = 2 ] || fail "two-files: not two queue rows"
awk '/^queue / { on = 1; next } /^writer / { on = 0 } on && $1 ~ /^[0-9]+$/ && $3 != 5000 { bad = 1 } END { exit bad }' \
	"$tmp/two.out" || fail "two-files: a queue did not receive its file's 5000 packets"
[ "$(ident written "$tmp/two.out")" = $((2 * ref)) ] || fail "two-files: wrote other than twice tcpdump's $ref"
[ "$("$PY" "$HERE/mkpcap.py" count "$tmp/two.pcap")" = $((2 * ref)) ] || fail "two-files: file holds other than $((2 * ref))"

# 4. net_ring: a port nobody transmits to; clean start, nothing received, clean stop, two independent rings.
timeout 30 "$TD" -i dpdk:net_ring0 --workers 2 --duration 1 -v -w "$tmp/ring.pcap" >"$tmp/ring.out" 2>&1 ||
	{ cat "$tmp/ring.out"; fail "net_ring capture failed"; }
cat "$tmp/ring.out"
check_accounting net_ring "$tmp/ring.out"
[ "$(ident received "$tmp/ring.out")" = 0 ] || fail "net_ring received packets nobody sent"
[ "$(queue_rows "$tmp/ring.out")" = 2 ] || fail "net_ring: --workers 2 did not give two queue rows"

# 4b. net_ring fed by --dpdk-gen on two rings (0.5 s of frames, 4 s of capture so a loaded machine still
# sends them all): every frame offered is written or counted as dropped at the
# port, and the file holds exactly the frames counted written (all the generator's 60-byte frame).
timeout 30 "$TD" -i dpdk:net_ring0 --workers 2 --dpdk-gen 200000,100000 --duration 4 -v -w "$tmp/gen.pcap" \
	>"$tmp/gen.out" 2>&1 || { cat "$tmp/gen.out"; fail "--dpdk-gen capture failed"; }
cat "$tmp/gen.out"
check_accounting dpdk-gen "$tmp/gen.out"
grep -q 'generator offered 100000 frames' "$tmp/gen.out" || fail "dpdk-gen: the generator did not offer 100000"
gdrop=$(awk '/^queue / { on = 1; next } /^writer / { on = 0 } on && $1 ~ /^[0-9]+$/ { d += $7 } END { print d + 0 }' \
	"$tmp/gen.out")
[ $(($(ident received "$tmp/gen.out") + gdrop)) = 100000 ] || fail "dpdk-gen: received + port drops is not 100000"
[ "$("$PY" "$HERE/mkpcap.py" count "$tmp/gen.pcap")" = "$(ident written "$tmp/gen.out")" ] ||
	fail "dpdk-gen: the file holds other than the frames counted written"
[ "$(queue_rows "$tmp/gen.out")" = 2 ] || fail "dpdk-gen: --workers 2 did not give two queue rows"

# 5. SIGTERM mid-capture (timeout sends it): every packet counted as written is in the rotated LZ4 files.
timeout --preserve-status -s TERM 2 "$TD" -i "dpdk:net_pcap0,rx_pcap=$tmp/in.pcap,infinite_rx=1" -v -s 96 -C 5 \
	-w "$tmp/term.pcap.lz4" >"$tmp/term.out" 2>&1
rc=$?
cat "$tmp/term.out"
[ $rc = 0 ] || fail "SIGTERM run: tapdump exited $rc"
check_accounting sigterm "$tmp/term.out"
written=$(ident written "$tmp/term.out")
[ "$written" -gt 5000 ] || fail "SIGTERM run wrote only $written packets in 2 s"
infiles=$("$PY" "$HERE/mkpcap.py" count $(ls "$tmp"/term.pcap.lz4* | grep -v '\.tdidx$')) || fail "a file of the series does not read back"
echo "SIGTERM: $written written, $infiles in $(ls "$tmp"/term.pcap.lz4* | grep -vc '\.tdidx$') files"
[ "$infiles" = "$written" ] || fail "counted $written as written, the files hold $infiles"

# 5b. Explicit --dpdk-args (the vdev is added for us): runs, and its runtime directory goes at exit.
prefix=tdtest$$
timeout 30 "$TD" -i dpdk:net_null0 --dpdk-args "--no-huge --no-pci -m 256 --no-shconf --no-telemetry --file-prefix=$prefix" \
	--duration 0.5 -v -w /dev/null >"$tmp/args.out" 2>&1 || { cat "$tmp/args.out"; fail "--dpdk-args run failed"; }
# The EAL logs at INFO without our --log-level; none of that reaches the user when all goes well.
! grep -q '^EAL: ' "$tmp/args.out" || { cat "$tmp/args.out"; fail "--dpdk-args run printed the EAL's log"; }
check_accounting dpdk-args "$tmp/args.out"
[ "$(ident received "$tmp/args.out")" -gt 0 ] || fail "--dpdk-args run received nothing"
[ ! -e "/var/run/dpdk/$prefix" ] || fail "/var/run/dpdk/$prefix left behind"

# 5c. The same replay on hugepages, as a NIC box runs: the test reserves 2 MiB pages, mounts its own
# hugetlbfs and gives the EAL no --no-huge; the mbuf pool must sit in them while the capture runs,
# and -w must still be tcpdump's records. The reservation is put back afterwards.
if [ -w $HP/nr_hugepages ]; then
	if huge_reserve "$tmp/huge" 160; then
		tcpdump -Z root -r "$tmp/in.pcap" -w "$tmp/huge-ref.pcap" "$FILTER" 2>/dev/null || fail "tcpdump -r -w failed"
		before=$(huge_free)
		timeout 30 "$TD" -i "dpdk:net_pcap0,rx_pcap=$tmp/in.pcap" --duration 2 -v -w "$tmp/huge.pcap" \
			--dpdk-args "--no-pci -m 256 --huge-dir $tmp/huge --huge-unlink --no-shconf --no-telemetry --file-prefix=tdhuge$$" \
			"$FILTER" >"$tmp/huge.out" 2>&1 &
		run=$!
		sleep 1.5
		during=$(huge_free)
		wait $run || { cat "$tmp/huge.out"; fail "hugepages: net_pcap replay failed"; }
		cat "$tmp/huge.out"
		echo "hugepages: $before free before, $during while capturing, $(huge_free) after"
		[ "$during" -lt "$before" ] || fail "hugepages: the EAL took no hugepage"
		[ "$(huge_free)" = "$before" ] || fail "hugepages: not all given back at exit"
		check_accounting hugepages "$tmp/huge.out"
		[ "$(ident received "$tmp/huge.out")" = 5000 ] || fail "hugepages: received is not the file's 5000 packets"
		"$PY" "$HERE/mkpcap.py" compare "$tmp/huge-ref.pcap" "$tmp/huge.pcap" ||
			fail "hugepages: -w records differ from tcpdump's"
	else
		echo "note: hugepage part skipped (the kernel reserved $(huge_free) of 160 pages, or no hugetlbfs mount)"
	fi
	huge_release
fi

# 6. Bad ports and arguments: non-zero exit, exactly one line on stderr and it is ours ("tapdump:",
# the EAL's own log and usage text held back), nothing on stdout, no DPDK runtime directory left behind.
# bad NAME WANT TAPDUMP-ARGS...: WANT is a piece of the EAL's or driver's reason the line must quote.
bad() {
	name=$1; want=$2; shift 2
	sh -c 'echo $$ >"$0"; exec timeout 30 "$@"' "$tmp/pid" "$TD" "$@" >"$tmp/$name.stdout" 2>"$tmp/$name.out"
	rc=$?
	pid=$(cat "$tmp/pid")
	cat "$tmp/$name.out"
	[ $rc = 1 ] || fail "$name: exited $rc, not 1"
	[ ! -s "$tmp/$name.stdout" ] || { head -n 5 "$tmp/$name.stdout"; fail "$name: printed on stdout"; }
	[ "$(wc -l <"$tmp/$name.out")" = 1 ] || fail "$name: not exactly one line on stderr"
	grep -q '^tapdump: ' "$tmp/$name.out" || fail "$name: the line is not tapdump's"
	grep -qF -- "$want" "$tmp/$name.out" || fail "$name: the line does not say '$want'"
	[ ! -e "/var/run/dpdk/tapdump$pid" ] || fail "$name: /var/run/dpdk/tapdump$pid left behind"
}
bad nodev 'failed to parse device "net_nothing0"' -i dpdk:net_nothing0
bad badargs "Invalid 'command line' arguments" -i dpdk:net_null0 --dpdk-args "--no-such-eal-option"
bad empty "dpdk:" -i dpdk:
bad badpcap "Couldn't open $tmp/no-such-file.pcap" -i "dpdk:net_pcap0,rx_pcap=$tmp/no-such-file.pcap"
bad gen-not-ring "feeds a net_ring port" -i dpdk:net_null0 --dpdk-gen 1000
bad gen-bad-rate "invalid --dpdk-gen" -i dpdk:net_ring0 --dpdk-gen 10x
echo PASS
