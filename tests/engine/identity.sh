#!/bin/sh
# tests/engine/identity.sh: -v's accounting identity holds exactly on file input with filters, -c and several inputs.
. "$(dirname "$0")/lib.sh"
need_programs

gen -n 30000 --seed 11 -o "$TMP/a.pcap"
gen -n 20000 --seed 12 --start 1700000000.1 -o "$TMP/b.pcap"
cd "$TMP" || exit 1

# ident TAG ARGS...: run tapdump -v, check the identity line's sum by hand and its verdict
ident() {
	_tag=$1
	shift
	rm -f out*.pcap*
	if ! td -v "$@"; then
		fail "$_tag: tapdump exited non-zero"
		show_err
		return 1
	fi
	cp err "$_tag.err"
	r=$(identity_field received "$_tag.err")
	rj=$(identity_field rejected "$_tag.err")
	rd=$(identity_field ring_dropped "$_tag.err")
	w=$(identity_field written "$_tag.err")
	l=$(identity_field lost "$_tag.err")
	c=$(identity_field 'after -c' "$_tag.err")
	if [ -z "$r" ] || [ -z "$rj" ] || [ -z "$rd" ] || [ -z "$w" ] || [ -z "$l" ] || [ -z "$c" ]; then
		fail "$_tag: no identity line in -v's output"
		show_err
		return 1
	fi
	if [ "$r" -eq $((rj + rd + w + l + c)) ]; then
		pass "$_tag: received $r = $rj + $rd + $w + $l + $c"
	else
		fail "$_tag: received $r != rejected $rj + ring_dropped $rd + written $w + lost $l + after -c $c"
	fi
	if grep -q MISMATCH "$_tag.err"; then
		fail "$_tag: the identity line says MISMATCH"
	fi
	# file input never drops and never loses on a healthy disk
	[ "$rd" -eq 0 ] && [ "$l" -eq 0 ] || fail "$_tag: ring_dropped $rd lost $l on file input"
	return 0
}

# packets in the files of this run
out_count() {
	_n=0
	for _f in out*.pcap*; do
		[ -f "$_f" ] || continue
		case $_f in *.tdidx) continue ;; esac
		_n=$((_n + $(count "$_f")))
	done
	echo $_n
}

# matches FILE FILTER: how many packets tcpdump (the oracle) says match
matches() {
	/usr/bin/tcpdump -r "$1" -w - "$2" 2>/dev/null | "$PCAPCHECK" count /dev/stdin
}

# 1. no -c: everything read is counted, the filter's verdicts add up
if ident nofilter -r a.pcap -w out.pcap; then
	[ "$r" -eq 30000 ] && [ "$w" -eq 30000 ] && [ "$(out_count)" -eq 30000 ] &&
		pass "nofilter: 30000 received, written and in the file" ||
		fail "nofilter: received $r written $w file $(out_count), expected 30000"
fi
if ident filter -r a.pcap -w out.pcap 'tcp port 80'; then
	n=$(out_count)
	[ "$r" -eq 30000 ] && [ "$w" -eq "$n" ] && [ "$c" -eq 0 ] &&
		pass "filter: all 30000 received, written $w = packets in the file" ||
		fail "filter: received $r, written $w, file $n, after -c $c"
	if [ -x /usr/bin/tcpdump ]; then
		m=$(matches a.pcap 'tcp port 80')
		[ "$w" -eq "$m" ] && pass "filter: written $w = tcpdump's matches" ||
			fail "filter: written $w, tcpdump matches $m"
	fi
fi

# 2. -c with a filter: exactly -c written, the rest of what was read counted apart
for n in 1 77 1000 4999; do
	if ident "c$n" -r a.pcap -w out.pcap -c "$n" 'tcp or udp'; then
		[ "$w" -eq "$n" ] && [ "$(out_count)" -eq "$n" ] &&
			pass "c$n: written $w = -c = packets in the file" ||
			fail "c$n: written $w, file $(out_count), -c $n"
		[ "$r" -le 30000 ] || fail "c$n: received $r > the 30000 in the file"
	fi
done
# -c larger than the matches: nothing is "after -c"
if ident cbig -r a.pcap -w out.pcap -c 1000000 'icmp'; then
	[ "$c" -eq 0 ] && [ "$r" -eq 30000 ] && pass "cbig: -c never reached: after -c 0, all received" ||
		fail "cbig: after -c $c, received $r"
fi

# 3. several inputs, one and two writers, with -c reached mid-merge
if ident merge -r a.pcap -r b.pcap -w out.pcap 'tcp'; then
	[ "$r" -eq 50000 ] && [ "$w" -eq "$(out_count)" ] &&
		pass "merge: 50000 received, written = packets in the file" ||
		fail "merge: received $r, written $w, file $(out_count)"
fi
if ident merge-c -r a.pcap -r b.pcap -w out.pcap -c 12345 'tcp'; then
	[ "$w" -eq 12345 ] && [ "$(out_count)" -eq 12345 ] && pass "merge-c: exactly 12345 written" ||
		fail "merge-c: written $w, file $(out_count)"
fi
if ident writers2 -r a.pcap -r b.pcap -w out.pcap --writers 2 'udp'; then
	[ "$r" -eq 50000 ] && [ "$w" -eq "$(out_count)" ] &&
		pass "writers2: 50000 received, written = packets in both series" ||
		fail "writers2: received $r, written $w, files $(out_count)"
fi
# with rotation too: the files together hold what was written
if ident rotate -r a.pcap -w out.pcap -C 2 -c 20000; then
	[ "$w" -eq 20000 ] && [ "$(out_count)" -eq 20000 ] && pass "rotate: 20000 written over $(ls out*.pcap* | grep -vc '\.tdidx$') files" ||
		fail "rotate: written $w, files hold $(out_count)"
fi
finish
