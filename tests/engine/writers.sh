#!/bin/sh
# tests/engine/writers.sh: --writers M gives one series per writer (X-wN.pcap), together holding every packet.
. "$(dirname "$0")/lib.sh"
need_programs

gen -n 12000 --seed 31 -o "$TMP/a.pcap"
gen -n 9000 --seed 32 --start 1700000000.02 -o "$TMP/b.pcap"
gen -n 6000 --seed 33 --start 1699999999.95 -o "$TMP/c.pcap"
cd "$TMP" || exit 1

# only TAG DIR NAMES...: DIR holds exactly these names
only() {
	_tag=$1
	_dir=$2
	shift 2
	_want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	# the archive index beside each capture is left out
	_have=$(cd "$_dir" && ls -A | grep -v '\.tdidx$' | sort | tr '\n' ' ')
	[ "$_want" = "$_have" ] && pass "$_tag: files [$_have]" || fail "$_tag: files [$_have], expected [$_want]"
}

# two inputs, two writers: one series each, each the time-ordered copy of its input
mkdir o2
if td -r a.pcap -r b.pcap -w o2/cap.pcap --writers 2; then
	only "2x2" o2 cap-w0.pcap cap-w1.pcap
	check "2x2: w0 holds input 0" "$PCAPCHECK" union o2/cap-w0.pcap -- a.pcap
	check "2x2: w1 holds input 1" "$PCAPCHECK" union o2/cap-w1.pcap -- b.pcap
	check "2x2: together every packet" "$PCAPCHECK" union o2/cap-w0.pcap o2/cap-w1.pcap -- a.pcap b.pcap
else
	fail "2x2: tapdump exited non-zero"
	show_err
fi

# three inputs, two writers: inputs 0 and 2 merged by writer 0, input 1 by writer 1
mkdir o3
if td -r a.pcap -r b.pcap -r c.pcap -w o3/cap.pcap --writers 2; then
	only "3x2" o3 cap-w0.pcap cap-w1.pcap
	check "3x2: w0 = inputs 0 and 2" "$PCAPCHECK" union o3/cap-w0.pcap -- a.pcap c.pcap
	check "3x2: w0 is time-ordered" "$PCAPCHECK" ordered o3/cap-w0.pcap
	check "3x2: w1 = input 1" "$PCAPCHECK" union o3/cap-w1.pcap -- b.pcap
else
	fail "3x2: tapdump exited non-zero"
	show_err
fi

# more writers than inputs: one writer per input, no empty series
mkdir o4
if td -r a.pcap -r b.pcap -w o4/cap.pcap --writers 4; then
	only "--writers 4 on 2 inputs" o4 cap-w0.pcap cap-w1.pcap
else
	fail "--writers 4: tapdump exited non-zero"
	show_err
fi

# one writer: the name is kept as given
mkdir o1
if td -r a.pcap -r b.pcap -w o1/cap.pcap --writers 1; then
	only "--writers 1" o1 cap.pcap
else
	fail "--writers 1: tapdump exited non-zero"
fi

# the suffix goes before the first dot of the file name (not of a folder), LZ4 and rotation too
# (-C 1: a.pcap compresses to about 2 MB, so each writer rotates at least once)
mkdir o5 o5/d.ir
if td -r a.pcap -r b.pcap -w o5/d.ir/cap.pcap.lz4 --writers 2 -C 1; then
	set -- $(cd o5/d.ir && ls -A | grep -v '\.tdidx$')
	ok=1
	for f in "$@"; do
		case $f in
			cap-w0.pcap.lz4 | cap-w0.pcap.lz4[0-9]* | cap-w1.pcap.lz4 | cap-w1.pcap.lz4[0-9]*) ;;
			*) ok=0; fail "lz4 -C 1: unexpected file name $f" ;;
		esac
	done
	[ $ok = 1 ] && [ -f o5/d.ir/cap-w0.pcap.lz41 ] && [ -f o5/d.ir/cap-w1.pcap.lz4 ] &&
		pass "lz4 -C 1: names $*" || fail "lz4 -C 1: names $*"
	if command -v lz4 >/dev/null 2>&1; then
		for f in "$@"; do
			lz4 -dc "o5/d.ir/$f" >"dec-$f.pcap" 2>/dev/null || fail "lz4 -C 1: $f does not decompress"
		done
		# shellcheck disable=SC2046 # one word per file
		check "lz4 -C 1: together every packet" "$PCAPCHECK" union $(ls dec-*.pcap) -- a.pcap b.pcap
	fi
else
	fail "lz4 -C 1: tapdump exited non-zero"
	show_err
fi

# -v counts per writer add up to the inputs
if td -r a.pcap -r b.pcap -r c.pcap -w o3/v.pcap --writers 3 -v; then
	w=$(identity_field written err)
	[ "$w" = 27000 ] && pass "--writers 3 -v: written $w" || fail "--writers 3 -v: written $w, expected 27000"
	rows=$(grep -c '^[0-2] ' err)
	[ "$rows" -ge 6 ] && pass "--writers 3 -v: a table row per queue and per writer" ||
		fail "--writers 3 -v: $rows rows"
else
	fail "--writers 3 -v: tapdump exited non-zero"
fi
finish
