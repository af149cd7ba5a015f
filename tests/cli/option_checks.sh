#!/bin/sh
# tests/cli/option_checks.sh: -y, -w and --compress values that cannot work stop the run with one line, before any file is made.
. "$(dirname "$0")/lib.sh"
need_tapdump

gen -n 20 --seed 73 -o "$TMP/small.pcap"
cd "$TMP" || exit 1
R="-r $TMP/small.pcap"
NG="--format pcapng writes pcapng; name the file .pcapng or .pcapng.lz4"
PC="--format pcap writes pcap; name the file .pcap or .pcap.lz4"
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
	# a --format the -w name contradicts
	expect_error "--format pcapng -w x.pcap" "PROG: x.pcap: $NG" $R --format pcapng -w x.pcap
	expect_error "--format pcapng -w X.PCAP.LZ4" "PROG: X.PCAP.LZ4: $NG" $R --format pcapng -w X.PCAP.LZ4
	expect_error "--format pcap -w x.pcapng" "PROG: x.pcapng: $PC" $R --format pcap -w x.pcapng
	expect_error "--format pcap -w cap-%s.pcapng.lz4 -G 1" "PROG: cap-%s.pcapng.lz4: $PC" $R --format pcap \
		-w cap-%s.pcapng.lz4 -G 1
	expect_error "--format pcapng2" "PROG: unknown output format 'pcapng2' (pcap or pcapng)" $R --format pcapng2 \
		-w x.pcapng
	# an LZ4 frame under a plain capture name
	expect_error "--compress lz4 -w x.pcap" "PROG: x.pcap: $LZ" $R -w x.pcap --compress lz4
	expect_error "--compress lz4 -w x.bin" "PROG: x.bin: $LZ" $R --compress lz4 -w x.bin
}
printf '# site settings\ncompress lz4\n' >lz4.conf
# shellcheck disable=SC2086
expect_error "config 'compress lz4', -w x.pcap" "PROG: x.pcap: $LZ" $R --config "$TMP/lz4.conf" -w x.pcap

# What stays allowed: named .lz4, standard output, /dev/null, pcapng by name or by --format.
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
	ok_run "-w X.PCAPNG" $R -w X.PCAPNG
	ok_run "--format pcapng -w x.bin" $R --format pcapng -w x.bin
	ok_run "--format pcap -w y.bin" $R --format pcap -w y.bin
}
# a pcapng file starts with the Section Header Block's type (the same in either byte order)
for f in X.PCAPNG x.bin; do
	[ "$(od -An -tx1 -N4 $f | tr -d ' ')" = 0a0d0d0a ] && pass "$f is pcapng" || fail "$f is not pcapng"
done
[ "$(od -An -tx1 -N4 y.bin | tr -d ' ')" = d4c3b2a1 ] && pass "--format pcap -w y.bin is pcap" || fail "y.bin is not pcap"
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
