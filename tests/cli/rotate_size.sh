#!/bin/sh
# tests/cli/rotate_size.sh: -C/-W size rotation makes tcpdump's file names with tcpdump's bytes.
. "$(dirname "$0")/lib.sh"
need_tapdump
need_tcpdump

# ~5.6 MB: -C 1 wraps a 3-file ring at least once
gen -n 6000 --seed 21 -o "$TMP/in.pcap"
gen -n 6000 --seed 22 --nano --payload random -o "$TMP/nano.pcap"

run_pair ring $ZROOT -r "$TMP/in.pcap" -w out.pcap -C 1 -W 3
same_tree ring "-C 1 -W 3 (ring of 3, wrapped)"

run_pair open $ZROOT -r "$TMP/in.pcap" -w out.pcap -C 1
same_tree open "-C 1 without -W (out.pcap, out.pcap1, ...)"

run_pair wide $ZROOT -r "$TMP/in.pcap" -w out.pcap -C 1 -W 12
same_tree wide "-C 1 -W 12 (two-digit names)"

run_pair filt $ZROOT -r "$TMP/in.pcap" -w out.pcap -C 1 -W 3 'tcp and not port 443'
same_tree filt "-C 1 -W 3 with a filter"

run_pair cnt $ZROOT -r "$TMP/in.pcap" -w out.pcap -C 2 -c 3000
same_tree cnt "-C 2 -c 3000"

run_pair nano $ZROOT --nano -r "$TMP/nano.pcap" -w out.pcap -C 1 -W 4 -s 800
same_tree nano "--nano -s 800 -C 1 -W 4"

# a tcpdump quirk kept for scripts: without -W the name has no suffix until the first rotation
if [ -f "$TMP/open/our/out.pcap" ] && [ -f "$TMP/open/our/out.pcap1" ]; then
	pass "-C without -W names the first file plainly"
else
	fail "-C without -W: expected out.pcap and out.pcap1, got: $(ls "$TMP/open/our" | tr '\n' ' ')"
fi
finish
