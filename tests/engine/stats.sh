#!/bin/sh
# tests/engine/stats.sh: --stats-file JSON lines (per closed file, per interval) agree with the files and with -v's identity.
. "$(dirname "$0")/lib.sh"
need_programs
PY=$(command -v python3) || skip "python3 not found (it validates the JSON)"

gen -n 30000 --seed 41 -o "$TMP/a.pcap"
gen -n 3000 --seed 42 -o "$TMP/small.pcap"
cd "$TMP" || exit 1

# pycheck SCRIPT ARGS...: run a python check whose "ok"/"FAIL" lines count as checks here
pycheck() {
	_s=$1
	shift
	"$PY" -c "$_s" "$@" >py.out 2>&1
	_rc=$?
	cat py.out
	CHECKS=$((CHECKS + $(grep -c '^ok\|^FAIL' py.out)))
	FAILS=$((FAILS + $(grep -c '^FAIL' py.out)))
	[ $_rc = 0 ] || [ "$(grep -c '^FAIL' py.out)" != 0 ] || fail "python check crashed (rc $_rc)"
}

# Per-file objects against the files themselves: FILES_JSON is "name count size first last" lines.
FILE_CHECK='
import json, sys
stats, facts, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
def say(ok, what): print(("ok   " if ok else "FAIL ") + what)
objs = []
for n, line in enumerate(open(stats), 1):
    try:
        objs.append(json.loads(line))
    except ValueError as e:
        say(False, "line %d is not JSON: %s" % (n, e))
files = [o for o in objs if o.get("type") == "file"]
want = {}
for line in open(facts):
    name, count, size, first, last = line.split()
    want[name] = (int(count), int(size), first, last)
say(sorted(o["name"] for o in files) == sorted(want), "one file object per closed file (%d)" % len(files))
keys = {"name", "packets", "pcap_bytes", "disk_bytes", "first", "last", "drops", "error"}
say(all(keys <= set(o) for o in files), "every file object has name/packets/pcap_bytes/disk_bytes/first/last/drops/error")
bad = []
for o in files:
    if o["name"] not in want: continue
    count, size, first, last = want[o["name"]]
    if o["packets"] != count: bad.append("%s packets %s, file %d" % (o["name"], o["packets"], count))
    if o["disk_bytes"] != size: bad.append("%s disk_bytes %s, file %d" % (o["name"], o["disk_bytes"], size))
    if ".lz4" not in o["name"] and o["pcap_bytes"] + 24 != size: bad.append("%s pcap_bytes %s + 24 != %d" % (o["name"], o["pcap_bytes"], size))
    if count and (o["first"] != first or o["last"] != last): bad.append("%s first/last %s/%s, file %s/%s" % (o["name"], o["first"], o["last"], first, last))
    if o["error"] != 0 or o["drops"] != 0: bad.append("%s error %s drops %s" % (o["name"], o["error"], o["drops"]))
say(not bad, "file objects match their files" + ("" if not bad else ": " + "; ".join(bad[:3])))
s = sum(o["packets"] for o in files)
say(s == total, "per-file packets sum to %d (written %d)" % (s, total))
'

