#!/bin/sh
# make bench-drops: drops per stage per offered rate, tapdump (DPDK, AF_XDP, libpcap live) and tcpdump, as a table, a .tsv and a PNG.
#
#   bench/drops.sh BUILD [OUTDIR]        (root; default OUTDIR = BUILD/bench-drops)
#
# Two parts, bounded to a few minutes in all:
#
# 1. Pipeline ceiling: tapdump -i dpdk:net_null0 (64-byte frames as fast as
#    the port hands them out) through filter, snaplen, block ring and writer,
#    to /dev/null and to .pcap.lz4, one and two rx workers (and for LZ4, two
#    writers, one per worker). Then bench/index_cost.sh: the .pcap.lz4 row
#    with the archive index and with --no-index, side by side (medians).
#
# 1b. Lossless IMIX (bench/lossless.sh; IMIX=0 skips it): the highest rate of
#    --dpdk-gen imix that loses nothing, into .pcap.lz4 and .pcap, on 1 and
#    2 cores, with the LZ4 ratio kept, and a row at 10 Gbit/s.
#
# 2. Paced sweep: trafgen (netsniff-ng) on one core sends 60-byte UDP frames
#    into a veth pair inside a private namespace at each rate in RATES (and
#    unpaced, "max"); tcpdump, tapdump on libpcap and tapdump on AF_XDP
#    capture on the far end. The DPDK rows use a net_ring port fed at the
#    rates in DPDK_RATES with the same frame by tapdump's own generator thread
#    (--dpdk-gen: rings shared with another process would need DPDK
#    multi-process, which needs hugepages; this machine kind runs the EAL
#    with --no-huge). tapdump writes LZ4 and prints sampled lines (PRINT=
#    turns that off); tcpdump writes plain pcap, having no compressed output.
#    Then each tool's CPU seconds at the lowest rate, files only.
#
# Columns: sent = va's tx_packets delta (DPDK: frames the generator offered); written = records in the file;
# kernel_drop = what the backend says it dropped (ps_drop + ps_ifdrop,
# imissed + rx_nombuf, AF_XDP rx_dropped + rx_ring_full, plus its
# rx_fill_ring_empty_descs in zero-copy mode only: in copy mode each such
# frame is already one of rx_dropped's, and the source reports it once);
# ring_drop = tapdump's own full-ring
# drops; uncounted = sent - written - kernel_drop - ring_drop (lost where
# nobody counts, e.g. the veth backlog, or left in tcpdump's buffer at exit);
# cpu_s = user + system seconds of the capture process, start-up included;
# traffic_cpu_s = the same counted only from just before the first frame to
# just before the stop (what a running capture costs, without its start-up).
set -u
BUILD=${1:?usage: bench/drops.sh BUILD [OUTDIR]}
OUT=${2:-$BUILD/bench-drops}
TD=$BUILD/tapdump
RATES=${RATES:-"25000 50000 100000 200000 400000 max"}
# The in-process generator has no one-core limit: the DPDK rows go on above trafgen's rates.
DPDK_RATES=${DPDK_RATES:-"25000 100000 400000 1000000 2000000 5000000"}
SECS=${SECS:-2}
# TOOLS: a subset of "tcpdump tapdump-pcap tapdump-xdp tapdump-dpdk"; CEILING=0 skips part 1;
# PRINT= (empty) runs tapdump without --print.
TOOLS=${TOOLS:-}
CEILING=${CEILING:-1}
IMIX=${IMIX:-1}
# SWEEP=0 skips parts 2 and 3 (the veth sweep and the CPU table).
SWEEP=${SWEEP:-1}
PRINT=${PRINT-1}
# What tapdump writes in the sweep; the CPU table writes plain pcap like tcpdump.
OUTEXT=pcap.lz4
NS=tdbench$$
. "$(dirname "$0")/../configs/hugepages.sh"

die() { echo "bench-drops: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespace, AF_XDP, DPDK)"
[ -x "$TD" ] || die "$TD not built"
for t in ip trafgen tcpdump; do command -v $t >/dev/null || die "$t not found (make deps)"; done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (make deps: time)"
mkdir -p "$OUT/logs" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)

