#!/bin/sh
# tests/engine/lz4_helpers.sh: LZ4 blocks compressed by helper threads on spare cores (lz4_offers.h).
#
# Whoever compresses a block (a helper, its worker, its writer), the frame is
# the same bytes: LZ4 compresses each block on its own. So a replay with
# helpers must give the file a replay without them gives, byte for byte,
# and the helpers must have compressed some of its blocks (-v counts them).
# This suite also runs under ASan and UBSan: a helper reading a block its
# worker is refilling shows there.
#
# MODE replay: file input, 0, 1 and 3 helpers, and a -C series; a bad
#   --lz4-threads; the --config key.
# MODE live: --dpdk-gen into two queues and two writers (root, DPDK): idle
#   writers and a helper compress each other's blocks; every frame counted
#   written is in the files, which lz4 -t takes.
. "$(dirname "$0")/lib.sh"
need_programs
command -v lz4 >/dev/null 2>&1 || skip "lz4 not found (reads the frames back)"
LIMIT=60

# helped ERRFILE: the blocks -v says the helpers compressed
helped() {
	sed -n 's/^tapdump: LZ4 helpers: \([0-9]*\) blocks compressed by .*/\1/p' "$1"
}

cd "$TMP" || exit 1

if [ "$MODE" = replay ]; then
	gen -n 200000 --seed 71 -o in.pcap
	td -v -r in.pcap -w h0.pcap.lz4 --lz4-threads 0 || { fail "replay without helpers"; show_err; }
	[ -z "$(helped err)" ] && pass "0 helpers: none started" || fail "0 helpers: -v says '$(helped err)'"
	for n in 1 3; do
		td -v -r in.pcap -w h$n.pcap.lz4 --lz4-threads $n || { fail "replay with $n helpers"; show_err; }
		b=$(helped err)
		[ -n "$b" ] && [ "$b" -gt 0 ] && pass "$n helpers compressed $b blocks" ||
			fail "$n helpers: -v says '$b' blocks"
		cmp -s h0.pcap.lz4 h$n.pcap.lz4 && pass "$n helpers: the file a run without them writes, byte for byte" ||
			fail "$n helpers: the file differs from a run without them"
	done
	# -C cuts blocks at file boundaries: those go out as runs, not whole, and their offers go stale.
	mkdir c0 c3
	td -r in.pcap -w c0/s.pcap.lz4 -C 20 --lz4-threads 0 && td -r in.pcap -w c3/s.pcap.lz4 -C 20 --lz4-threads 3 ||
		{ fail "-C 20 with and without helpers"; show_err; }
	(cd c0 && md5sum s.pcap.lz4*) >c0.md5
	(cd c3 && md5sum -c --quiet ../c0.md5) && [ "$(ls c3 | wc -l)" = "$(ls c0 | wc -l)" ] &&
		pass "-C 20: $(ls c0 | grep -vc tdidx) files, each the same bytes with 3 helpers" ||
		fail "-C 20: the files differ with helpers"
	lz4 -dc h3.pcap.lz4 2>/dev/null | cmp -s - in.pcap && pass "3 helpers: lz4 -dc gives the input" ||
		fail "3 helpers: lz4 -dc does not give the input"
	td -r in.pcap -w bad.pcap.lz4 --lz4-threads many
	[ $? = 1 ] && [ "$(wc -l <err)" = 1 ] && grep -q -- '--lz4-threads many' err &&
		pass "a bad --lz4-threads: one line, status 1" || fail "a bad --lz4-threads was not refused in one line"
	printf 'lz4-threads 2\n' >cfg
	td -v -r in.pcap -w c.pcap.lz4 --config cfg && grep -q 'by 2 helper thread' err &&
		pass "--config's lz4-threads starts the helpers" || { fail "--config's lz4-threads"; show_err; }
	finish
fi

# MODE live
need_root "the DPDK EAL"
td -v -i dpdk:net_ring0 --dpdk-gen 40000,80000 --duration 4 --workers 2 --writers 2 --lz4-threads 1 -w lv.pcap.lz4
rc=$?
grep -q 'built without DPDK' err && skip "tapdump built without DPDK"
[ $rc = 0 ] || { grep -q 'EAL' err && skip "the DPDK EAL cannot start here"; }
[ $rc = 0 ] && pass "live: exit 0" || { fail "live: exit $rc"; show_err; }
b=$(helped err)
[ -n "$b" ] && pass "live: the helper compressed $b blocks" || fail "live: no helper line in -v"
w=$(identity_field written err)
n=0
for f in lv-w0.pcap.lz4 lv-w1.pcap.lz4; do
	lz4 -t "$f" 2>/dev/null || fail "live: lz4 -t refused $f"
	lz4 -dc "$f" >"$f.dec" 2>/dev/null
	n=$((n + $(count "$f.dec")))
done
[ -n "$w" ] && [ "$w" -gt 0 ] && [ "$n" = "$w" ] && pass "live: the files hold the $w frames counted written" ||
	fail "live: the files hold $n frames, $w counted written"
finish
