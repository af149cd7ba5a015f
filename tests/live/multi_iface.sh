#!/bin/sh
# Several -i interfaces, one series: two veth pairs in a namespace captured together into pcapng (an IDB per
# interface, EPBs and ISBs by interface id), into pcap, mixed backends, and the link-type mismatch refused.
TD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
BLOCKS="$HERE/../cli/pcapng_blocks.py"
NA=300
NC=500
NS=tdm$$

command -v tshark >/dev/null || skip "tshark not found (reads the pcapng back)"
veth_setup
# A second pair: vc -> vd, the other direction of the tap.
ip -n "$NS" link add vc type veth peer name vd || skip "cannot create a second veth pair"
ip -n "$NS" link set vc up && ip -n "$NS" link set vd up || fail "second pair down"

# send_both: NA frames into vb (sent on va) and NC into vd (sent on vc), one after the other.
send_both() {
	in_ns "$PY" "$HERE/send_frames.py" va $NA >/dev/null || fail "sender on va failed"
	in_ns "$PY" "$HERE/send_frames.py" vc $NC >/dev/null || fail "sender on vc failed"
	sleep 0.5
}

# finish NAME [lossy]: stop, show the output, the accounting identity holds and (unless lossy) nothing was dropped.
finish() {
	stop_capture
	cat "$tmp/$1.out"
	[ $rc = 0 ] || fail "$1: tapdump exited $rc"
	check_accounting "$1" "$tmp/$1.out"
	[ "$2" = lossy ] && return
	[ "$(backend_drops "$tmp/$1.out")" = 0 ] || fail "$1: the backend dropped frames"
	[ "$(ident ring_dropped "$tmp/$1.out")" = 0 ] || fail "$1: ring drops"
}

# iface_row NAME K COLUMN: a number from interface K's row of the -v table (3 received, 4 rejected, ...).
iface_row() {
	awk -v k="$2" -v c="$3" '/^interface / { on = 1; next } on && $1 == k { v = $c } /^identity:/ { on = 0 }
		END { print v }' "$tmp/$1.out"
}

# 1. pcapng: one IDB per interface (name, link type, snaplen, tsresol, filter), every frame with its
# interface's id, one ISB per interface with its own counts, the whole file in time order.
start ng -i vb -i vd --stats-file "$tmp/ng.json" --stats-interval 0.2 -w "$tmp/ng.pcapng" 'ether proto 0x88b5'
grep -q '^listening on vb, link-type EN10MB' "$tmp/ng.out" && grep -q '^listening on vd, link-type EN10MB' "$tmp/ng.out" ||
	{ cat "$tmp/ng.out"; fail "ng: not one listening line per interface"; }
send_both
# The stats file's intervals are written while running: wait for one with everything counted.
i=0
while ! tail -1 "$tmp/ng.json" | grep -q "\"received\":$((NA + NC)),"; do
	i=$((i + 1)); [ $i -lt 50 ] || break
	sleep 0.1
done
finish ng
[ "$(ident written "$tmp/ng.out")" = $((NA + NC)) ] || fail "ng: wrote $(ident written "$tmp/ng.out"), not $((NA + NC))"
[ "$(iface_row ng 0 3)" = $NA ] && [ "$(iface_row ng 1 3)" = $NC ] ||
	fail "ng: the -v interface rows say $(iface_row ng 0 3) and $(iface_row ng 1 3), not $NA and $NC"
tshark -r "$tmp/ng.pcapng" -T fields -e frame.interface_id -e frame.interface_name >"$tmp/ng.ids" 2>"$tmp/tshark.err" ||
	{ cat "$tmp/tshark.err"; fail "ng: tshark cannot read the file"; }
sort "$tmp/ng.ids" | uniq -c | tee "$tmp/ng.counts"
[ "$(awk '$2 == 0 && $3 == "vb" { print $1 }' "$tmp/ng.counts")" = $NA ] || fail "ng: interface 0 (vb) does not hold $NA frames"
[ "$(awk '$2 == 1 && $3 == "vd" { print $1 }' "$tmp/ng.counts")" = $NC ] || fail "ng: interface 1 (vd) does not hold $NC frames"
tshark -r "$tmp/ng.pcapng" -T fields -e frame.time_epoch | awk 'NR > 1 && $1 < last { bad = 1 } { last = $1 } END { exit bad }' ||
	fail "ng: the merged series is not in time order"