gen=
cleanup() {
	[ -n "$gen" ] && kill "$gen" 2>/dev/null
	[ -n "${pidf:-}" ] && [ -s "$pidf" ] && kill "$(cat "$pidf")" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	huge_release
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# td_field OUT FIELD: a number from tapdump -v's closing identity line / queue rows.
td_field() {
	awk -v f="$2" '
		/^identity:/ { v["received"] = $3; v["ring_drop"] = $9; v["written"] = $12 + $15 }
		/^queue / { on = 1; kd = 0; next } /^writer / { on = 0 }
		on && $1 ~ /^[0-9]+$/ { kd += $(NF-1) + $NF }
		END { v["kernel_drop"] = kd; print v[f] + 0 }' "$1"
}

# ---- 1. Pipeline ceiling on net_null ----
# The rate is taken between the first and the last --stats-file interval: the
# first second pays for first-touching every block (64 MiB per worker), which
# is start-up, not throughput. Drops and written are for the whole run.
if [ "$CEILING" = 1 ]; then
	CEIL_SECS=$((SECS + 2))
	echo "== pipeline ceiling: dpdk:net_null0, 64-byte frames, filter 'not tcp', -s 60, ${CEIL_SECS}s per row =="
	printf 'output\tworkers\twriters\trx_Mpps\trx_Mpps_per_core\twritten_Mpps\treceived\tring_drop\twritten\tcpu_s\n' \
		>"$OUT/ceiling.tsv"
	# OUTPUT:WORKERS:WRITERS[:huge]. Two workers merged by one writer cut blocks into runs, so the
	# writer compresses alone; with a writer each (two file series), each worker helps its own.
	# The :huge rows run the EAL on 2 MiB hugepages (as on a NIC box) where the kernel can reserve
	# 160 of them; the reservation is put back afterwards.
	rows="null:1:1 null:2:1 lz4:1:1 lz4:2:1 lz4:2:2"
	huge_reserve "$OUT/logs/huge" 160 && rows="$rows null:1:1:huge lz4:2:2:huge"
	for row in $rows; do
		eal=
		case $row in *:huge)
			row=${row%:huge}
			eal="--no-pci -m 256 --huge-dir $OUT/logs/huge --huge-unlink --no-shconf --no-telemetry --file-prefix=tdbench$$" ;;
		esac
		target=${row%%:*} w=${row#*:} nwr=${w#*:} w=${w%:*}
		if [ $target = lz4 ]; then dst="$OUT/logs/ceiling.pcap.lz4"; else dst=/dev/null; fi
		log="$OUT/logs/ceiling-$target-$w-$nwr.log"
		[ -n "$eal" ] && target=$target-huge log="$OUT/logs/ceiling-$target-$w-$nwr.log"
		rm -f "$log.json" # --stats-file appends
		/usr/bin/time -f '%U %S' -o "$log.cpu" "$TD" -i dpdk:net_null0 --workers $w --writers $nwr \
			${eal:+--dpdk-args "$eal"} --duration $CEIL_SECS -v --stats-interval 1 --stats-file "$log.json" -s 60 -w "$dst" "not tcp" \
			>"$log" 2>&1 || { cat "$log"; die "ceiling run failed"; }
		rm -f "$OUT/logs/ceiling"*.pcap.lz4
		# "received" and "written" as whole words: the first of each in a line is the total.
		rates=$(awk '/"type":"interval"/ {
				match($0, /"uptime":[0-9.]+/); u = substr($0, RSTART + 9, RLENGTH - 9)
				match($0, /"received":[0-9]+/); r = substr($0, RSTART + 11, RLENGTH - 11)
				match($0, /"written":[0-9]+/); x = substr($0, RSTART + 10, RLENGTH - 10)
				if (!n++) { u0 = u; r0 = r; x0 = x } u1 = u; r1 = r; x1 = x }
			END { d = (u1 > u0) ? (u1 - u0) * 1e6 : 1e99; printf "%.2f %.2f", (r1 - r0) / d, (x1 - x0) / d }' "$log.json")
		awk -v o=$target -v w=$w -v nw=$nwr -v m="${rates% *}" -v mw="${rates#* }" -v r="$(td_field "$log" received)" \
			-v rd="$(td_field "$log" ring_drop)" -v wr="$(td_field "$log" written)" \
			-v cpu="$(awk '{print $1 + $2}' "$log.cpu")" \
			'BEGIN { printf "%s\t%d\t%d\t%.2f\t%.2f\t%.2f\t%d\t%d\t%d\t%.2f\n", o, w, nw, m, m / w, mw, r, rd, wr, cpu }' \
			>>"$OUT/ceiling.tsv"
	done
	huge_release
	column -t -s "$(printf '\t')" "$OUT/ceiling.tsv"
	# 1b. The same ceiling with the archive index against --no-index (INDEX_COST=0 skips it).
	if [ "${INDEX_COST:-1}" = 1 ]; then
		SECS=$CEIL_SECS "$(dirname "$0")/index_cost.sh" "$BUILD" "$OUT/index" | tee "$OUT/index_cost.txt" ||
			die "index cost bench failed"
	fi
fi

# ---- 1b. Lossless IMIX, LZ4 against plain ----
if [ "$IMIX" = 1 ]; then
	"$(dirname "$0")/lossless.sh" "$BUILD" "$OUT/lossless" || die "lossless IMIX part failed"
fi
[ "$SWEEP" = 1 ] || exit 0

# ---- 2. Paced sweep on a veth pair ----
ip netns add "$NS" || die "cannot create a network namespace"
ip -n "$NS" link add va type veth peer name vb || die "cannot create a veth pair"
# Nothing but trafgen's frames on the link: IPv6 would add router solicitations.
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip -n "$NS" link set va up && ip -n "$NS" link set vb up || die "links down"
cat >"$OUT/logs/frame.cfg" <<'EOF'
{ eth(da=ff:ff:ff:ff:ff:ff, sa=02:00:00:00:00:01, type=0x0800), ipv4(saddr=10.0.0.1, daddr=10.0.0.2, ttl=64), udp(sport=1000, dport=2000), fill(0x41, 18) }
EOF

tx_packets() { ip netns exec "$NS" cat /sys/class/net/va/statistics/tx_packets; }
# CPU seconds so far (user + system, every thread) of process $1.
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# run TOOL RATE: one capture while trafgen offers RATE pps for SECS seconds; appends a row.
run() {
	tool=$1 rate=$2
	log="$OUT/logs/$tool-$rate.log"
	pidf="$OUT/logs/pid"
	rm -f "$pidf" "$OUT/logs/cap."*
	case $tool in
	tcpdump) set -- tcpdump -Z root -i vb -w "$OUT/logs/cap.pcap" ;;
	tapdump-pcap) set -- "$TD" -v -i vb ;;
	tapdump-xdp) set -- "$TD" -v -i xdp:vb ;;
	esac
	# tapdump as deployed: LZ4 files and sampled printed lines (the printer takes what it can).
	[ $tool = tcpdump ] || set -- "$@" -w "$OUT/logs/cap.$OUTEXT" ${PRINT:+--print -nn}
	# The inner shell records the pid it execs into: `ip netns exec` forks, /usr/bin/time forks.
	ip netns exec "$NS" sh -c 'mount -t bpf bpf /sys/fs/bpf 2>/dev/null; exec "$@"' sh \
		/usr/bin/time -f '%U %S' -o "$log.cpu" sh -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$@" >"$log.print" 2>"$log" &
	job=$!
	i=0
	while ! grep -q 'listening on' "$log" 2>/dev/null; do
		kill -0 $job 2>/dev/null || { cat "$log"; die "$tool did not start"; }
		i=$((i + 1)); [ $i -lt 150 ] || { cat "$log"; die "$tool did not start in 15 s"; }
		sleep 0.1
	done
	sleep 0.5
	cpu0=$(proc_cpu "$(cat "$pidf")")
	before=$(tx_packets)
	if [ "$rate" = max ]; then
		n=$((500000 * SECS)); pace=
	else
		n=$((rate * SECS)); pace="-b ${rate}pps"
	fi
	# -P 1: one sender core; --no-sock-mem/-Q: leave the host's sysctls and IRQs alone.
	ip netns exec "$NS" trafgen -o va -i "$OUT/logs/frame.cfg" -n $n $pace -P 1 --no-sock-mem -Q \
		>"$log.trafgen" 2>&1 &
	gen=$!
	# The offered rate is measured on the wire (va's counter), from the first frame to the last, so
	# trafgen's start-up is not counted against it.
	t0= t1= last=$before
	while kill -0 $gen 2>/dev/null; do
		now=$(date +%s.%N) cur=$(tx_packets)
		[ -z "$t0" ] && [ "$cur" -gt "$before" ] && t0=$now
		[ "$cur" -gt "$last" ] && t1=$now last=$cur
		sleep 0.1
	done
	t_end=$(date +%s.%N)
	wait $gen || { gen=; cat "$log.trafgen"; die "trafgen failed"; }
	gen=
	# tcpdump's TPACKET_V3 ring hands a half-full block over only after its 1 s timeout: wait it out.
	sleep 1.5
	sent=$(( $(tx_packets) - before ))
	[ -n "$t0" ] || t0=$t_end
	# Frames sent after the last sample went out before trafgen exited.
	[ -n "$t1" ] && [ "$last" = $((before + sent)) ] || t1=$t_end
	cpu1=$(proc_cpu "$(cat "$pidf")")
	kill -TERM "$(cat "$pidf")"
	wait $job
	pidf=
	if [ $tool = tcpdump ]; then
		written=$(awk '/ packets captured$/ { print $1 }' "$log")
		kdrop=$(awk '/ packets dropped by kernel$/ { k += $1 } / packets dropped by interface$/ { k += $1 } END { print k + 0 }' "$log")
		rdrop=0
	else
		written=$(td_field "$log" written)
		kdrop=$(td_field "$log" kernel_drop)
		rdrop=$(td_field "$log" ring_drop)
	fi
	awk -v t=$tool -v r=$rate -v s=$sent -v d="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v w=$written -v k=$kdrop -v g=$rdrop \
		-v cpu="$(awk '{print $1 + $2}' "$log.cpu")" -v tc="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')" 'BEGIN {
		u = s - w - k - g
		printf "%s\t%s\t%.0f\t%d\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\n", t, r, s / d, s, w, k, g, u, 100 * (s - w) / (s ? s : 1), cpu, tc }' \
		>>"$OUT/$TABLE"
}

