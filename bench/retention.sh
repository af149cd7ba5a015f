#!/bin/bash
# bench/retention.sh: --disk-budget on a small filesystem, over hundreds of rotations and restarts.
#
# usage: bench/retention.sh [BUILD_DIR]     (bench/archive.sh runs it last; needs root for the tmpfs)
#
# Environment:
#   RETENTION_RUNS=3     tapdump runs (restarts) into the same directory
#   RETENTION_MB=120     pcap MB each run records (-C 1: about one rotation per MB)
#   FEED_RATE=40000000   bytes/s each run is fed at, so the series can be sampled while it grows
#   BENCH_DIR=DIR        scratch folder for the inputs (default /tmp)
#
# A 256 MiB tmpfs holds the series (-w r-%Y%m%d-%H%M%S.pcap -G 60 -C 1,
# --disk-budget 200M) beside files that are not the series': random data,
# text, names close to the series' and a link. Each run replays a generated
# capture of later packets (restarts go on where the last run stopped).
# Printed: rotations, files deleted, the largest series size sampled while
# running (every ~10 ms, index files included as the budget counts them),
# the size at the end of each run, and the checksums of the other files
# before and after.

set -u
BUILD=$(cd "${1:-build}" && pwd)
TAPDUMP=$BUILD/tapdump
TDGEN=$BUILD/bench/tdgen
SLOWCAT=$BUILD/tests/engine/pcapcheck
RUNS=${RETENTION_RUNS:-3}
MB=${RETENTION_MB:-120}
RATE=${FEED_RATE:-40000000}
BUDGET=$((200 * 1024 * 1024))
ONE_FILE=$((1000000 + 1514 + 16)) # -C 1: a file ends at most one record past 1,000,000 bytes

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$TAPDUMP" ] && [ -x "$TDGEN" ] && [ -x "$SLOWCAT" ] || die "build first (ninja -C $BUILD)"
[ "$(id -u)" = 0 ] || { echo "retention bench: skipped (needs root to mount a tmpfs)"; exit 0; }

DIR=$(mktemp -d "${BENCH_DIR:-/tmp}/tapdump-retention.XXXXXX") || exit 1
MNT=$DIR/mnt
mkdir "$MNT"
mount -t tmpfs -o size=256m tapdump-bench "$MNT" || die "cannot mount a tmpfs"
trap 'umount "$MNT"; rm -rf "$DIR"' EXIT
cd "$DIR" || exit 1

SERIES='r-2???????-??????.pcap*' # the names -w r-%Y%m%d-%H%M%S.pcap -C 1 makes, and their .tdidx

# series bytes: the files the -w pattern makes and their indexes (the budget counts both)
series() { find "$MNT" -maxdepth 1 -type f -name "$SERIES" -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }

# the files that are not the series', some named much like it: they must come out unchanged
head -c $((20 * 1024 * 1024)) /dev/urandom >"$MNT/other-writer.bin"
echo "operator notes" >"$MNT/notes.txt"
echo "not a capture" >"$MNT/r-notes.pcap"
head -c 100000 /dev/urandom >"$MNT/r-20231114.pcap.bak"
ln -s notes.txt "$MNT/r-20231114-221320.pcap999" # named like the series, but a link: never followed
foreign() {
	(cd "$MNT" && for f in $(ls -A | sort); do
		case $f in r-2???????-??????.pcap*) [ -L "$f" ] || continue ;; esac
		if [ -L "$f" ]; then echo "link $f -> $(readlink "$f")"; else md5sum "$f"; fi
	done)
}
foreign >foreign.before

pkts=$((MB * 1000000 / 560)) # tdgen's text traffic averages about 560 bytes a record
max=0 files=0 deleted=0 start=1700000000
for run in $(seq "$RUNS"); do
	# ten minutes of packet time per run: ten -G slices, and -C 1 inside them
	"$TDGEN" -n $pkts --seed $((70 + run)) --rate $((pkts / 600)) --start $start -o in.pcap || die "tdgen"
	start=$((start + 660)) # a gap: no name of this run is one of the last run's
	("$SLOWCAT" slowcat "$RATE" in.pcap | "$TAPDUMP" -r - -w "$MNT/r-%Y%m%d-%H%M%S.pcap" -G 60 -C 1 \
		--disk-budget 200M -v 2>err.$run
	echo $? >rc) &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		s=$(series)
		[ "$s" -gt "$max" ] && max=$s
		sleep 0.01
	done
	wait $pid
	[ "$(cat rc)" = 0 ] || { sed 's/^/  /' err.$run; die "run $run failed"; }
	f=$(awk '$1 == "0" && NF == 5 { print $5 }' err.$run)
	d=$(sed -n 's/^retention writer 0: files_deleted \([0-9]*\).*/\1/p' err.$run)
	files=$((files + f))
	deleted=$((deleted + d))
	echo "run $run: $f files written (rotations), $d deleted; series $(series) bytes at the end"
done
foreign >foreign.after

echo "retention: $RUNS runs, $files files written, $deleted deleted, $(find "$MNT" -maxdepth 1 -type f -name "$SERIES" ! -name '*.tdidx' | wc -l) kept"
echo "retention: largest series sampled while running $max bytes (budget $BUDGET; budget + one file $((BUDGET + ONE_FILE)))"
verdict=ok
[ "$max" -le $((BUDGET + ONE_FILE)) ] || verdict=OVER
echo "retention: max within budget + one file: $verdict"
end=$(series)
verdict=ok
[ "$end" -le "$BUDGET" ] && [ "$end" -ge $((BUDGET - 2 * ONE_FILE)) ] || verdict=NO
echo "retention: series at the end $end bytes, within [budget - two files, budget]: $verdict"
if cmp -s foreign.before foreign.after; then
	echo "retention: other files unchanged ($(wc -l <foreign.before) files, md5 before = after):"
else
	echo "retention: OTHER FILES CHANGED:"
	diff foreign.before foreign.after
fi
sed 's/^/  /' foreign.after
