#!/bin/sh
# tests/cli/rotate_time.sh: -G on file input splits by packet time into strftime-named slices that concatenate to the unsplit output.
#
# tcpdump rotates -G by the wall clock, so on a file it makes one file: no
# byte comparison with it here. tapdump uses the packets' own time stamps.
. "$(dirname "$0")/lib.sh"
need_tapdump
need_tcpdump # reads the time stamps back

G=2
# 2000 packets at 200/s: ten seconds of capture, starting mid-second
gen -n 2000 --rate 200 --start 1700000000.5 --seed 71 -o "$TMP/ten.pcap"
cd "$TMP" || exit 1

first_last() { # FILE -> "first last" time stamps, seconds with fraction
	timeout "$LIMIT" "$TCPDUMP" -tt -nn -r "$1" 2>/dev/null |
		awk 'NR == 1 { f = $1 } { l = $1 } END { print f, l }'
}

# check_slices DIR PREFIX: files DIR/PREFIX<epoch>.pcap hold G-second slices
check_slices() {
	_dir=$1
	_what=$2
	# the archive index beside each capture (FILE.tdidx) is no slice
	_n=$(ls "$_dir" | grep -vc '\.tdidx$')
	if [ "$_n" -lt 5 ] || [ "$_n" -gt 6 ]; then
		fail "$_what: $_n files for 10 s at -G $G, want 5 or 6: $(ls "$_dir" | grep -v '\.tdidx$' | tr '\n' ' ')"
		return
	fi
	: >"$_dir.cat"
	_prev_name=""
	_ok=1
	for _f in $(ls "$_dir" | grep -v '\.tdidx$' | sed 's/[^0-9]*\([0-9]*\).*/\1 &/' | sort -n | cut -d' ' -f2); do
		_name=$(echo "$_f" | sed 's/[^0-9]*\([0-9]*\).*/\1/')
		if [ "$(head -c 24 "$_dir/$_f" | od -An -tx1)" != "$(head -c 24 all.pcap | od -An -tx1)" ]; then
			fail "$_what: $_f has another file header than the unsplit output"
			_ok=0
		fi
		tail -c +25 "$_dir/$_f" >>"$_dir.cat"
		# shellcheck disable=SC2046 # two words
		set -- $(first_last "$_dir/$_f")
		if ! awk -v n="$_name" -v f="$1" -v l="$2" -v g="$G" -v p="$_prev_name" \
			'BEGIN { exit !(f != "" && n <= f && f < n + g && l - f < g && (p == "" || n >= p + g)) }'; then
			fail "$_what: $_f holds $1 .. $2, not one $G-second slice named by its start (previous slice $_prev_name)"
			_ok=0
		fi
		_prev_name=$_name
	done
	if tail -c +25 all.pcap | cmp -s - "$_dir.cat"; then
		pass "$_what: the slices concatenate to the unsplit output"
	else
		fail "$_what: the slices do not concatenate to the unsplit output"
	fi
	[ "$_ok" = 1 ] && pass "$_what: $_n files, each one $G-second slice named by its start"
}

timeout "$LIMIT" "$TAPDUMP" $ZROOT -r ten.pcap -w all.pcap 2>/dev/null ||
	fail "plain -w failed"

mkdir epoch
(cd epoch && timeout "$LIMIT" "$TAPDUMP" $ZROOT -r ../ten.pcap -w 'out-%s.pcap' -G $G 2>../epoch.err) ||
	fail "-G $G -w out-%s.pcap failed: $(head -1 epoch.err)"
check_slices epoch "-G $G out-%s.pcap"

# a calendar format names the same slices (UTC so the names do not depend on the box)
mkdir cal
(cd cal && TZ=UTC timeout "$LIMIT" "$TAPDUMP" $ZROOT -r ../ten.pcap -w 'cap-%Y%m%d-%H%M%S.pcap' -G $G 2>../cal.err) ||
	fail "-G $G -w cap-%Y%m%d-%H%M%S.pcap failed: $(head -1 cal.err)"
want=$(for f in epoch/*; do
	case $f in *.tdidx) continue ;; esac
	n=$(basename "$f" | sed 's/[^0-9]*\([0-9]*\).*/\1/')
	echo "cap-$(TZ=UTC date -d "@$n" +%Y%m%d-%H%M%S).pcap"
done | sort)
if [ "$(ls cal | grep -v '\.tdidx$' | sort)" = "$want" ]; then
	pass "-G $G with a calendar format names the same slices"
else
	fail "-G $G calendar names [$(ls cal | grep -v '\.tdidx$' | tr '\n' ' ')] want [$(echo $want)]"
fi

# with a filter the slices still cover exactly the filtered output
timeout "$LIMIT" "$TAPDUMP" $ZROOT -r ten.pcap -w all.pcap tcp 2>/dev/null
mkdir filt
(cd filt && timeout "$LIMIT" "$TAPDUMP" $ZROOT -r ../ten.pcap -w 's%s.pcap' -G $G tcp 2>/dev/null)
check_slices filt "-G $G with filter tcp"
finish