"$PY" "$BLOCKS" "$tmp/ng.pcapng" | "$PY" -c '
import json, sys
na, nc = int(sys.argv[1]), int(sys.argv[2])
d = json.loads(sys.stdin.readline())
def need(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        sys.exit(1)
need("error" not in d, "well formed: %s" % d.get("error", ""))
idbs = d.get("idbs", [])
need([i.get("if_name") for i in idbs] == ["vb", "vd"], "two IDBs, vb and vd: %s" % idbs)
need(all(i["linktype"] == 1 and i["snaplen"] == 262144 and i["if_tsresol"] == 6 for i in idbs), "Ethernet, 262144, usec")
need(all(i["if_filter"]["text"] == "ether proto 0x88b5" for i in idbs), "each IDB has the filter")
need(d["epbs_by_if"] == {"0": na, "1": nc}, "EPBs by interface %s" % d["epbs_by_if"])
isbs = d["isbs"]
need(sorted(i["interface"] for i in isbs) == [0, 1] and d["blocks"][-2:] == [5, 5], "an ISB per interface, last")
for i in isbs:
    n = na if i["interface"] == 0 else nc
    need(i["isb_ifrecv"] == n and i["isb_filteraccept"] == n and i["isb_osdrop"] == 0,
         "ISB of interface %d: ifrecv %d" % (i["interface"], i["isb_ifrecv"]))
' $NA $NC || fail "ng: blocks"
# The stats file: an entry per interface, with its name, and each queue names its interface.
"$PY" - "$tmp/ng.json" $NA $NC <<'EOF' || fail "ng: --stats-file per interface"
import json, sys
last = [json.loads(l) for l in open(sys.argv[1]) if '"interval"' in l]
assert last, "no interval object"
ifs = last[-1]["interfaces"]
assert [(i["name"], i["received"]) for i in ifs] == [("vb", int(sys.argv[2])), ("vd", int(sys.argv[3]))], ifs
assert sorted(q["interface"] for q in last[-1]["queues"]) == [0, 1], last[-1]["queues"]
print("stats file: %s" % [(i["name"], i["received"]) for i in ifs])
EOF
echo "ng: ok"

# 1b. Interleaved: a busy interface beside a sparse one (a frame every 25 ms). libpcap holds a
# part-filled block for its timeout, so with several interfaces it hands them over within the writer's
# merge wait (10 ms, not 100): the sparse interface's frames still land in time order.
start mixed -i vb -i vd -w "$tmp/mixed.pcapng"
in_ns "$PY" "$HERE/send_paced.py" vc 1.5 40 1 >/dev/null &
slow=$!
sleep 0.2
in_ns "$PY" "$HERE/send_frames.py" va 5000 >/dev/null || fail "mixed: sender on va failed"
wait $slow || fail "mixed: sender on vc failed"
sleep 0.3
finish mixed lossy
tshark -r "$tmp/mixed.pcapng" -T fields -e frame.time_epoch -e frame.interface_id 2>/dev/null >"$tmp/mixed.ts"
awk '{ n[$2]++ } NR > 1 && $1 < last { back++ } { last = $1 }
	END { printf "mixed: %d + %d frames, %d out of time order\n", n[0], n[1], back; exit !(n[0] && n[1] && !back) }' \
	"$tmp/mixed.ts" || fail "mixed: the merged series is not in time order"

# 2. pcap: both interfaces share EN10MB, one series of every frame; Prometheus by interface.
start pcap -i vb -i vd --prometheus-file "$tmp/td.prom" --stats-interval 0.2 -w "$tmp/both.pcap"
send_both
finish pcap
[ "$("$PY" "$HERE/mkpcap.py" count "$tmp/both.pcap")" = $((NA + NC)) ] || fail "pcap: the file holds other than $((NA + NC)) frames"
grep -q "^tapdump_interface_received_packets_total{interface=\"vb\"} $NA\$" "$tmp/td.prom" &&
	grep -q "^tapdump_interface_received_packets_total{interface=\"vd\"} $NC\$" "$tmp/td.prom" ||
	{ grep interface "$tmp/td.prom"; fail "pcap: prometheus file without the per-interface counts"; }
echo "pcap: ok"

# 3. Link types that differ: pcap and printing refuse with one line, pcapng takes both (EN10MB and any's SLL).
bad() {
	name=$1; want=$2; shift 2
	in_ns timeout 30 "$TD" "$@" >"$tmp/$name.out" 2>&1
	rc=$?
	cat "$tmp/$name.out"
	[ $rc = 1 ] || fail "$name: exited $rc, not 1"
	[ "$(grep -c '^tapdump: ' "$tmp/$name.out")" = 1 ] || fail "$name: not exactly one tapdump: line"
	grep -q "$want" "$tmp/$name.out" || fail "$name: the message does not say '$want'"
	! grep -q '^listening on' "$tmp/$name.out" || fail "$name: started listening"
}
bad mismatch-pcap "a pcap file holds one link type" -i vb -i any -w "$tmp/mix.pcap"
bad mismatch-print "printing decodes one link type" -i vb -i any
bad mismatch-tap "print decodes one link type" -i vb -i any --print -w "$tmp/mix.pcapng"
bad twice "given twice" -i vb -i vd -i vb
bad nodev "nosuchif0" -i vb -i nosuchif0
in_ns timeout 30 "$TD" -i vb -i any --duration 0.5 -w "$tmp/mix.pcapng" >"$tmp/mix.out" 2>&1 ||
	{ cat "$tmp/mix.out"; fail "mix: pcapng of EN10MB and any failed"; }
"$PY" "$BLOCKS" "$tmp/mix.pcapng" | "$PY" -c '
import json, sys
d = json.loads(sys.stdin.readline())
lts = [i["linktype"] for i in d.get("idbs", [])]
assert "error" not in d and len(lts) == 2 and lts[0] == 1 and lts[1] != 1, d
print("mix: IDB link types %s" % lts)' || fail "mix: not an IDB per link type"

# 4. Mixed backends: libpcap on vb and AF_XDP on vd, one series.
if in_ns "$TD" -i xdp:vd -c 1 --duration 0.2 >"$tmp/probe.out" 2>&1; then
	start xdp -i vb -i xdp:vd -w "$tmp/xdp.pcapng"
	send_both
	finish xdp
	tshark -r "$tmp/xdp.pcapng" -T fields -e frame.interface_name | sort | uniq -c | tee "$tmp/xdp.counts"
	[ "$(awk '$2 == "vb" { print $1 }' "$tmp/xdp.counts")" = $NA ] &&
		[ "$(awk '$2 == "xdp:vd" { print $1 }' "$tmp/xdp.counts")" = $NC ] || fail "xdp: frames by interface"
	echo "xdp: ok"
else
	cat "$tmp/probe.out"
	echo "xdp: AF_XDP unavailable here, mixed backends not checked"
fi
echo "multi_iface: ok"
