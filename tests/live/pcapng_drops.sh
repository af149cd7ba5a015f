#!/bin/sh
# tests/live/pcapng_drops.sh: pcapng output of a live capture that drops: epb_dropcount after losses, the ISB's counts equal -v's.
#
# DPDK's net_null gives frames as fast as one core takes them; the pcapng
# goes to a pipe read slowly, so the writer falls behind, the worker runs
# out of blocks and drops (ring_drop), within the file and after its last
# block. Needs root (the EAL) and python3.
TD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
BLOCKS="$HERE/../cli/pcapng_blocks.py"

[ "$(id -u)" = 0 ] || skip "the DPDK EAL needs root"
[ -n "$PY" ] || skip "python3 not found (walks the blocks)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# A reader of about 13 MB/s: 64 KiB, then 5 ms of sleep.
slow_reader() {
	"$PY" -c '
import sys, time
out = open(sys.argv[1], "wb")
while True:
    b = sys.stdin.buffer.read(65536)
    if not b:
        break
    out.write(b)
    time.sleep(0.005)' "$1"
}

{ timeout 60 "$TD" -i dpdk:net_null0 --duration 2 -v --format pcapng -w - 2>"$tmp/td.err"; echo $? >"$tmp/rc"; } |
	slow_reader "$tmp/drops.pcapng"
grep -q "built without DPDK" "$tmp/td.err" && skip "tapdump built without DPDK"
grep -q "EAL initialisation failed" "$tmp/td.err" && { cat "$tmp/td.err"; skip "the DPDK EAL cannot start here"; }
cat "$tmp/td.err"
[ "$(cat "$tmp/rc")" = 0 ] || fail "tapdump exited $(cat "$tmp/rc")"
check_accounting drops "$tmp/td.err"
ring=$(ident ring_dropped "$tmp/td.err")
written=$(ident written "$tmp/td.err")
bdrop=$(backend_drops "$tmp/td.err")
[ "$ring" -gt 0 ] || fail "no ring drops: the slow reader did not hold the writer back"
echo "ring_dropped $ring, backend $bdrop, written $written"

"$PY" "$BLOCKS" "$tmp/drops.pcapng" | "$PY" -c '
import json, sys
ring, backend, written = (int(x) for x in sys.argv[1:4])
d = json.loads(sys.stdin.readline())
def need(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        sys.exit(1)
need("error" not in d, "the file is well formed: %s" % d.get("error", ""))
need(d["idbs"][0].get("if_name") == "dpdk:net_null0", "the IDB names the interface: %s" % d["idbs"][0])
need(d["blocks"][-1] == 5 and len(d["isbs"]) == 1, "one ISB, the last block")
i = d["isbs"][0]
need(d["epbs"] == written, "EPBs %d = written %d" % (d["epbs"], written))
need(i["isb_osdrop"] == ring, "isb_osdrop %d = ring_dropped %d" % (i["isb_osdrop"], ring))
need(i["isb_ifdrop"] == backend, "isb_ifdrop %d = backend drops %d" % (i["isb_ifdrop"], backend))
need(i["isb_ifrecv"] == d["epbs"] + ring + backend, "isb_ifrecv %d = EPBs + drops" % i["isb_ifrecv"])
need(i["isb_filteraccept"] == d["epbs"] + ring, "isb_filteraccept %d = EPBs + ring drops" % i["isb_filteraccept"])
need(i["isb_starttime"] < i["isb_endtime"], "isb_starttime before isb_endtime")
dc = d["dropcounts"]
need(len(dc) > 0, "%d EPBs carry epb_dropcount (first: %s)" % (len(dc), dc[:3]))
need(all(n > 0 for _, n in dc) and dc[0][0] > 0, "each dropcount is a loss after an EPB already written")
total = sum(n for _, n in dc)
# drops after the last EPB have no packet to carry them: they are in the ISB only
need(total <= ring + backend, "the dropcounts sum to %d of the %d drops" % (total, ring + backend))
' "$ring" "$bdrop" "$written" || fail "the pcapng counts do not match"
capinfos "$tmp/drops.pcapng" >/dev/null 2>&1 || ! command -v capinfos >/dev/null || fail "capinfos cannot read the file"
echo PASS