# facts OUT...: "name count size first last" per file, stamps as the JSON writes them (sec.nanoseconds)
facts() {
	for _f in "$@"; do
		# the archive index beside each capture is no capture
		case $_f in *.tdidx) continue ;; esac
		_n=$(count "$_f")
		_size=$(wc -c <"$_f")
		_first=$("$PCAPCHECK" stamps "$_f" | head -1)
		_last=$("$PCAPCHECK" stamps "$_f" | tail -1)
		printf '%s %s %s %s %s\n' "$_f" "$_n" "$_size" "$(nanos "$_first")" "$(nanos "$_last")"
	done
}
nanos() {
	[ -n "$1" ] || { echo -; return; }
	printf '%s.%09d\n' "${1%.*}" $((${1#*.} * 1000))
}

# 1. rotation with -C: one object per closed file, matching the files, summing to -v's written
if td -r a.pcap -w rot.pcap -C 3 --stats-file s1.json -v; then
	w=$(identity_field written err)
	grep -q '^identity: received' err && ! grep -q MISMATCH err &&
		pass "-v: identity line present, no MISMATCH" || fail "-v: identity line missing or MISMATCH"
	facts rot.pcap* >facts1
	pycheck "$FILE_CHECK" s1.json facts1 "$w"
	[ "$w" = 30000 ] && pass "-C 3: written $w" || fail "-C 3: written $w, expected 30000"
else
	fail "-C 3 --stats-file: tapdump exited non-zero"
	show_err
fi

# 2. one plain file, with a filter
if td -r a.pcap -w one.pcap --stats-file s2.json -v 'udp'; then
	facts one.pcap >facts2
	pycheck "$FILE_CHECK" s2.json facts2 "$(identity_field written err)"
else
	fail "one file --stats-file: tapdump exited non-zero"
fi

# 3. LZ4 output: disk_bytes is the compressed size
if td -r a.pcap -w z.pcap.lz4 -C 2 --stats-file s3.json -v; then
	for f in z.pcap.lz4*; do
		case $f in *.tdidx) continue ;; esac
		lz4 -dc "$f" >"dec.$f" 2>/dev/null
	done
	# names and sizes are the compressed files', counts and stamps those of their contents
	for f in z.pcap.lz4*; do
		case $f in *.tdidx) continue ;; esac
		set -- $(facts "dec.$f")
		printf '%s %s %s %s %s\n' "$f" "$2" "$(wc -c <"$f")" "$4" "$5"
	done >facts3
	pycheck "$FILE_CHECK" s3.json facts3 "$(identity_field written err)"
else
	fail "lz4 --stats-file: tapdump exited non-zero"
fi

# 4. a slow source (400 kB at 200 kB/s): interval objects while it runs, counters that only grow
"$PCAPCHECK" slowcat 200000 small.pcap 2>/dev/null |
	timeout "$LIMIT" "$TAPDUMP" -r - -w slow.pcap --stats-file s4.json --stats-interval 0.2 -v 2>err
rc=$?
if [ $rc = 0 ]; then
	facts slow.pcap >facts4
	pycheck '
import json, sys
def say(ok, what): print(("ok   " if ok else "FAIL ") + what)
objs = [json.loads(l) for l in open(sys.argv[1])]
iv = [o for o in objs if o.get("type") == "interval"]
say(len(iv) >= 4, "%d interval objects over a run of about 2 s at 0.2 s" % len(iv))
keys = {"time", "uptime", "received", "rejected", "accepted", "ring_dropped", "written", "lost", "files", "queues"}
say(all(keys <= set(o) for o in iv), "interval objects carry the counters")
grow = all(a["received"] <= b["received"] and a["written"] <= b["written"] and a["uptime"] < b["uptime"] for a, b in zip(iv, iv[1:]))
say(grow, "received, written and uptime only grow")
say(all(o["written"] <= o["received"] and o["received"] == o["rejected"] + o["accepted"] for o in iv if o["lost"] == 0),
    "each interval: written <= received = rejected + accepted")
say(any(0 < o["received"] < 3000 for o in iv), "some interval saw the run half way")
say(iv and iv[-1]["received"] <= 3000, "never more than the 3000 packets fed")
say(all(len(o["queues"]) == 1 and o["queues"][0]["received"] == o["received"] for o in iv), "one queue, summing to the total")
' s4.json
	pycheck "$FILE_CHECK" s4.json facts4 3000
else
	fail "slow source --stats-interval: tapdump exited $rc"
	show_err
fi

# 5. the stats file is appended to, never truncated (a collector may be tailing it)
lines=$(wc -l <s2.json)
td -r a.pcap -w one.pcap --stats-file s2.json 'udp'
[ "$(wc -l <s2.json)" -eq $((lines * 2)) ] && pass "--stats-file appends" ||
	fail "--stats-file: $(wc -l <s2.json) lines after a second run, expected $((lines * 2))"
finish
