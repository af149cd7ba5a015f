#!/bin/sh
# tests/cli/pcapng_output.sh: -w x.pcapng (plain, .lz4, rotated, nano) reads everywhere, converts back to the input, ends with its ISB.
. "$(dirname "$0")/lib.sh"
need_tapdump
need_tcpdump
command -v tshark >/dev/null 2>&1 || skip "tshark not found (a reader pcapng output must satisfy)"
command -v capinfos >/dev/null 2>&1 || skip "capinfos not found"
command -v lz4 >/dev/null 2>&1 || skip "lz4 command not found"
PY=$(command -v python3) || skip "python3 not found (walks the blocks)"
BLOCKS="$(cd "$(dirname "$0")" && pwd)/pcapng_blocks.py"

gen -n 6000 --seed 81 -o "$TMP/in.pcap"
gen -n 3000 --seed 82 --nano --payload random -o "$TMP/nano.pcap"
gen -n 6000 --seed 84 --nano --payload random --start 1700000001 -o "$TMP/nano2.pcap"
gen -n 300 --seed 83 --rate 100 -o "$TMP/slow.pcap"
cd "$TMP" || exit 1

td() {
	timeout "$LIMIT" "$TAPDUMP" $ZROOT "$@" 2>>"$TMP/stderr"
}

# check WHAT PYTHON-CONDITION FILE...: the condition over d (pcapng_blocks.py's object per file) holds for every file
check() {
	_what=$1
	_cond=$2
	shift 2
	if _why=$("$PY" "$BLOCKS" "$@" | "$PY" -c '
import json, sys
cond = sys.argv[1].replace("\n", " ")
bad = []
for line in sys.stdin:
    d = json.loads(line)
    try:
        ok = "error" not in d and eval(cond)
    except Exception as e:
        ok = False
        d["error"] = d.get("error", repr(e))
    if not ok:
        bad.append("%s: %s" % (d["file"], d.get("error") or {k: d.get(k) for k in ("blocks", "idbs", "isbs", "epbs")}))
print("; ".join(bad)[:600])
sys.exit(1 if bad else 0)' "$_cond"); then
		pass "$_what"
	else
		fail "$_what: $_why"
	fi
}

# readers WHAT FILE COUNT: tshark, capinfos and tcpdump (lz4 -dc first for .lz4) read COUNT packets from FILE
readers() {
	# -n everywhere: no name lookups (without a resolver each one waits for its time-out)
	_n=$(tshark -n -r "$2" 2>/dev/null | wc -l)
	[ "$_n" = "$3" ] && pass "$1: tshark reads $3 packets" || fail "$1: tshark reads $_n packets, want $3"
	_n=$(capinfos -c -M "$2" 2>/dev/null | awk '/Number of packets/ { print $NF }')
	[ "$_n" = "$3" ] && pass "$1: capinfos counts $3" || fail "$1: capinfos counts [$_n], want $3"
	case $2 in
	*.lz4) _n=$(lz4 -dc "$2" 2>/dev/null | "$TCPDUMP" -n -r - 2>/dev/null | wc -l) ;;
	*) _n=$("$TCPDUMP" -n -r "$2" 2>/dev/null | wc -l) ;;
	esac
	[ "$_n" = "$3" ] && pass "$1: tcpdump reads $3 packets" || fail "$1: tcpdump reads $_n, want $3"
}

# back WHAT NG ORIG [FLAGS]: tapdump's -r NG -w pcap equals tcpdump's conversion, and the original pcap
back() {
	rm -f back.pcap ref.pcap
	# shellcheck disable=SC2086 # FLAGS are separate words
	case $2 in
	*.lz4) lz4 -dc "$2" 2>/dev/null | "$TCPDUMP" $ZROOT $4 -r - -w ref.pcap 2>/dev/null ;;
	*) "$TCPDUMP" $ZROOT $4 -r "$2" -w ref.pcap 2>/dev/null ;;
	esac || fail "$1: tcpdump -r $2 -w failed"
	# shellcheck disable=SC2086
	td $4 -r "$2" -w back.pcap || fail "$1: tapdump -r $2 -w failed"
	if cmp -s back.pcap ref.pcap; then
		pass "$1: tapdump -r -w pcap is tcpdump's conversion"
	else
		fail "$1: tapdump -r -w pcap differs from tcpdump's: $(cmp back.pcap ref.pcap 2>&1 | head -1)"
	fi
	if cmp -s back.pcap "$3"; then
		pass "$1: converted back, it is the original pcap"
	else
		fail "$1: converted back, it differs from $3: $(cmp back.pcap "$3" 2>&1 | head -1)"
	fi
}

