#!/bin/sh
# tests/engine/merge.sh: several -r inputs with overlapping times become one time-ordered output holding exactly their union.
. "$(dirname "$0")/lib.sh"
need_programs

# Overlapping ranges at different rates, one far later, one empty, one LZ4-compressed.
gen -n 20000 --seed 21 --rate 100000 -o "$TMP/a.pcap"
gen -n 15000 --seed 22 --rate 50000 --start 1700000000.05 -o "$TMP/b.pcap"
gen -n 5000 --seed 23 --rate 20000 --start 1699999999.9 --payload random -o "$TMP/c.pcap"
gen -n 3000 --seed 24 --start 1700000100 -o "$TMP/d.pcap"
gen -n 0 --seed 25 -o "$TMP/empty.pcap"
cd "$TMP" || exit 1
HAVE_LZ4=0
if command -v lz4 >/dev/null 2>&1 && lz4 -q -1 c.pcap c.pcap.lz4; then
	HAVE_LZ4=1
fi

# merged TAG OUT INPUTS...: tapdump merges the inputs into OUT; check order and union
merged() {
	_tag=$1
	_out=$2
	shift 2
	_args=""
	for _in in "$@"; do
		_args="$_args -r $_in"
	done
	rm -f "$_out"*
	# shellcheck disable=SC2086 # the -r pairs are separate words
	if ! td $_args -w "$_out"; then
		fail "$_tag: tapdump exited non-zero"
		show_err
		return
	fi
	check "$_tag: time stamps never go backwards" "$PCAPCHECK" ordered "$_out"
	# the inputs' records, compared through their uncompressed twins
	_plain=""
	for _in in "$@"; do
		_plain="$_plain ${_in%.lz4}"
	done
	# shellcheck disable=SC2086
	if _n=$("$PCAPCHECK" union "$_out" -- $_plain); then
		pass "$_tag: the output is exactly the union of the inputs ($_n packets)"
	else
		fail "$_tag: the output is not the union of the inputs"
	fi
}

merged two m2.pcap a.pcap b.pcap
merged four m4.pcap a.pcap b.pcap c.pcap d.pcap
merged reversed-order m4r.pcap d.pcap c.pcap b.pcap a.pcap
merged with-empty me.pcap empty.pcap a.pcap empty.pcap c.pcap
merged same-twice ms.pcap b.pcap b.pcap
if [ $HAVE_LZ4 = 1 ]; then
	merged lz4-input mz.pcap a.pcap c.pcap.lz4 b.pcap
fi

# the input order does not change the result beyond ties: same multiset, both ordered
check "four inputs in either order: same packets" "$PCAPCHECK" union m4.pcap -- m4r.pcap

# mergecap (wireshark) is the reference merge when installed: same packets, in time order both
if command -v mergecap >/dev/null 2>&1; then
	mergecap -F pcap -w ref4.pcap a.pcap b.pcap c.pcap d.pcap 2>/dev/null
	check "mergecap agrees on the packets" "$PCAPCHECK" union m4.pcap -- ref4.pcap
	# equal time stamps may be ordered differently, but the sequence of stamps is the same
	"$PCAPCHECK" stamps m4.pcap >m4.ts
	"$PCAPCHECK" stamps ref4.pcap >ref4.ts
	check "mergecap: the same sequence of time stamps" cmp -s m4.ts ref4.ts
fi

# merging into a rotated series: each file ordered, and the series in order across files
rm -f rot.pcap*
if td -r a.pcap -r b.pcap -r c.pcap -w rot.pcap -C 3; then
	files="rot.pcap"
	i=1
	while [ -f "rot.pcap$i" ]; do
		files="$files rot.pcap$i"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086 # one word per file
	check "-C 3: $i files, each ordered and in order from one to the next" "$PCAPCHECK" ordered $files
	# shellcheck disable=SC2086
	check "-C 3: the files hold exactly the union" "$PCAPCHECK" union $files -- a.pcap b.pcap c.pcap
else
	fail "-C 3 merge exited non-zero"
	show_err
fi
finish
