#!/bin/sh
# tests/cli/lz4_output.sh: .pcap.lz4 output decompresses to the plain -w bytes and reads back everywhere.
. "$(dirname "$0")/lib.sh"
need_tapdump
command -v lz4 >/dev/null 2>&1 || skip "lz4 command not found"

gen -n 4000 --seed 51 -o "$TMP/text.pcap"
gen -n 3000 --seed 52 --payload random --nano -o "$TMP/rand.pcap"
cd "$TMP" || exit 1

td() {
	timeout "$LIMIT" "$TAPDUMP" $ZROOT "$@" 2>>"$TMP/stderr"
}

for in in text rand; do
	for args in "" "tcp port 80" "-s 128"; do
		rm -f plain.pcap out.pcap.lz4 back.pcap
		what="$in [$args]"
		# shellcheck disable=SC2086 # the filter words are separate arguments
		td -r "$in.pcap" -w plain.pcap $args || { fail "$what: plain -w failed"; continue; }
		# shellcheck disable=SC2086
		td -r "$in.pcap" -w out.pcap.lz4 $args || { fail "$what: -w .pcap.lz4 failed"; continue; }
		if [ "$(od -An -tx1 -N4 out.pcap.lz4 | tr -d ' ')" = 04224d18 ]; then
			pass "$what: .pcap.lz4 starts with an LZ4 frame"
		else
			fail "$what: .pcap.lz4 has no LZ4 frame magic"
		fi
		if lz4 -dc out.pcap.lz4 2>/dev/null | cmp -s - plain.pcap; then
			pass "$what: lz4 -dc equals the plain output"
		else
			fail "$what: lz4 -dc differs from the plain output"
		fi
		if td -r out.pcap.lz4 -w back.pcap && cmp -s back.pcap plain.pcap; then
			pass "$what: -r .pcap.lz4 -w gives the plain output back"
		else
			fail "$what: -r .pcap.lz4 -w does not give the plain output back"
		fi
		# tshark 4.0 reads only the first frame of a file: one frame per file
		if [ -z "$args" ] && command -v tshark >/dev/null 2>&1; then
			a=$(tshark -r plain.pcap -T fields -e frame.len 2>/dev/null | md5sum)
			b=$(tshark -r out.pcap.lz4 -T fields -e frame.len 2>/dev/null | md5sum)
			if [ "$a" = "$b" ]; then
				pass "$what: tshark reads every packet of the .pcap.lz4"
			else
				fail "$what: tshark reads the .pcap.lz4 differently"
			fi
		fi
	done
done

# the explicit option and the acceleration knob keep the bytes (an LZ4 frame needs an .lz4 name)
rm -f plain.pcap out.lz4
td -r text.pcap -w plain.pcap
td -r text.pcap -w out.lz4 --compress lz4 --lz4-accel 8
if lz4 -dc out.lz4 2>/dev/null | cmp -s - plain.pcap; then
	pass "--compress lz4 --lz4-accel 8"
else
	fail "--compress lz4 --lz4-accel 8"
fi

# stdin: a compressed capture read from a pipe is detected by its magic
rm -f back.pcap
td -r text.pcap -w out.pcap.lz4
td -r - -w back.pcap <out.pcap.lz4
if cmp -s back.pcap plain.pcap; then
	pass "-r - reads LZ4 from stdin"
else
	fail "-r - does not read LZ4 from stdin"
fi

# tcpdump -w - | lz4 -1 is the pipeline this replaces: its file must read too
if [ -x "$TCPDUMP" ]; then
	"$TCPDUMP" $ZROOT -r text.pcap -w - 2>/dev/null | lz4 -1 -q >ref.lz4
	rm -f back.pcap
	td -r ref.lz4 -w back.pcap
	if cmp -s back.pcap plain.pcap; then
		pass "-r reads the lz4 tool's output"
	else
		fail "-r does not read the lz4 tool's output"
	fi
fi
finish