# 1. A plain conversion: the section and interface say what made the file, each packet is an EPB, an ISB ends it.
td -r in.pcap -w out.pcapng || fail "-w out.pcapng failed"
readers out.pcapng out.pcapng 6000
back out.pcapng out.pcapng in.pcap
check "SHB: hardware, OS, tapdump VERSION" \
	'd["shb"]["shb_userappl"].startswith("tapdump ") and d["shb"]["shb_hardware"] and d["shb"]["shb_os"]' out.pcapng
check "IDB: Ethernet, snaplen, if_tsresol 6, no if_name for -r input" \
	'd["idbs"] == [{"linktype": 1, "snaplen": 262144, "if_tsresol": 6}]' out.pcapng
check "SHB, IDB, 6000 EPBs, then one ISB last" \
	'd["blocks"] == [0x0A0D0D0A, 1] + [6] * 6000 + [5] and not d["dropcounts"]' out.pcapng
# from -r the times are the packets' own: tdgen starts at 1700000000 s
check "ISB: ifrecv = filteraccept = 6000, no drops, times from the first and last packet" \
	'[(i["isb_ifrecv"], i["isb_filteraccept"], i["isb_ifdrop"], i["isb_osdrop"]) for i in d["isbs"]] == [(6000, 6000, 0, 0)]
and 1700000000000000 <= d["isbs"][0]["isb_starttime"] <= d["isbs"][0]["isb_endtime"] < 1700001000000000' out.pcapng
tshark -n -r out.pcapng -q -z io,stat,0 >/dev/null 2>&1 || fail "tshark -z io,stat on out.pcapng failed"

# 2. A filter and -s: the IDB carries the expression, the EPBs the truncated records.
td -r in.pcap -w filt.pcapng -s 100 'tcp port 80' || fail "-w filt.pcapng 'tcp port 80' failed"
"$TCPDUMP" $ZROOT -r in.pcap -w filt-ref.pcap -s 100 'tcp port 80' 2>/dev/null
n=$("$TCPDUMP" -n -r filt-ref.pcap 2>/dev/null | wc -l)
readers "filter" filt.pcapng "$n"
back "filter" filt.pcapng filt-ref.pcap
check "IDB: if_filter is the expression (a libpcap string)" \
	'd["idbs"][0]["if_filter"] == {"type": 0, "text": "tcp port 80"}' filt.pcapng
check "filter: ISB counts what the filter passed" \
	'd["isbs"][0]["isb_ifrecv"] == d["epbs"] == '"$n" filt.pcapng

# 3. Nanoseconds: --nano records give if_tsresol 9 and every digit back.
td --nano -r nano.pcap -w nano.pcapng || fail "--nano -w nano.pcapng failed"
check "--nano: if_tsresol 9" 'd["idbs"][0]["if_tsresol"] == 9 and d["epbs"] == 3000' nano.pcapng
check "--nano: ISB times in nanoseconds" \
	'1700000000000000000 <= d["isbs"][0]["isb_starttime"] < 1700001000000000000' nano.pcapng
readers nano nano.pcapng 3000
back nano nano.pcapng nano.pcap --nano
td -r nano.pcap -w micro.pcapng || fail "-w micro.pcapng from a nano input failed"
check "micro records from a nano input: if_tsresol 6" 'd["idbs"][0]["if_tsresol"] == 6' micro.pcapng

# 4. -C counts pcapng bytes: every file but the last passes 1,000,000 bytes by at most one EPB and the ISB.
td -r in.pcap -w rot.pcapng -C 1 || fail "-C 1 -w rot.pcapng failed"
ls rot.pcapng* >rot.list
nfiles=$(wc -l <rot.list)
[ "$nfiles" -ge 2 ] && pass "-C 1: $nfiles files" || fail "-C 1: only $nfiles files"
last=$(tail -1 rot.list)
for f in $(cat rot.list); do
	sz=$(stat -c %s "$f")
	if [ "$f" != "$last" ] && { [ "$sz" -le 1000000 ] || [ "$sz" -gt $((1000000 + 1600 + 128)) ]; }; then
		fail "-C 1: $f is $sz bytes, want just over 1000000"
	fi
done
pass "-C 1: the files' sizes are tcpdump's rule applied to pcapng bytes"
# shellcheck disable=SC2046 # one argument per file
check "-C 1: each file is SHB, IDB, EPBs, ISB, and the ISB counts its EPBs" \
	'd["blocks"][:2] == [0x0A0D0D0A, 1] and d["blocks"][-1] == 5 and d["blocks"].count(5) == 1
