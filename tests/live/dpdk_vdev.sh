#!/bin/sh
# DPDK vdev capture: net_null rate and RSS queues, net_pcap replay exact in count and bytes, bad EAL arguments.
LC=$1
HERE=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || { echo "SKIP: the DPDK EAL needs root"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not found (makes the test pcap)"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# 1. net_null: a tight rx loop, many packets quickly.
timeout 30 "$LC" -t 1 -c 20000000 dpdk:net_null0 >"$tmp/null.out" 2>&1
rc=$?
if grep -q "built without DPDK" "$tmp/null.out"; then
	echo "SKIP: tapdump built without DPDK"; exit 77
fi
if grep -q "EAL initialisation failed" "$tmp/null.out"; then
	cat "$tmp/null.out"; echo "SKIP: the DPDK EAL cannot start here"; exit 77
fi
cat "$tmp/null.out"
[ $rc = 0 ] || fail "net_null capture exited $rc"
n=$(awk '/^packets/ {print $2}' "$tmp/null.out")
[ "${n:-0}" -ge 1000000 ] || fail "net_null gave only ${n:-0} packets in 1 s"
recv=$(awk '/^source/ {print $9}' "$tmp/null.out")
[ "$recv" = "$n" ] || fail "port counted $recv packets, we took $n"

# 2. net_null with RSS on two queues: one source per queue, per-queue counters add up.
timeout 30 "$LC" -t 1 -q 2 -c 4000000 dpdk:net_null0 >"$tmp/rss.out" 2>&1 || { cat "$tmp/rss.out"; fail "RSS capture failed"; }
cat "$tmp/rss.out"
grep -q "^ready sources 2 " "$tmp/rss.out" || fail "two queues asked for, not two sources"
awk '/^source/ { if ($4 != $9) bad = 1; n++ } END { exit bad || n != 2 }' "$tmp/rss.out" ||
	fail "per-queue counters do not match what each queue handed out"

# 3. net_pcap replaying a file once: exactly its packets, byte for byte.
python3 "$HERE/mkpcap.py" write "$tmp/in.pcap" 1000 || fail "cannot write the test pcap"
timeout 30 "$LC" -t 2 -e 1000 -w "$tmp/out.pcap" "dpdk:net_pcap0,rx_pcap=$tmp/in.pcap" >"$tmp/pcap.out" 2>&1
rc=$?
cat "$tmp/pcap.out"
[ $rc = 0 ] || fail "net_pcap replay did not give exactly 1000 packets"
inbytes=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) - 24 - 16 * 1000)" "$tmp/in.pcap")
grep -q "caplen_bytes $inbytes wire_bytes $inbytes " "$tmp/pcap.out" || fail "byte count differs from the file's $inbytes"
python3 "$HERE/mkpcap.py" compare "$tmp/in.pcap" "$tmp/out.pcap" || fail "captured bytes differ from the file"

# 4. net_pcap infinite_rx: the pool must outgrow the file; more packets than the file holds.
timeout 30 "$LC" -t 2 -c 50000 "dpdk:net_pcap0,rx_pcap=$tmp/in.pcap,infinite_rx=1" >"$tmp/inf.out" 2>&1 ||
	{ cat "$tmp/inf.out"; fail "infinite replay failed"; }
n=$(awk '/^packets/ {print $2}' "$tmp/inf.out")
[ "${n:-0}" -ge 50000 ] || fail "infinite replay gave ${n:-0} packets"

# 4b. net_pcap with two rx_pcap files has two independent rx queues and no RSS: both open, one source
# each, each queue exactly its file. Without -q the port keeps one queue and says how to get both.
timeout 30 "$LC" -t 2 -q 2 -e 2000 "dpdk:net_pcap0,rx_pcap=$tmp/in.pcap,rx_pcap=$tmp/in.pcap" >"$tmp/two.out" 2>&1
rc=$?
cat "$tmp/two.out"
[ $rc = 0 ] || fail "two-file net_pcap did not give exactly 2000 packets"
grep -q "^ready sources 2 " "$tmp/two.out" || fail "two rx_pcap queues asked for, not two sources"
awk '/^source/ { if ($4 != 1000 || $9 != 1000) bad = 1; n++ } END { exit bad || n != 2 }' "$tmp/two.out" ||
	fail "each queue should have taken its file's 1000 packets"
timeout 30 "$LC" -t 1 -e 1000 "dpdk:net_pcap0,rx_pcap=$tmp/in.pcap,rx_pcap=$tmp/in.pcap" >"$tmp/one.out" 2>&1 ||
	{ cat "$tmp/one.out"; fail "two-file net_pcap without -q did not give queue 0's 1000 packets"; }
grep -q "warning: .*2 independent rx queues, capturing on 1 (--workers 2 for all)" "$tmp/one.out" ||
	{ cat "$tmp/one.out"; fail "no warning that a queue is left out"; }

# 5. Bad EAL arguments: one line, non-zero exit, no crash.
# The EAL's usage text (stdout) and log lines (stderr) are held back: the one line is ours.
timeout 30 "$LC" -t 1 -d "--no-such-eal-option" dpdk:net_null0 >"$tmp/bad.stdout" 2>"$tmp/bad.out"
rc=$?
[ $rc = 1 ] || { cat "$tmp/bad.out"; fail "bad --dpdk-args exited $rc, not 1"; }
[ ! -s "$tmp/bad.stdout" ] || { head -n 5 "$tmp/bad.stdout"; fail "bad --dpdk-args printed on stdout"; }
[ "$(wc -l <"$tmp/bad.out")" = 1 ] || { cat "$tmp/bad.out"; fail "bad --dpdk-args: not one line on stderr"; }
grep -q "^live_count: dpdk:net_null0: EAL initialisation failed: .*Invalid 'command line' arguments" "$tmp/bad.out" ||
	{ cat "$tmp/bad.out"; fail "no clear message for bad EAL arguments"; }

# 6. A port that does not exist.
timeout 30 "$LC" -t 1 -d "--no-huge --no-pci -m 256 --no-shconf --no-telemetry --file-prefix=tdt$$" dpdk:net_nothing0,foo >"$tmp/nodev.out" 2>&1
[ $? = 1 ] || { cat "$tmp/nodev.out"; fail "unknown vdev did not fail"; }
echo "PASS"
