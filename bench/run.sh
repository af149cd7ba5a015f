#!/bin/bash
# bench/run.sh: time tapdump against tcpdump 4.99.3 on generated captures and print a comparison table.
#
# usage: bench/run.sh [BUILD_DIR]        (default: build; `make bench` passes it)
#
# Environment:
#   PACKETS=1500000      packets in the main capture (mixed 60-1514 bytes)
#   PRINT_PACKETS=100000 packets in the many-hosts capture for the -nn row
#   RUNS=3               runs per command; the table shows the median
#   BENCH_DIR=DIR        scratch folder (default: /dev/shm when it has room, else /tmp)
#   TCPDUMP=/usr/bin/tcpdump
#   ROWS="filter lz4 lz4ratio print nojit"   which rows to run
#
# Each tapdump/tcpdump pair runs alternately (A B A B ...), never at the same
# time: this box has two cores and the point is each program's own speed.
# Every row also checks that tapdump wrote what tcpdump wrote, so a fast
# number is never a wrong one.

set -u

BUILD=${1:-build}
TAPDUMP=$BUILD/tapdump
TDGEN=$BUILD/bench/tdgen
TCPDUMP=${TCPDUMP:-/usr/bin/tcpdump}
PACKETS=${PACKETS:-1500000}
PRINT_PACKETS=${PRINT_PACKETS:-100000}
RUNS=${RUNS:-3}
ROWS=${ROWS:-filter lz4 lz4ratio print nojit filters}
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 1; }

[ -x "$TAPDUMP" ] || die "no tapdump at $TAPDUMP (build first: ninja -C $BUILD)"
[ -x "$TDGEN" ] || die "no tdgen at $TDGEN (build first: ninja -C $BUILD)"
[ -x "$TIME" ] || die "$TIME is needed for peak RSS (apt-get install time)"
have_tcpdump=1
[ -x "$TCPDUMP" ] || { have_tcpdump=0; echo "bench: no tcpdump at $TCPDUMP: tapdump rows only" >&2; }
command -v lz4 >/dev/null 2>&1 || die "the lz4 command is needed for the compression rows"

if [ -z "${BENCH_DIR:-}" ]; then
	# tmpfs keeps the disk out of the numbers; it needs ~5 input sizes of room
	shm_free=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
	if [ -n "$shm_free" ] && [ "$shm_free" -gt $((8 * 1024 * 1024)) ]; then
		BENCH_DIR=/dev/shm
	else
		BENCH_DIR=${TMPDIR:-/tmp}
	fi
fi
# Other files in a tmpfs are memory: gigabytes of them put the page allocator under pressure and
# slowed the -r -w row two-fold here. Say so, so the numbers are read with that in mind.
used_kb=$(df -Pk "$BENCH_DIR" 2>/dev/null | awk 'NR == 2 && $1 == "tmpfs" { print $3 }')
if [ -n "$used_kb" ] && [ "$used_kb" -gt $((2 * 1024 * 1024)) ]; then
	echo "bench: warning: $BENCH_DIR (tmpfs) already holds $((used_kb / 1024 / 1024)) GB of other files" >&2
fi
W=$(mktemp -d "$BENCH_DIR/tapdump-bench.XXXXXX") || die "cannot make a scratch folder in $BENCH_DIR"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM

ZROOT=""
[ "$(id -u)" = 0 ] && ZROOT="-Z root" # Debian's tcpdump drops to user tcpdump otherwise

# ---- measuring ---------------------------------------------------------

# measure OUTFILE CMD: run the shell command CMD once; appends "seconds rss_kb"
measure() {
	local out=$1 cmd=$2 t0 t1 rss
	sync
	t0=$(date +%s%N)
	$TIME -f %M -o "$W/rss" sh -c "$cmd" || echo "bench: command failed: $cmd" >&2
	t1=$(date +%s%N)
	rss=$(tail -1 "$W/rss")
	echo "$(( (t1 - t0) / 1000 )) $rss" >>"$out"
}

# median FILE COLUMN
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -n |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# pair NAME OUR_CMD REF_CMD: time both RUNS times, alternately; REF_CMD may be empty
pair() {
	local name=$1 our=$2 ref=$3
	rm -f "$W/$name.our" "$W/$name.ref"
	for _ in $(seq "$RUNS"); do
		measure "$W/$name.our" "$our"
		if [ -n "$ref" ] && [ "$have_tcpdump" = 1 ]; then
			measure "$W/$name.ref" "$ref"
		fi
	done
}

