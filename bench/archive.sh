#!/bin/bash
# bench/archive.sh: extraction from an indexed archive against a full scan and against tcpdump.
#
# usage: bench/archive.sh [BUILD_DIR]      (`make bench` runs it after run.sh)
#
# Last, bench/retention.sh: --disk-budget 200M on a 256 MiB tmpfs over hundreds
# of rotations and three restarts (root only; it says so when skipped).
#
# Environment:
#   ARCHIVE_PACKETS=2000000  packets spread over one simulated day (rate set to match)
#   RUNS=3                   runs per command; medians are printed
#   BENCH_DIR=DIR            scratch folder (default /tmp; it needs about 1.5x the raw capture)
#
# The archive is .pcap.lz4 with -G 600 (144 files for the day). Each row
# extracts a 1-minute window, with one host's filter and with none, three
# ways: tapdump with the index, tapdump --no-index over the same directory
# (every file decompressed and filtered), and tcpdump over the decompressed
# files (filter only: it has no time bounds, the window is cut afterwards).
# All three outputs must be identical.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
TAPDUMP=$BUILD/tapdump
TDGEN=$BUILD/bench/tdgen
CHECK="python3 $(cd "$(dirname "$0")/.." && pwd)/tests/engine/archive_check.py"
N=${ARCHIVE_PACKETS:-2000000}
RUNS=${RUNS:-3}
START=1700000000
DAY=86400

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$TAPDUMP" ] && [ -x "$TDGEN" ] || die "build first (ninja -C $BUILD)"
command -v tcpdump >/dev/null && command -v lz4 >/dev/null || die "tcpdump and lz4 are needed"

DIR=$(mktemp -d "${BENCH_DIR:-/tmp}/tapdump-archive.XXXXXX") || exit 1
trap 'rm -rf "$DIR"' EXIT
cd "$DIR" || exit 1

# one packet every DAY/N seconds on average: the day's traffic in N packets
rate=$(python3 -c "print(max(1, round($N / $DAY)))")
"$TDGEN" -n "$N" --rate "$rate" --start $START --hosts 20000 -o day.pcap || die "tdgen"
mkdir arch raw
"$TAPDUMP" -r day.pcap -w arch/a-%s.pcap.lz4 -G 600 2>/dev/null || die "recording"
for f in arch/*.pcap.lz4; do lz4 -dc "$f" >"raw/$(basename "$f" .lz4)"; done
data=$(cat arch/*.pcap.lz4 | wc -c)
idx=$(cat arch/*.tdidx | wc -c)
echo "archive: $(ls arch/*.pcap.lz4 | wc -l) files, $(($(wc -c <day.pcap) / 1000000)) MB of pcap," \
	"$((data / 1000000)) MB of LZ4; index $idx bytes = $(python3 -c "print('%.3f' % (100 * $idx / $data))")% of the data"

# median SECONDS... ; ms CMD...: wall time of one run in ms
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
ms() {
	local s e
	s=$(date +%s%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
}

tcpdump_scan() { # FILTER OUT
	for f in raw/*.pcap; do tcpdump -r "$f" -w - $1 2>/dev/null | tail -c +25; done >body
	{ head -c 24 raw/$(ls raw | head -1); cat body; } >"$2"
}

row() { # LABEL FILTER MINUTE
	local label=$1 filter=$2 m=$3 a=() b=() c=()
	local since=$((START + m * 60)) until=$((START + m * 60 + 60))
	for _ in $(seq "$RUNS"); do
		a+=("$(ms "$TAPDUMP" -r arch --since @$since --until @$until -w idx.pcap $filter)")
		b+=("$(ms "$TAPDUMP" --no-index -r arch --since @$since --until @$until -w scan.pcap $filter)")
		c+=("$(ms tcpdump_scan "$filter" tcp.pcap)")
	done
	$CHECK cut tcp.pcap tcpcut.pcap $((since * 1000000000)) $((until * 1000000000))
	local same=yes
	cmp -s idx.pcap scan.pcap && cmp -s idx.pcap tcpcut.pcap || same=NO
	local ma mb mc
	ma=$(median "${a[@]}")
	mb=$(median "${b[@]}")
	mc=$(median "${c[@]}")
	printf '%-28s %9s %11s %11s %10s %10s  %s\n' "$label" "$ma" "$mb" "$mc" \
		"$(python3 -c "print('%.0fx' % ($mb / max($ma, 1)))")" \
		"$(python3 -c "print('%.0fx' % ($mc / max($ma, 1)))")" "$same"
}

host=$("$TAPDUMP" -r day.pcap -c 1 -nn 2>/dev/null | awk '{print $3}' | sed 's/\.[0-9]*$//')
echo "median of $RUNS runs, ms; output identical across the three: last column"
printf '%-28s %9s %11s %11s %10s %10s  %s\n' "1-minute window" "index" "--no-index" "tcpdump" "vs scan" "vs tcpdump" "same"
row "host $host, minute 600" "host $host" 600
row "no filter, minute 600" "" 600
row "host $host, minute 1300" "host $host" 1300

echo
"$HERE/retention.sh" "$BUILD"