and d["isbs"][0]["isb_ifrecv"] == d["epbs"] > 0 and d["isbs"][0]["isb_osdrop"] == 0' $(cat rot.list)
total=0
for f in $(cat rot.list); do
	n=$(capinfos -c -M "$f" 2>/dev/null | awk '/Number of packets/ { print $NF }')
	total=$((total + ${n:-0}))
done
[ "$total" = 6000 ] && pass "-C 1: capinfos counts 6000 packets over the files" || fail "-C 1: capinfos counts $total"
rm -f merged.pcap
# shellcheck disable=SC2046
td $(sed 's/^/-r /' rot.list) -w merged.pcap && cmp -s merged.pcap in.pcap &&
	pass "-C 1: the files read back in order are the original" || fail "-C 1: the files do not read back to the original"

# 5. .pcapng.lz4: one LZ4 frame whose content is the plain file's bytes; readers take it as it is or through lz4 -dc.
td -r in.pcap -w out.pcapng.lz4 || fail "-w out.pcapng.lz4 failed"
lz4 -t out.pcapng.lz4 2>/dev/null && pass ".pcapng.lz4: lz4 -t" || fail ".pcapng.lz4: lz4 -t fails"
lz4 -dc out.pcapng.lz4 2>/dev/null | cmp -s - out.pcapng && pass ".pcapng.lz4: lz4 -dc is the plain .pcapng" ||
	fail ".pcapng.lz4: lz4 -dc differs from the plain .pcapng"
readers ".pcapng.lz4" out.pcapng.lz4 6000
back ".pcapng.lz4" out.pcapng.lz4 in.pcap
# random payloads: LZ4 cannot shrink them below -C's 1,000,000 bytes
td --nano -r nano.pcap -r nano2.pcap -w rot.pcapng.lz4 -C 1 || fail "-C 1 -w rot.pcapng.lz4 failed"
ok=1
for f in rot.pcapng.lz4*; do
	lz4 -t "$f" 2>/dev/null || ok=0
	lz4 -dc "$f" 2>/dev/null >"$f.dec"
done
[ $ok = 1 ] && pass "-C 1 .pcapng.lz4: every file passes lz4 -t" || fail "-C 1 .pcapng.lz4: a file fails lz4 -t"
# shellcheck disable=SC2046
check "-C 1 .pcapng.lz4: every file ends with its ISB" 'd["blocks"][-1] == 5' rot.pcapng.lz4*.dec
[ "$(ls rot.pcapng.lz4* | grep -vc dec)" -ge 2 ] && pass "-C 1 .pcapng.lz4 rotates" || fail "-C 1 .pcapng.lz4 made one file"
rm -f merged.pcap
td --nano -r nano.pcap -r nano2.pcap -w merged-ref.pcap
# shellcheck disable=SC2046
td --nano $(ls rot.pcapng.lz4* | grep -v dec | sed 's/^/-r /') -w merged.pcap && cmp -s merged.pcap merged-ref.pcap &&
	pass "-C 1 .pcapng.lz4: the files read back to the original" || fail "-C 1 .pcapng.lz4: not the original back"

# 6. --format pcapng to standard output, into tcpdump; -c stops with a whole file, ISB included.
n=$(td -r in.pcap --format pcapng -w - | "$TCPDUMP" -n -r - 2>/dev/null | wc -l)
[ "$n" = 6000 ] && pass "--format pcapng -w - | tcpdump -r -" || fail "--format pcapng -w - | tcpdump -r - read $n"
td -r in.pcap -w c.pcapng -c 100 || fail "-c 100 -w c.pcapng failed"
check "-c 100: 100 EPBs and the ISB" 'd["epbs"] == 100 and d["isbs"][0]["isb_ifrecv"] == 100' c.pcapng

# 7. -G by packet time: every slice a whole pcapng file.
td -r slow.pcap -w 'slice-%s.pcapng' -G 1 || fail "-G 1 -w slice-%s.pcapng failed"
n=$(ls slice-*.pcapng | wc -l)
[ "$n" -ge 3 ] && pass "-G 1: $n slices of 3 s of packets" || fail "-G 1: $n slices of 3 s of packets"
# shellcheck disable=SC2046
check "-G 1: every slice has SHB, IDB, its EPBs and its ISB" \
	'd["blocks"][:2] == [0x0A0D0D0A, 1] and d["blocks"][-1] == 5 and d["isbs"][0]["isb_ifrecv"] == d["epbs"]' \
	$(ls slice-*.pcapng)

if [ -s "$TMP/stderr" ] && grep -v '^reading from file' "$TMP/stderr" | grep -q .; then
	echo "stderr:"
	grep -v '^reading from file' "$TMP/stderr" | head -5
fi
finish
