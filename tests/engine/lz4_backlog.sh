#!/bin/sh
# tests/engine/lz4_backlog.sh: a writer too slow to compress stores LZ4 blocks uncompressed rather than drop packets.
#
# TAPDUMP_TEST_LZ4_DELAY_US (a test hook, build.c) makes every run the
# writer compresses cost that many microseconds more: a compressor slower
# than the link. The backlog then raises the acceleration and, past half a
# ring, stores blocks as they are inside the same frame (lz4_pace.h).
#
# MODE replay: file input under the hook (paced as live input is): blocks
#   stored raw, the file read by lz4 -t, lz4 -dc, tshark and tapdump -r, and
#   identical after decompression to the same replay without the hook.
# MODE live: a bounded --dpdk-gen capture (root, DPDK) under the hook: no
#   ring drop, blocks stored raw, -v says when it degraded and for how long,
#   the counters in --stats-file and --prometheus-file, the frames those of a
#   run without the hook.
. "$(dirname "$0")/lib.sh"
need_programs
command -v lz4 >/dev/null 2>&1 || skip "lz4 not found (reads the frames back)"
LIMIT=60

# stored FILE: blocks stored uncompressed in the LZ4 frame FILE, from the block size words.
stored() {
	python3 - "$1" <<'EOF'
import struct, sys
d = open(sys.argv[1], 'rb').read()
assert d[:4] == b'\x04\x22\x4d\x18', 'not an LZ4 frame'
flg = d[4]
off, raw, total = 7, 0, 0
while True:
    (w,) = struct.unpack_from('<I', d, off)
    off += 4
    if w == 0:
        break
    total += 1
    raw += w >> 31
    off += (w & 0x7fffffff) + (4 if flg & 0x10 else 0)
print(raw, total)
EOF
}

# readable NAME FILE: every reader takes the frame; tapdump -r gives what lz4 -dc gives.
readable() {
	lz4 -t "$2" 2>/dev/null && pass "$1: lz4 -t" || fail "$1: lz4 -t refused the frame"
	lz4 -dc "$2" >"$2.dec" 2>/dev/null && pass "$1: lz4 -dc" || fail "$1: lz4 -dc failed"
	td -r "$2" -w "$2.td" && cmp -s "$2.dec" "$2.td" && pass "$1: tapdump -r reads it as lz4 -dc does" ||
		fail "$1: tapdump -r of the file differs from lz4 -dc"
	if command -v tshark >/dev/null 2>&1; then
		n=$(tshark -r "$2" 2>/dev/null | wc -l)
		[ "$n" = "$(count "$2.dec")" ] && pass "$1: tshark reads all $n packets" ||
			fail "$1: tshark read $n packets of $(count "$2.dec")"
	fi
}

cd "$TMP" || exit 1

if [ "$MODE" = replay ]; then
	gen -n 60000 --seed 14 -o in.pcap
	td -r in.pcap -w plain.pcap.lz4 || { fail "replay without the hook"; show_err; }
	TAPDUMP_TEST_LZ4_DELAY_US=20000 td -v -r in.pcap -w slow.pcap.lz4 --stats-file slow.json ||
		{ fail "replay under the hook"; show_err; }
	cp err slow.err
	# Without the hook only the blocks LZ4 could not shrink are stored (tdgen's random payloads).
	set -- $(stored plain.pcap.lz4) $(stored slow.pcap.lz4)
	[ "${3:-0}" -gt $((${1:-0} + 10)) ] && pass "replay: $3 of $4 blocks stored uncompressed ($1 without the hook)" ||
		fail "replay: ${3:-?} of ${4:-?} blocks stored uncompressed, ${1:-?} without the hook"
	readable replay slow.pcap.lz4
	lz4 -dc plain.pcap.lz4 >plain.dec 2>/dev/null
	cmp -s plain.dec slow.pcap.lz4.dec && pass "replay: identical to the run without the hook after decompression" ||
		fail "replay: the decompressed files differ"
	cmp -s plain.dec in.pcap && pass "replay: the input, byte for byte" || fail "replay: not the input"
	python3 - slow.json "$(stored slow.pcap.lz4)" <<'EOF' && pass "replay: --stats-file counts the file's blocks" ||
import json, sys
f = [json.loads(l) for l in open(sys.argv[1]) if '"file"' in l][0]
raw, total = map(int, sys.argv[2].split())
assert f['lz4_blocks'] == total and f['lz4_blocks_stored'] == raw, f
# The level rises at once to what the backlog calls for (lz4_pace.h): a replay that fills the
# ring before the writer's first look goes straight to storing, so 1 is a valid highest.
assert f['lz4_accel_max'] in (1, 16, 64) and 1 < f['lz4_ratio'], f
EOF
		fail "replay: --stats-file's lz4 fields disagree with the frame"
	grep -q '^lz4 writer 0: ratio .* degraded [1-9][0-9]* times for ' slow.err && pass "replay: -v's lz4 line" ||
		fail "replay: no -v lz4 line with the times it degraded"
	TAPDUMP_TEST_LZ4_DELAY_US=x td -r in.pcap -w bad.pcap.lz4
	[ $? = 1 ] && [ "$(grep -c TAPDUMP_TEST_LZ4_DELAY_US err)" = 1 ] && pass "a bad TAPDUMP_TEST_LZ4_DELAY_US: one line, status 1" ||
		fail "a bad TAPDUMP_TEST_LZ4_DELAY_US was not refused in one line"
	finish