HEAD='tool\trate\toffered_pps\tsent\twritten\tkernel_drop\tring_drop\tuncounted\tloss_pct\tcpu_s\ttraffic_cpu_s\n'
# run_ring RATE: tapdump on a DPDK net_ring port fed by its own --dpdk-gen thread at RATE pps; appends a row.
# The generator stops after RATE * SECS frames and says what it offered, at what rate.
run_ring() {
	rate=$1
	log="$OUT/logs/tapdump-dpdk-$rate.log"
	rm -f "$OUT/logs/cap."*
	n=$((rate * SECS)) gen=$rate,$((rate * SECS))
	/usr/bin/time -f '%U %S' -o "$log.cpu" "$TD" -v -i dpdk:net_ring0 --dpdk-gen $gen --duration $((SECS + 2)) \
		-w "$OUT/logs/cap.pcap.lz4" ${PRINT:+--print -nn} >"$log.print" 2>"$log" ||
		{ cat "$log"; die "tapdump-dpdk failed"; }
	awk -v r=$rate -v w="$(td_field "$log" written)" -v k="$(td_field "$log" kernel_drop)" \
		-v g="$(td_field "$log" ring_drop)" -v cpu="$(awk '{print $1 + $2}' "$log.cpu")" '
		/generator offered/ { s = $4; pps = $9; sub(/^\(/, "", pps) }
		END {
			u = s - w - k - g
			printf "tapdump-dpdk\t%s\t%.0f\t%d\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t-\n", r, pps, s, w, k, g, u, 100 * (s - w) / (s ? s : 1), cpu
		}' "$log" >>"$OUT/$TABLE"
}

echo "== paced sweep: trafgen on one core into a veth (DPDK: net_ring0 fed by --dpdk-gen), ${SECS}s per row, rates: $RATES =="
TABLE=drops.tsv
printf "$HEAD" >"$OUT/$TABLE"
tools="tcpdump tapdump-pcap tapdump-dpdk"
if "$TD" -D 2>/dev/null | grep -q 'xdp:'; then tools="tcpdump tapdump-pcap tapdump-xdp tapdump-dpdk"; fi
[ -n "$TOOLS" ] && tools=$TOOLS
for rate in $RATES; do
	for tool in $tools; do
		[ $tool = tapdump-dpdk ] || run $tool $rate
	done
done
case " $tools " in *" tapdump-dpdk "*)
	for rate in $DPDK_RATES; do run_ring $rate; done ;;
