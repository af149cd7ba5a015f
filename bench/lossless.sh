#!/bin/sh
# bench/lossless.sh: the highest lossless rate of --dpdk-gen IMIX traffic into .pcap.lz4 and into .pcap, on 1 and 2 cores.
#
#   bench/lossless.sh BUILD [OUTDIR]     (root, DPDK; bench/drops.sh runs it as its part 1b)
#
# tapdump -i dpdk:net_ring0 --dpdk-gen RATE,RATE*SECS,imix (7:4:1 of 64, 570
# and 1518 bytes, web-like text payloads) -w FILE, the whole process pinned
# to CORES cores with taskset (the generator thread shares them: on a real
# tap the traffic costs the box nothing, so these are lower bounds).
# Lossless (LOSS=all, the default): no frame lost, neither in tapdump's
# ring nor at the port (the rx worker fell behind, as a NIC's imissed), and
# the generator kept 90% of the rate (one that cannot, on cores it shares,
# offers nothing to lose). LOSS=ring counts only tapdump's ring drops, the
# loss compression could cause.
# The search climbs a ladder of rates until a run loses, then halves the
# gap twice. Each row: the rate, Gbit/s of frame bytes, what was lost where,
# and for LZ4 the ratio kept, blocks stored uncompressed and the time the
# writer spent degraded. Then one row at 10 Gbit/s (3.53 Mpps) into
# .pcap.lz4 on every core.
#
# Environment: SECS (10) per run, LADDER (rates in pps), CORES ("1 2"), OUTPUTS ("lz4 pcap"), LOSS (ring|all).
set -u
BUILD=${1:?usage: bench/lossless.sh BUILD [OUTDIR]}
OUT=${2:-$BUILD/bench-lossless}
TD=$BUILD/tapdump
SECS=${SECS:-10}
LADDER=${LADDER:-"50000 100000 200000 400000 800000 1600000 3530000"}
CORES=${CORES:-"1 2"}
OUTPUTS=${OUTPUTS:-"lz4 pcap"}
LOSS=${LOSS:-all}
# IMIX: 4246 bytes in 12 frames.
AVG=353.83

die() { echo "bench-lossless: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (DPDK)"
[ -x "$TD" ] || die "$TD not built"
command -v taskset >/dev/null || die "taskset not found"
mkdir -p "$OUT/logs" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
ncpu=$(nproc)

# one OUTPUT CORES RATE: a run; prints "lost ring port ratio stored degraded_s" and appends a row to runs.tsv
one() {
	o=$1 c=$2 r=$3
	log="$OUT/logs/$o-$c-$r.log"
	f="$OUT/logs/cap.$( [ $o = lz4 ] && echo pcap.lz4 || echo pcap )"
	rm -f "$OUT/logs/cap."*
	cpus=0
	[ "$c" -gt 1 ] && cpus="0-$((c - 1))"
	taskset -c "$cpus" "$TD" -v -i dpdk:net_ring0 --dpdk-gen "$r,$((r * SECS)),imix" --duration $((SECS + 3)) \
		-w "$f" >/dev/null 2>"$log" || { tail -3 "$log" >&2; echo "9999999 0 0 0 0 0"; return; }
	rm -f "$OUT/logs/cap."*
	awk -v o=$o -v c=$c -v r=$r -v avg=$AVG '
		/^identity:/ { ring = $9; written = $12 }
		/generator offered/ { offered = $4; pps = $9; sub(/^\(/, "", pps); port = $(NF - 4) }
		/^lz4 writer 0:/ { ratio = $5; stored = $0; sub(/.* stored /, "", stored); sub(/,.*/, "", stored)
			deg = $0; sub(/.* for /, "", deg); sub(/ s$/, "", deg) }
		END {
			lost = ring + ("'"$LOSS"'" == "all" ? port + (pps < 0.9 * r ? 1 : 0) : 0)
			printf "%s\t%d\t%d\t%.0f\t%.2f\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", o, c, r, pps, pps * avg * 8 / 1e9, offered,
				written, ring, port, o == "lz4" ? ratio : "-", o == "lz4" ? stored : "-", o == "lz4" ? deg : "-" >> "'"$OUT/runs.tsv"'"
			print lost, ring, port, ratio + 0, stored + 0, deg + 0
		}' "$log"
}

printf 'output\tcores\trate_pps\toffered_pps\tGbit_s\toffered\twritten\tring_drop\tport_drop\tratio\tstored_blocks\tdegraded_s\n' \
	>"$OUT/runs.tsv"
printf 'output\tcores\tlossless_pps\tlossless_Mpps\tlossless_Gbit_s\tport_drop\tratio\tstored_blocks\tdegraded_s\n' \
	>"$OUT/lossless.tsv"
for c in $CORES; do
	[ "$c" -le "$ncpu" ] || continue
	for o in $OUTPUTS; do
		good=0 bad=0 kept="- - - -"
		for r in $LADDER; do
			set -- $(one $o $c $r)
			if [ "$1" = 0 ]; then good=$r kept="$3 $4 $5 $6"; else bad=$r; break; fi
		done
		# Halve the gap between the last lossless rate and the first lossy one, twice.
		for _ in 1 2; do
			[ $bad -gt 0 ] || break
			r=$(((good + bad) / 2))
			set -- $(one $o $c $r)
			if [ "$1" = 0 ]; then good=$r kept="$3 $4 $5 $6"; else bad=$r; fi
		done
		set -- $kept
		awk -v o=$o -v c=$c -v g=$good -v avg=$AVG -v pd="$1" -v ra="$2" -v st="$3" -v dg="$4" 'BEGIN {
			printf "%s\t%d\t%d\t%.2f\t%.2f\t%s\t%s\t%s\t%s\n", o, c, g, g / 1e6, g * avg * 8 / 1e9, pd,
				o == "lz4" ? ra : "-", o == "lz4" ? st : "-", o == "lz4" ? dg : "-" }' >>"$OUT/lossless.tsv"
	done
done
echo "== highest lossless rate (LOSS=$LOSS), --dpdk-gen imix, ${SECS}s per run (lower bounds: the generator shares the cores; load average $(cut -d' ' -f1-3 /proc/loadavg)) =="
column -t -s "$(printf '\t')" "$OUT/lossless.tsv"
echo "== 10 Gbit/s of imix (3.53 Mpps) into .pcap.lz4 on $ncpu cores =="
one lz4 "$ncpu" 3530000 >/dev/null
tail -1 "$OUT/runs.tsv" | awk -F '\t' '{ printf "offered %s pps (%s Gbit/s), written %s, ring_drop %s, port_drop %s, ratio %s, stored blocks %s, degraded %s s\n", $4, $5, $7, $8, $9, $10, $11, $12 }'
echo "every run: $OUT/runs.tsv"