rows_printed=0
header() {
	printf '\n%-34s %-8s %9s %8s %9s %9s %9s  %s\n' \
		"row" "tool" "median s" "Mpps" "MB/s" "RSS MB" "speedup" "check"
	printf '%s\n' "--------------------------------------------------------------------------------------------------------"
}

# report NAME LABEL PACKETS BYTES CHECK [GOAL]
report() {
	local name=$1 label=$2 pkts=$3 bytes=$4 check=$5 goal=${6:-}
	local us rss ref_us ref_rss speed="-"
	[ "$rows_printed" = 0 ] && header
	rows_printed=1
	us=$(median "$W/$name.our" 1)
	rss=$(median "$W/$name.our" 2)
	if [ -s "$W/$name.ref" ]; then
		ref_us=$(median "$W/$name.ref" 1)
		ref_rss=$(median "$W/$name.ref" 2)
		speed=$(awk -v a="$ref_us" -v b="$us" 'BEGIN { printf "%.2fx", a / b }')
		[ -n "$goal" ] && speed="$speed (goal ${goal}x)"
	fi
	line "$label" tapdump "$us" "$rss" "$pkts" "$bytes" "$speed" "$check"
	[ -s "$W/$name.ref" ] &&
		line "" tcpdump "$ref_us" "$ref_rss" "$pkts" "$bytes" "1.00x" ""
}

line() {
	awk -v l="$1" -v t="$2" -v us="$3" -v rss="$4" -v p="$5" -v b="$6" -v sp="$7" -v ck="$8" \
		'BEGIN { s = us / 1e6; printf "%-34s %-8s %9.3f %8.2f %9.0f %9.1f %9s  %s\n", \
			l, t, s, p / s / 1e6, b / s / 1e6, rss / 1024, sp, ck }'
}

same() { # same A B: "ok" when the files are equal, else what differs
	if cmp -s "$1" "$2"; then echo ok; else echo "MISMATCH ($(basename "$1") vs $(basename "$2"))"; fi
}

want() { case " $ROWS " in *" $1 "*) return 0 ;; esac; return 1; }

# ---- inputs ------------------------------------------------------------

echo "bench: tapdump $TAPDUMP vs $TCPDUMP, $RUNS runs each, scratch $W"
IN=$W/in.pcap
RAND=$W/random.pcap
HOSTS=$W/hosts.pcap
"$TDGEN" -n "$PACKETS" --hosts 5000 --flows 4000 --payload text --seed 1 -o "$IN" ||
	die "tdgen failed"
in_bytes=$(stat -c %s "$IN")
echo "bench: $IN: $PACKETS packets, $in_bytes bytes (text payload)"

# ---- rows --------------------------------------------------------------

if want filter; then
	pair filter "'$TAPDUMP' -r '$IN' -w '$W/our.pcap' 'tcp port 80' 2>/dev/null" \
		"'$TCPDUMP' $ZROOT -r '$IN' -w '$W/ref.pcap' 'tcp port 80' 2>/dev/null"
	check=$( [ "$have_tcpdump" = 1 ] && same "$W/our.pcap" "$W/ref.pcap" || echo "(no oracle)")
	report filter "-r -w 'tcp port 80'" "$PACKETS" "$in_bytes" "$check" 5
	# The floor under any tool on this machine: the same bytes read and written by cat, both at
	# once as a perfect two-thread pipeline would, with no parsing, filtering or packing at all.
	pair floor "cat '$IN' >/dev/null & cat '$W/our.pcap' >'$W/floor.pcap'; wait" ""
	line "" "cat||cat" "$(median "$W/floor.our" 1)" "$(median "$W/floor.our" 2)" "$PACKETS" "$in_bytes" \
		"$(awk -v a="$(median "$W/filter.ref" 1)" -v b="$(median "$W/floor.our" 1)" 'BEGIN { if (b > 0) printf "%.2fx", a / b }')" \
		"bare read and write, for scale"
	rm -f "$W/our.pcap" "$W/ref.pcap" "$W/floor.pcap"
fi

if want lz4; then
	pair lz4 "'$TAPDUMP' -r '$IN' -w '$W/our.pcap.lz4' 2>/dev/null" \
		"'$TCPDUMP' $ZROOT -r '$IN' -w - 2>/dev/null | lz4 -1 -q > '$W/ref.lz4'"
	# what counts is the pcap inside: tapdump's must be the one tcpdump wrote
	if [ -s "$W/ref.lz4" ]; then
		check=$(cmp -s <(lz4 -dc "$W/our.pcap.lz4" 2>/dev/null) <(lz4 -dc "$W/ref.lz4" 2>/dev/null) &&
			echo ok || echo "MISMATCH (decompressed outputs differ)")
	else
		check=$(lz4 -dc "$W/our.pcap.lz4" 2>/dev/null | cmp -s - "$IN" && echo "ok (vs input)" ||
			echo "MISMATCH (lz4 -dc != input)")
	fi
	report lz4 "-r -w .pcap.lz4 (vs | lz4 -1)" "$PACKETS" "$in_bytes" "$check" 4
	rm -f "$W/our.pcap.lz4" "$W/ref.lz4"
