#!/bin/sh
# tests/io/lz4_corrupt.sh: a damaged .pcap.lz4 names its LZ4 error (not "truncated dump file"), exits non-zero and keeps every whole record before the damage.
#
# Usage: sh lz4_corrupt.sh TAPDUMP TDGEN PCAPCHECK
#
# Frames written by tapdump (blocks end on records, block checksums) and by
# the lz4 tool (64 KiB blocks that cut records, block checksums or none, a
# content checksum) are damaged in one place each: a block's bytes, a block
# that does not decode (its checksum made to match), the content checksum,
# the header checksum, a cut, garbage after the frame. The
# records kept must be those `lz4 -dc` yields before it stops, and a cut frame
# still reads as a truncated file, as `lz4 -dc | tcpdump -r -` says.
TAPDUMP=${1:?usage: $0 TAPDUMP TDGEN PCAPCHECK}
TDGEN=${2:?usage: $0 TAPDUMP TDGEN PCAPCHECK}
PCAPCHECK=${3:?usage: $0 TAPDUMP TDGEN PCAPCHECK}
TEST=lz4_corrupt
case $TAPDUMP in /*) ;; *) TAPDUMP=$PWD/$TAPDUMP ;; esac
case $TDGEN in /*) ;; *) TDGEN=$PWD/$TDGEN ;; esac
case $PCAPCHECK in /*) ;; *) PCAPCHECK=$PWD/$PCAPCHECK ;; esac

. "$(dirname "$0")/../report.sh"
command -v python3 >/dev/null || skip "python3 not installed (it edits the frames)"

HERE=$(cd "$(dirname "$0")" && pwd)
export HERE
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tapdump-io-lz4-corrupt.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
cd "$TMP" || exit 1

# ~11 MB of records, several frames' worth of blocks in either writer's block size
gen -n 20000 --seed 7 -o x.pcap
N=$("$PCAPCHECK" count x.pcap)

# damage IN OUT HOW [BLOCK]: a copy of the LZ4 frame IN with one thing broken (HOW, see below)
damage() {
	python3 - "$@" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.environ["HERE"], "..", "engine"))
from archive_check import xxh32
src, dst, how = sys.argv[1:4]
blk = sys.argv[4] if len(sys.argv) > 4 else "mid"
d = bytearray(open(src, "rb").read())
flg = d[4]
hdr = 4 + 2 + (8 if flg & 0x08 else 0) + (4 if flg & 0x01 else 0) + 1
bsum = 4 if flg & 0x10 else 0
blocks = []  # (offset of the block size field, data length)
off = hdr
while True:
    size = int.from_bytes(d[off:off + 4], "little")
    if size == 0:
        break
    blocks.append((off, size & 0x7FFFFFFF))
    off += 4 + (size & 0x7FFFFFFF) + bsum
# a block in the middle: never tapdump's first block, which holds only the pcap file header
blk = len(blocks) // 2 if blk == "mid" else int(blk)
if how == "content":      # the frame's last byte: its content checksum
    d[-1] ^= 0x5A
elif how == "blocksum":   # a byte in the middle of a block: only its block checksum can tell
    o, n = blocks[blk]
    d[o + 4 + n // 2] ^= 0x5A
elif how == "undecodable":  # a block whose first token asks for more literals than it holds
    o, n = blocks[blk]
    d[o + 4:o + 4 + n] = b"\xff" * n
    if bsum:  # with a checksum that matches: only the decoder can tell
        d[o + 4 + n:o + 8 + n] = xxh32(bytes(d[o + 4:o + 4 + n])).to_bytes(4, "little")
elif how == "header":     # the frame header's checksum byte
    d[hdr - 1] ^= 0x5A
elif how == "cut":        # two thirds of the frame
    d = d[: len(d) * 2 // 3]
elif how == "garbage":    # bytes after a whole frame
    d += b"garbage after the frame!"
else:
    sys.exit("unknown damage " + how)
open(dst, "wb").write(d)
PY
}

# expect_kept NAME LZ4FILE OUT [COUNT]: OUT holds the input's first records: COUNT of them, else exactly
# the whole ones lz4 -dc yields (which drops the last block when the content checksum is wrong; we keep it)
expect_kept() {
	if ! "$PCAPCHECK" prefix "$3" x.pcap >/dev/null 2>&1; then
		fail "$1: the records written are not the input's first records"
		return
	fi
	_got=$("$PCAPCHECK" count "$3" 2>/dev/null)
	if [ -n "${4:-}" ]; then
		_want=$4
	elif [ -n "$HAVE_LZ4" ]; then
		lz4 -dc "$2" >dec.pcap 2>/dev/null
		_want=$("$PCAPCHECK" count dec.pcap 2>/dev/null)
	else
		_want=$_got
	fi
	if [ -n "$_want" ] && [ "$_got" = "$_want" ] && [ "$_got" -gt 0 ]; then
		pass "$1: keeps the $_got whole records before the damage"
	else
		fail "$1: wrote ${_got:-no} records, lz4 -dc yields ${_want:-?}"
	fi
}

# run_case NAME FILE PATTERN [FORBIDDEN]: tapdump -r FILE -w out fails, saying PATTERN (and not FORBIDDEN)
run_case() {
	rm -f out.pcap
	timeout 60 "$TAPDUMP" -r "$2" -w out.pcap 2>err
	_rc=$?
	if [ $_rc -eq 0 ] || [ $_rc -ge 124 ]; then
		fail "$1: tapdump exited $_rc"
	elif ! grep -q "$3" err; then
		fail "$1: stderr lacks \"$3\": $(grep -v '^reading from' err | head -1)"
	elif [ -n "${4:-}" ] && grep -q "$4" err; then
		fail "$1: stderr says \"$4\": $(grep -v '^reading from' err | head -1)"
	else
		pass "$1: exit $_rc, $(grep -v '^reading from' err | head -1)"
	fi
}

HAVE_LZ4=
command -v lz4 >/dev/null && HAVE_LZ4=1

# tapdump's own frames: blocks end on records, each with its checksum
"$TAPDUMP" -r x.pcap -w own.pcap.lz4 2>/dev/null || { echo "FAIL tapdump -w own.pcap.lz4"; exit 1; }

damage own.pcap.lz4 own-blocksum.lz4 blocksum
run_case "own frame, block checksum" own-blocksum.lz4 "block checksum mismatch" "truncated"
expect_kept "own frame, block checksum" own-blocksum.lz4 out.pcap
# printing keeps them too: -nn, a line per record before the damaged block
kept=$("$PCAPCHECK" count out.pcap 2>/dev/null)
timeout 60 "$TAPDUMP" -nn -r own-blocksum.lz4 >lines 2>err
if [ $? -ne 0 ] && [ "$(wc -l <lines)" -eq "${kept:--1}" ] && [ "$kept" -lt "$N" ] &&
	grep -q "block checksum mismatch" err; then
	pass "own frame, block checksum: -nn prints the $kept records before it, then the error"
else
	fail "own frame, block checksum: -nn printed $(wc -l <lines) lines, -w kept ${kept:-?}: $(grep -v '^reading from' err | head -1)"
fi

damage own.pcap.lz4 own-block.lz4 undecodable
run_case "own frame, undecodable block" own-block.lz4 "corrupt block" "truncated"
expect_kept "own frame, undecodable block" own-block.lz4 out.pcap

damage own.pcap.lz4 own-header.lz4 header
run_case "own frame, header checksum" own-header.lz4 "header checksum mismatch" "truncated"

damage own.pcap.lz4 own-cut.lz4 cut
run_case "own frame, cut" own-cut.lz4 "truncated"
expect_kept "own frame, cut" own-cut.lz4 out.pcap

damage own.pcap.lz4 own-garbage.lz4 garbage
run_case "own frame, garbage after it" own-garbage.lz4 "not an LZ4 frame" "truncated"
expect_kept "own frame, garbage after it" own-garbage.lz4 out.pcap "$N"

# The lz4 tool's frames: 64 KiB blocks that end mid-record, block checksums (-BX) or none
if [ -z "$HAVE_LZ4" ]; then
	echo "note: lz4 not installed: frames with block checksums not checked"
else
	lz4 -q -f -1 -B4 -BX --content-size x.pcap cli.pcap.lz4 || { echo "FAIL lz4 -B4 -BX"; exit 1; }

	damage cli.pcap.lz4 cli-blocksum.lz4 blocksum
	run_case "lz4 -BX frame, block checksum" cli-blocksum.lz4 "block checksum mismatch" "truncated"
	expect_kept "lz4 -BX frame, block checksum" cli-blocksum.lz4 out.pcap

	# without block checksums the decoder itself finds the bad block
	lz4 -q -f -1 -B4 x.pcap plain.pcap.lz4 || { echo "FAIL lz4 -B4"; exit 1; }
	damage plain.pcap.lz4 cli-block.lz4 undecodable
	run_case "lz4 -B4 frame, undecodable block" cli-block.lz4 "corrupt block" "truncated"
	expect_kept "lz4 -B4 frame, undecodable block" cli-block.lz4 out.pcap

	damage cli.pcap.lz4 cli-content.lz4 content
	run_case "lz4 -BX frame, content checksum" cli-content.lz4 "content checksum mismatch" "truncated"
	expect_kept "lz4 -BX frame, content checksum" cli-content.lz4 out.pcap "$N"

	# A cut mid-record reads as tcpdump reads `lz4 -dc | tcpdump -r -`.
	damage cli.pcap.lz4 cli-cut.lz4 cut
	run_case "lz4 -BX frame, cut" cli-cut.lz4 "truncated dump file"
	expect_kept "lz4 -BX frame, cut" cli-cut.lz4 out.pcap

	# pcapng inside the frame goes through the same stream
	if command -v editcap >/dev/null; then
		editcap -F pcapng x.pcap x.pcapng 2>/dev/null && lz4 -q -f -1 -B4 -BX x.pcapng ng.lz4 &&
			damage ng.lz4 ng-blocksum.lz4 blocksum
		run_case "pcapng in lz4 -BX, block checksum" ng-blocksum.lz4 "block checksum mismatch" "truncated"
	else
		echo "note: editcap not installed: pcapng inside LZ4 not checked"
	fi
fi

finish
