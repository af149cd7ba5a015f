#!/bin/sh
# tests/cli/option_checks.sh: -y, -w and --compress values that cannot work stop the run with one line, before any file is made.
. "$(dirname "$0")/lib.sh"
need_tapdump

gen -n 20 --seed 73 -o "$TMP/small.pcap"
cd "$TMP" || exit 1
R="-r $TMP/small.pcap"
NG="pcapng output is not supported yet; use .pcap or .pcap.lz4"
LZ="--compress lz4 writes an LZ4 frame; add .lz4 to the -w name"

# shellcheck disable=SC2086 # $R is separate words
{
	# tcpdump checks -y's name when it parses it, so -r runs fail too
	expect_error "-y BOGUS -r" "PROG: invalid data link type BOGUS" $R -w out.pcap -y BOGUS
	expect_error "--linktype BOGUS -r" "PROG: invalid data link type BOGUS" $R --linktype BOGUS
	# an empty -w name: tcpdump's open fails so, with or without -G
	expect_error "-w ''" "PROG: : No such file or directory" $R -w ''
	expect_error "-G 1 -w ''" "PROG: : No such file or directory" $R -G 1 -w ''
	expect_error "-C 1 -w ''" "PROG: : No such file or directory" $R -C 1 -w ''
	# pcapng names get classic pcap bytes until there is a pcapng writer: refused
	expect_error "-w x.pcapng" "PROG: x.pcapng: $NG" $R -w x.pcapng
	expect_error "-w x.pcapng.lz4" "PROG: x.pcapng.lz4: $NG" $R -w x.pcapng.lz4
	expect_error "-w X.PCAPNG" "PROG: X.PCAPNG: $NG" $R -w X.PCAPNG
	expect_error "-w cap-%s.pcapng -G 1" "PROG: cap-%s.pcapng: $NG" $R -w cap-%s.pcapng -G 1
	# an LZ4 frame under a plain capture name
	expect_error "--compress lz4 -w x.pcap" "PROG: x.pcap: $LZ" $R -w x.pcap --compress lz4
	expect_error "--compress lz4 -w x.bin" "PROG: x.bin: $LZ" $R --compress lz4 -w x.bin
}
printf '# site settings\ncompress lz4\n' >lz4.conf
# shellcheck disable=SC2086
expect_error "config 'compress lz4', -w x.pcap" "PROG: x.pcap: $LZ" $R --config "$TMP/lz4.conf" -w x.pcap

# What stays allowed: named .lz4, standard output, /dev/null.
ok_run() {
	_what=$1
	shift
	if timeout "$LIMIT" "$TAPDUMP" $ZROOT "$@" >ok.out 2>ok.err; then
		pass "$_what: runs"
	else
		fail "$_what: exit $?, [$(grep tapdump: ok.err | head -1)]"
	fi
}
rm -f x.pcap.lz4
# shellcheck disable=SC2086
{
	ok_run "config 'compress lz4', -w x.pcap.lz4" $R --config "$TMP/lz4.conf" -w x.pcap.lz4
	ok_run "--compress lz4 -w -" $R --compress lz4 -w -
	mv ok.out stdout.lz4
	ok_run "--compress lz4 -w /dev/null" $R --compress lz4 -w /dev/null
	ok_run "-y EN10MB -r" $R -y EN10MB -w /dev/null
}
[ "$(od -An -tx1 -N4 x.pcap.lz4 | tr -d ' ')" = 04224d18 ] && pass "x.pcap.lz4 is an LZ4 frame" ||
	fail "x.pcap.lz4 is no LZ4 frame"
[ "$(od -An -tx1 -N4 stdout.lz4 | tr -d ' ')" = 04224d18 ] && pass "-w - --compress lz4 writes an LZ4 frame" ||
	fail "-w - --compress lz4 wrote no LZ4 frame"

# Where the oracle is there: the same message and exit status as tcpdump.
if [ -x "$TCPDUMP" ]; then
	for args in "-y BOGUS" "-G 1 -w ''" "-w ''"; do
		tag=t$(echo "$args" | tr -c 'a-zA-Z0-9' _)
		eval "run_pair $tag $ZROOT $R $args"
		same_errors "$tag" "[$args]: tcpdump's message and exit status"
	done
fi
finish