fi

if want lz4ratio; then
	"$TDGEN" -n "$PACKETS" --hosts 5000 --flows 4000 --payload random --seed 2 -o "$RAND" ||
		die "tdgen failed"
	rand_bytes=$(stat -c %s "$RAND")
	for kind in text random; do
		f=$IN
		b=$in_bytes
		[ "$kind" = random ] && f=$RAND && b=$rand_bytes
		pair "ratio_$kind" "'$TAPDUMP' -r '$f' -w '$W/our.pcap.lz4' 2>/dev/null" \
			"lz4 -1 -q -f '$f' '$W/ref.lz4'"
		our_ratio=$(awk -v a="$b" -v c="$(stat -c %s "$W/our.pcap.lz4")" 'BEGIN { printf "%.2f", a / c }')
		ref_ratio=$(awk -v a="$b" -v c="$(stat -c %s "$W/ref.lz4")" 'BEGIN { printf "%.2f", a / c }')
		check=$(lz4 -dc "$W/our.pcap.lz4" 2>/dev/null | cmp -s - "$f" && echo "ok" || echo "MISMATCH")
		# the reference here is the lz4 tool on the finished file, not tcpdump
		mv "$W/ratio_$kind.ref" "$W/ratio_$kind.tool" 2>/dev/null
		report "ratio_$kind" "LZ4 writer, $kind payload" "$PACKETS" "$b" \
			"$check, ratio $our_ratio (lz4 -1 file: $ref_ratio)"
		line "" "lz4 -1" "$(median "$W/ratio_$kind.tool" 1)" "$(median "$W/ratio_$kind.tool" 2)" \
			"$PACKETS" "$b" "-" "file to file, for scale"
		rm -f "$W/our.pcap.lz4" "$W/ref.lz4"
	done
	rm -f "$RAND"
fi

if want print; then
	"$TDGEN" -n "$PRINT_PACKETS" --hosts 60000 --flows 8000 --seed 3 -o "$HOSTS" ||
		die "tdgen failed"
	hosts_bytes=$(stat -c %s "$HOSTS")
	# the text goes to a file (tmpfs) so each run can be compared with the oracle's
	pair print "'$TAPDUMP' -nn -r '$HOSTS' > '$W/our.txt' 2>/dev/null" \
		"'$TCPDUMP' -nn -r '$HOSTS' > '$W/ref.txt' 2>/dev/null"
	if [ "$have_tcpdump" = 1 ]; then
		if cmp -s "$W/our.txt" "$W/ref.txt"; then check=ok; else
			check="outputs differ ($(cmp "$W/our.txt" "$W/ref.txt" 2>&1 | head -1 | sed 's/.*: //'))"
		fi
	else
		check="(no oracle)"
	fi
	report print "-nn -r (60000 hosts) > file" "$PRINT_PACKETS" "$hosts_bytes" "$check"
	rm -f "$W/our.txt" "$W/ref.txt" "$HOSTS"
fi

# Hook: rows for options that may not exist yet run only when tapdump takes them.
if want nojit && "$TAPDUMP" --no-jit -r "$IN" -c 1 -w /dev/null >/dev/null 2>&1; then
	for expr in 'tcp port 80' 'tcp[tcpflags] & tcp-syn != 0 or udp port 53'; do
		pair jit "'$TAPDUMP' -r '$IN' -w /dev/null '$expr' 2>/dev/null" ""
		pair nojit "'$TAPDUMP' --no-jit -r '$IN' -w /dev/null '$expr' 2>/dev/null" ""
		report jit "JIT on: ${expr:0:26}" "$PACKETS" "$in_bytes" ""
		report nojit "JIT off (--no-jit)" "$PACKETS" "$in_bytes" ""
	done
fi

echo
echo "Mpps and MB/s are input packets and input pcap bytes per wall second;"
echo "RSS is the peak resident set (/usr/bin/time %M; for a pipeline, its largest process)."

# The filter executors side by side (ns/packet): libpcap's interpreter, DPDK's rte_bpf, our JIT.
if want filters && [ -x "$BUILD/bench/filter_bench" ]; then
	echo
	echo "== filter executors (bench/filter_bench)"
	"$BUILD/bench/filter_bench" || echo "filter_bench failed"
fi