fi

# MODE live
need_root "the DPDK EAL"
# frames: the packets of a file, time stamps aside (they are the capture's own)
frames() { tcpdump -r "$1" -t -nn -x 2>/dev/null | md5sum | cut -d' ' -f1; }
# 120000 frames at 40 kpps, 3 s; the hook's 100 ms a run makes the writer fall behind within a second.
gen_run() {
	td -v -i dpdk:net_ring0 --dpdk-gen 40000,120000 --duration 6 --stats-file "$1.json" --prometheus-file "$1.prom" \
		-w "$1.pcap.lz4"
}
if ! gen_run fast; then
	grep -q 'built without DPDK' err && skip "tapdump built without DPDK"
	grep -q 'EAL' err && skip "the DPDK EAL cannot start here"
	fail "live run without the hook"
	show_err
fi
cp err fast.err
TAPDUMP_TEST_LZ4_DELAY_US=100000 gen_run slow || { fail "live run under the hook"; show_err; }
cp err slow.err
[ "$(identity_field ring_dropped slow.err)" = 0 ] && pass "live: no ring drop under the hook" ||
	fail "live: $(identity_field ring_dropped slow.err) ring drops under the hook"
set -- $(stored slow.pcap.lz4)
[ "${1:-0}" -gt 0 ] && pass "live: $1 of $2 blocks stored uncompressed" || fail "live: no block stored uncompressed"
grep -q '^tapdump: writer 0: [0-9]* of 64 blocks queued at [0-9:.]*: LZ4 blocks stored uncompressed' slow.err &&
	pass "live: -v says when blocks began to be stored" || fail "live: -v did not say when it degraded"
grep -Eq '^tapdump: writer 0: (backlog drained at [0-9:.]*: LZ4 acceleration back to 1 after|still behind at the end: LZ4 degraded for the last) [0-9.]+ s' slow.err &&
	pass "live: -v says for how long" || fail "live: -v did not say for how long"
readable live slow.pcap.lz4
# Frames the port dropped (the generator shares two cores) differ between runs: each frame starts its
# payload with its number, so a frame both runs kept must be the same bytes in both, in the same order.
n=$(identity_field written slow.err)
[ "$n" -gt 0 ] && [ "$(count slow.pcap.lz4.dec)" = "$n" ] && pass "live: the file holds the $n frames counted written" ||
	fail "live: the file holds $(count slow.pcap.lz4.dec) frames, $n counted written"
lz4 -dc fast.pcap.lz4 >fast.dec 2>/dev/null
python3 - fast.dec slow.pcap.lz4.dec <<'EOF' && pass "live: the frames equal a run without the hook's, time stamps aside" ||
import struct, sys
def frames(path):
    d = open(path, 'rb').read()
    off, out = 24, {}
    last = -1
    while off + 16 <= len(d):
        cap = struct.unpack_from('<I', d, off + 8)[0]
        f = d[off + 16:off + 16 + cap]
        seq = struct.unpack_from('>I', f, 42)[0]
        assert seq > last, 'frame %d after %d' % (seq, last)
        out[seq] = f
        last = seq
        off += 16 + cap
    return out
a, b = frames(sys.argv[1]), frames(sys.argv[2])
common = set(a) & set(b)
assert all(a[k] == b[k] for k in common), 'a frame differs'
assert len(common) * 10 >= 9 * min(len(a), len(b)), 'only %d frames in common of %d and %d' % (len(common), len(a), len(b))
EOF
	fail "live: the frames differ from a run without the hook's"
python3 - slow.json slow.prom <<'EOF' && pass "live: --stats-file and --prometheus-file carry the lz4 counters" ||
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
f = [l for l in lines if l['type'] == 'file'][0]
assert f['lz4_blocks_stored'] > 0 and f['lz4_blocks'] >= f['lz4_blocks_stored'], f
prom = open(sys.argv[2]).read()
stored = int(re.search(r'^tapdump_lz4_stored_blocks_total\{writer="0"\} (\d+)$', prom, re.M).group(1))
assert stored >= f['lz4_blocks_stored'], (stored, f)
assert re.search(r'^tapdump_lz4_degraded_total\{writer="0"\} [1-9]', prom, re.M), 'no degraded count'
assert re.search(r'^tapdump_lz4_acceleration\{writer="0"\} \d+$', prom, re.M), 'no acceleration gauge'
EOF
	fail "live: the lz4 counters are missing from --stats-file or --prometheus-file"
finish