esac
rm -f "$OUT/logs/cap."*
column -t -s "$(printf '\t')" "$OUT/drops.tsv"

# ---- CPU at a low fixed rate: like for like, each tool only writing a plain pcap file (no --print, no LZ4). ----
# DPDK is left out: its workers poll by design, a core each whatever the rate.
# CPU_SECS of traffic a run (tick counts are 10 ms, so short runs say little), CPU_RUNS runs of each
# tool, the tools taking turns.
LOW=${RATES%% *}
CPU_SECS=${CPU_SECS:-10}
CPU_RUNS=${CPU_RUNS:-3}
echo "== CPU seconds at $LOW pps, ${CPU_SECS}s, plain pcap files only, $CPU_RUNS runs each =="
TABLE=cpu.tsv
printf "$HEAD" >"$OUT/$TABLE"
saved_print=$PRINT saved_secs=$SECS
PRINT= SECS=$CPU_SECS OUTEXT=pcap
for _ in $(seq "$CPU_RUNS"); do
	for tool in $(echo "$tools" | tr ' ' '\n' | grep -v dpdk); do
		run $tool "$LOW"
	done
done
PRINT=$saved_print SECS=$saved_secs OUTEXT=pcap.lz4
rm -f "$OUT/logs/cap."*
column -t -s "$(printf '\t')" "$OUT/cpu.tsv"
echo "medians (cpu_s / traffic_cpu_s):"
for tool in $(echo "$tools" | tr ' ' '\n' | grep -v dpdk); do
	med() { awk -F '\t' -v t=$tool -v c=$1 '$1 == t { print $c }' "$OUT/cpu.tsv" | sort -n |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
	echo "  $tool: $(med 10) / $(med 11)"
done

# ---- Plot ----
if command -v gnuplot >/dev/null; then
	plot=
	for tool in $tools; do
		awk -v t=$tool -F '\t' '$1 == t { print $3 "\t" $9 }' "$OUT/drops.tsv" | sort -n >"$OUT/logs/$tool.dat"
		plot="$plot${plot:+, }'$OUT/logs/$tool.dat' using 1:2 with linespoints title '$tool'"
	done
	gnuplot <<EOF || echo "bench-drops: gnuplot failed; the table is in $OUT/drops.tsv"
set terminal png size 900,540
set output '$OUT/drops.png'
set title 'Packets not written, by offered rate (60-byte frames: veth fed by one trafgen core; DPDK: net_ring fed by --dpdk-gen; 2-core VM)'
set xlabel 'offered rate (packets/s, measured)'
set ylabel 'not written (% of sent)'
set logscale x
set key top left
set grid
plot $plot
EOF
	echo "plot: $OUT/drops.png"
else
	echo "bench-drops: gnuplot not found (make deps installs gnuplot-nox): no plot"
fi
echo "tables: $OUT/drops.tsv, $OUT/cpu.tsv, ceiling: $OUT/ceiling.tsv, logs: $OUT/logs"
