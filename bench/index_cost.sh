#!/bin/sh
# bench/index_cost.sh: what the archive index costs at capture, side by side with --no-index.
#
#   bench/index_cost.sh BUILD [OUTDIR]     (root for DPDK; drops.sh runs it after its ceiling part)
#
# Environment: RUNS=3 (runs per case, alternating index / --no-index; medians
# printed), SECS=4 (seconds per DPDK run), REPLAY_PACKETS=1000000.
#
# 1. The DPDK net_null 64-byte ceiling (the issue's measure): tapdump -i
#    dpdk:net_null0, one rx worker, 'not tcp', -s 60, into .pcap.lz4 on a
#    tmpfs. The rate is taken between the first and the last --stats-file
#    interval (the first second first-touches every block), as drops.sh does.
#    net_null's frames are all zero bytes: no IP header for the summary.
# 2. The same writer path on real traffic: -r of a tdgen capture (IPv4, IPv6,
#    VLAN, TCP, UDP, ICMP: every summary term is filled) into .pcap.lz4,
#    records per second of wall time.
# Goal: the index run at least 90% of the --no-index run.
set -u
BUILD=$(cd "${1:?usage: bench/index_cost.sh BUILD [OUTDIR]}" && pwd)
OUT=${2:-$BUILD/bench-index}
TD=$BUILD/tapdump
RUNS=${RUNS:-3}
SECS=${SECS:-4}
NPKT=${REPLAY_PACKETS:-1000000}

die() { echo "index-cost: $*" >&2; exit 1; }
[ -x "$TD" ] || die "$TD not built"
mkdir -p "$OUT" || die "cannot create $OUT"
SCRATCH=$(mktemp -d /dev/shm/tapdump-index.XXXXXX) || die "no /dev/shm"
trap 'rm -rf "$SCRATCH"' EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# null_rate [--no-index]: Mpps of one net_null run
null_rate() {
	rm -f "$SCRATCH"/n.* "$OUT/null.json"
	"$TD" -i dpdk:net_null0 --workers 1 --duration $((SECS + 1)) --stats-interval 1 --stats-file "$OUT/null.json" \
		-s 60 -w "$SCRATCH/n.pcap.lz4" "$@" "not tcp" >"$OUT/null.log" 2>&1 || { cat "$OUT/null.log"; die "net_null run failed"; }
	awk '/"type":"interval"/ {
			match($0, /"uptime":[0-9.]+/); u = substr($0, RSTART + 9, RLENGTH - 9)
			match($0, /"received":[0-9]+/); r = substr($0, RSTART + 11, RLENGTH - 11)
			if (!n++) { u0 = u; r0 = r } u1 = u; r1 = r }
		END { printf "%.2f", (u1 > u0) ? (r1 - r0) / (u1 - u0) / 1e6 : 0 }' "$OUT/null.json"
}

# replay_rate [--no-index]: Mpps of -r in.pcap -w .pcap.lz4, wall time; its CPU ns per packet go to $SCRATCH/cpu
replay_rate() {
	rm -f "$SCRATCH"/r.*
	s=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$SCRATCH/time" "$TD" -r "$SCRATCH/in.pcap" -w "$SCRATCH/r.pcap.lz4" "$@" 2>/dev/null ||
		die "replay run failed"
	e=$(date +%s%N)
	awk -v n="$NPKT" '{ printf " %.0f", ($1 + $2) * 1e9 / n }' "$SCRATCH/time" >>"$SCRATCH/cpu${1:-}"
	awk -v n="$NPKT" -v ns=$((e - s)) 'BEGIN { printf "%.2f", n / ns * 1e3 }'
}

# row LABEL FUNC: RUNS alternating runs of FUNC with and without --no-index; prints the medians and the ratio
row() {
	on="" off=""
	for _ in $(seq "$RUNS"); do
		on="$on $($2)"
		off="$off $($2 --no-index)"
	done
	# shellcheck disable=SC2086 # the lists are words
	a=$(median $on) b=$(median $off)
	printf '%-34s %10s %12s %8s   runs: index%s / no-index%s\n' "$1" "$a" "$b" \
		"$(awk -v a="$a" -v b="$b" 'BEGIN { printf("%.1f%%", (b > 0) ? 100 * a / b : 0) }')" "$on" "$off"
}

echo "== index cost at capture: medians of $RUNS runs, Mpps =="
printf '%-34s %10s %12s %8s\n' "case" "index" "--no-index" "ratio"
if [ "$(id -u)" = 0 ]; then
	row "dpdk:net_null0 64B -> .pcap.lz4" null_rate
else
	echo "dpdk:net_null0: skipped (needs root)"
fi
"$BUILD/bench/tdgen" -n "$NPKT" --seed 5 --hosts 20000 -o "$SCRATCH/in.pcap" || die "tdgen"
: >"$SCRATCH/cpu"
: >"$SCRATCH/cpu--no-index"
row "-r tdgen traffic -> .pcap.lz4" replay_rate
# CPU time does not wait for a busy machine's other tenants the way wall time does: the steadier measure of cost.
# shellcheck disable=SC2046 # the lists are words
a=$(median $(cat "$SCRATCH/cpu")) b=$(median $(cat "$SCRATCH/cpu--no-index"))
printf '%-34s %10s %12s %8s   runs: index%s / no-index%s\n' "  CPU ns per packet (user+sys)" "$a" "$b" \
	"$(awk -v a="$a" -v b="$b" 'BEGIN { printf("%.1f%%", (a > 0) ? 100 * b / a : 0) }')" "$(cat "$SCRATCH/cpu")" \
	"$(cat "$SCRATCH/cpu--no-index")"
