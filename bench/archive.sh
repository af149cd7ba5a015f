#!/bin/bash
# bench/archive.sh: extraction from an indexed archive against a full scan and against tcpdump.
#
# usage: bench/archive.sh [BUILD_DIR]      (`make bench` runs it after run.sh)
#
# Last, bench/retention.sh: --disk-budget 200M on a 256 MiB tmpfs over hundreds
# of rotations and three restarts (root only; it says so when skipped).
#
# Environment:
#   ARCHIVE_PACKETS=12000000 packets spread over one simulated day (rate set to match): about
#                            4.1 GB of LZ4; fewer, and said so, when BENCH_DIR has no room
#   RUNS=3                   runs per command; medians are printed
#   BENCH_DIR=DIR            scratch folder (default /tmp; it needs about 1.4x the raw capture)
#   RETENTION=0              leave out bench/retention.sh
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
N=${ARCHIVE_PACKETS:-12000000}
RUNS=${RUNS:-3}
START=1700000000
DAY=86400

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$TAPDUMP" ] && [ -x "$TDGEN" ] || die "build first (ninja -C $BUILD)"
command -v tcpdump >/dev/null && command -v lz4 >/dev/null || die "tcpdump and lz4 are needed"

DIR=$(mktemp -d "${BENCH_DIR:-/tmp}/tapdump-archive.XXXXXX") || exit 1
trap 'rm -rf "$DIR"' EXIT
cd "$DIR" || exit 1

# tdgen's packets average about 975 bytes of pcap; at the peak the folder holds the capture and
# the archive (recording), then the archive and its decompressed copy: 1.4x the capture, plus 2 GB spare.
avail=$(df -Pk . | awk 'NR == 2 { print $4 * 1024 }')
fit=$(python3 -c "print(max(0, int(($avail - 2e9) / (975 * 1.4))))")
if [ "$fit" -lt "$N" ]; then
	echo "archive: $(df -Ph . | awk 'NR == 2 { print $4 }') free in $DIR holds $fit of $N packets: recording $fit"
	N=$fit
fi
[ "$N" -ge 100000 ] || die "not enough room in $DIR for an archive worth measuring"

# one packet every DAY/N seconds on average: the day's traffic in N packets
rate=$(python3 -c "print(max(1, round($N / $DAY)))")
"$TDGEN" -n "$N" --rate "$rate" --start $START --hosts 20000 -o day.pcap || die "tdgen"
mkdir arch raw
"$TAPDUMP" -r day.pcap -w arch/a-%s.pcap.lz4 -G 600 2>/dev/null || die "recording"
pcap_mb=$(($(wc -c <day.pcap) / 1000000))
rm day.pcap
for f in arch/*.pcap.lz4; do lz4 -dc "$f" >"raw/$(basename "$f" .lz4)"; done
data=$(cat arch/*.pcap.lz4 | wc -c)
idx=$(cat arch/*.tdidx | wc -c)
echo "archive: $(ls arch/*.pcap.lz4 | wc -l) files, $pcap_mb MB of pcap," \
	"$((data / 1000000)) MB of LZ4; index $idx bytes = $(python3 -c "print('%.3f' % (100 * $idx / $data))")% of the data"

# median SECONDS... ; ms CMD...: wall time of one run in ms (its CPU ms, user + system, go to the file cpu)
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
ms() {
	local s e run=()
	# a program runs under /usr/bin/time; a shell function (tcpdump_scan) as it is
	[ "$(type -t "$1")" = file ] && run=(/usr/bin/time -f '%U %S' -o cpu)
	s=$(date +%s%N)
	"${run[@]}" "$@" >/dev/null 2>&1
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
}
cpu_ms() { awk '{ printf "%d", ($1 + $2) * 1000 }' cpu; }

tcpdump_scan() { # FILTER OUT
	for f in raw/*.pcap; do tcpdump -r "$f" -w - $1 2>/dev/null | tail -c +25; done >body
	{ head -c 24 raw/$(ls raw | head -1); cat body; } >"$2"
}

# window_host SINCE UNTIL: an address with packets in the window (a host filter that selects nothing reads nothing)
window_host() {
	"$TAPDUMP" -r arch --since @"$1" --until @"$2" -c 1 -nn 'ip and (tcp or udp)' 2>/dev/null |
		awk '{ print $3 }' | sed 's/\.[0-9]*$//'
}

# ratio A B: B / A as "Nx"
ratio() { python3 -c "print('%.0fx' % ($2 / max($1, 1)))"; }

row() { # host|all MINUTE
	local m=$2 a=() b=() c=() ca=() cb=() filter="" label
	local since=$((START + m * 60)) until=$((START + m * 60 + 60))
	[ "$1" = host ] && filter="host $(window_host $since $until)"
	label="${filter:-no filter}, minute $m"
	for _ in $(seq "$RUNS"); do
		a+=("$(ms "$TAPDUMP" -r arch --since @$since --until @$until -w idx.pcap $filter)")
		ca+=("$(cpu_ms)")
		b+=("$(ms "$TAPDUMP" --no-index -r arch --since @$since --until @$until -w scan.pcap $filter)")
		cb+=("$(cpu_ms)")
		c+=("$(ms tcpdump_scan "$filter" tcp.pcap)")
	done
	$CHECK cut tcp.pcap tcpcut.pcap $((since * 1000000000)) $((until * 1000000000))
	local same=yes
	cmp -s idx.pcap scan.pcap && cmp -s idx.pcap tcpcut.pcap || same=NO
	local ma mb mc mca mcb
	ma=$(median "${a[@]}")
	mb=$(median "${b[@]}")
	mc=$(median "${c[@]}")
	mca=$(median "${ca[@]}")
	mcb=$(median "${cb[@]}")
	printf '%-30s %7s %10s %9s %8s %10s %8s %10s %8s  %s (%s packets)\n' "$label" "$ma" "$mb" "$mc" \
		"$(ratio "$ma" "$mb")" "$(ratio "$ma" "$mc")" "$mca" "$mcb" "$(ratio "$mca" "$mcb")" "$same" \
		"$(tcpdump -r idx.pcap 2>/dev/null | wc -l)"
}

echo "median of $RUNS runs, ms; output identical across the three: 'same'"
echo "wall: index, --no-index, tcpdump (on a shared machine wall time includes waiting for a core);"
echo "cpu: user + system ms of the index run and of the --no-index run"
printf '%-30s %7s %10s %9s %8s %10s %8s %10s %8s  %s\n' "1-minute window" "index" "--no-index" "tcpdump" \
	"vs scan" "vs tcpdump" "cpu idx" "cpu scan" "cpu x" "same"
row host 600
row all 600
row host 1300

if [ "${RETENTION:-1}" = 1 ]; then
	echo
	"$HERE/retention.sh" "$BUILD"
fi
