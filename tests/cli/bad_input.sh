#!/bin/sh
# tests/cli/bad_input.sh: damaged inputs and bad option values fail like tcpdump, leaving no partial output.
. "$(dirname "$0")/lib.sh"
need_tapdump
need_tcpdump

gen -n 300 --seed 61 -o "$TMP/good.pcap"
cd "$TMP" || exit 1

# damaged files, each built from the good one
head -c 10 good.pcap >short-header.pcap
head -c 5000 good.pcap >short-record.pcap
: >empty.pcap
printf 'this is not a capture file at all\n' >bad-magic.pcap
# an LZ4 frame header followed by bytes that are no LZ4 block
printf '\004\042\115\030\144\100\247\377\377\377\177garbage-garbage-garbage' >garbage.pcap.lz4
# a record whose caplen (4000000) exceeds any snaplen, after one good record
{
	head -c 24 good.pcap
	printf '\000\361\123\145\000\000\000\000\000\011\075\000\000\011\075\000'
	head -c 200 /dev/zero
} >huge-caplen.pcap

# Whole-file errors: the file never opens, so nothing may be created.
# (the run folders are named r-FILE: a folder named FILE would replace the input)
for f in short-header.pcap empty.pcap bad-magic.pcap nosuch.pcap; do
	run_pair "r-$f" $ZROOT -r "$TMP/$f" -w out.pcap
	same_errors "r-$f" "$f: message and exit status"
	same_tree "r-$f" "$f: no output file"
done

# Mid-file errors: tcpdump keeps the packets before the damage and exits 1.
# tapdump must fail alike, and whatever it leaves must be exactly that prefix.
for f in short-record.pcap huge-caplen.pcap; do
	run_pair "r-$f" $ZROOT -r "$TMP/$f" -w out.pcap
	same_errors "r-$f" "$f: message and exit status"
	if [ ! -e "$TMP/r-$f/our/out.pcap" ] ||
		cmp -s "$TMP/r-$f/our/out.pcap" "$TMP/r-$f/ref/out.pcap"; then
		pass "$f: no output beyond the good packets"
	else
		fail "$f: output is not tcpdump's good prefix"
	fi
done

# tcpdump cannot read LZ4 at all; tapdump must refuse a broken frame cleanly.
mkdir lz4run
(cd lz4run && timeout "$LIMIT" "$TAPDUMP" $ZROOT -r ../garbage.pcap.lz4 -w out.pcap \
	>../lz4.out 2>../lz4.err; echo $? >../lz4.rc)
if [ "$(cat lz4.rc)" = 0 ] || [ "$(cat lz4.rc)" -ge 124 ]; then
	fail "garbage LZ4: exit $(cat lz4.rc), want an error"
elif ! normalize_err lz4.err | grep -q '^PROG: '; then
	fail "garbage LZ4: no message on stderr"
elif [ -e lz4run/out.pcap ] && [ "$(wc -c <lz4run/out.pcap)" -gt 24 ]; then
	fail "garbage LZ4: left packets behind"
else
	pass "garbage LZ4: clean error ($(normalize_err lz4.err | grep '^PROG: ' | head -1))"
fi

# Bad option values: the message, exit 1, and no file.
i=0
while IFS= read -r opts; do
	i=$((i + 1))
	# shellcheck disable=SC2086 # the options are separate words
	run_pair "o$i" $ZROOT -r "$TMP/good.pcap" -w out.pcap $opts
	same_errors "o$i" "[$opts]: message and exit status"
	same_tree "o$i" "[$opts]: no output file"
done <<'LIST'
-C 0
-C -1
-C abc
-G -1
-W 0
-W -2
-W x
-c 0
-c x
-s -1
-s x
LIST

# Unknown options: tcpdump prints getopt's line then its usage; compare the first line.
for opt in -k --bogus; do
	run_pair "u$opt" $ZROOT -r "$TMP/good.pcap" -w out.pcap "$opt"
	r=$(normalize_err "$TMP/u$opt/ref.err" | head -1)
	o=$(normalize_err "$TMP/u$opt/our.err" | head -1)
	if [ "$(cat "$TMP/u$opt/our.rc")" != "$(cat "$TMP/u$opt/ref.rc")" ]; then
		fail "$opt: exit $(cat "$TMP/u$opt/our.rc"), tcpdump exit $(cat "$TMP/u$opt/ref.rc")"
	elif [ "$r" != "$o" ]; then
		fail "$opt: [$o] vs tcpdump [$r]"
	else
		pass "$opt: $o"
	fi
	same_tree "u$opt" "$opt: no output file"
done
finish
