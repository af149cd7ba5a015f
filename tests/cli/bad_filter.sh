#!/bin/sh
# tests/cli/bad_filter.sh: a filter that does not compile gives tcpdump's message, exit 1 and no output file.
. "$(dirname "$0")/lib.sh"
need_tapdump
need_tcpdump

gen -n 50 --seed 41 -o "$TMP/in.pcap"

i=0
while IFS= read -r expr; do
	i=$((i + 1))
	run_pair "f$i" $ZROOT -r "$TMP/in.pcap" -w out.pcap "$expr"
	same_errors "f$i" "'$expr'"
	if [ "$(cat "$TMP/f$i/our.rc")" != 1 ]; then
		fail "'$expr': exit $(cat "$TMP/f$i/our.rc"), want 1"
	fi
	if [ -n "$(ls -A "$TMP/f$i/our")" ]; then
		fail "'$expr': left $(ls -A "$TMP/f$i/our" | tr '\n' ' ')behind"
	else
		pass "'$expr': no output file"
	fi
done <<'LIST'
tcp port
foo bar
ip and and tcp
tcp[
port 99999
ether host 1:2:3
net 10.0.0.1/8
vlan 5000
ip proto nosuchproto
ip6 and arp[0] = 1
portrange 10-
tcp[tcpflags] & tcp-bogus != 0
LIST

# the same errors through -F and with -d
printf 'tcp port\n' >"$TMP/expr"
run_pair ff $ZROOT -r "$TMP/in.pcap" -w out.pcap -F "$TMP/expr"
same_errors ff "-F FILE with a bad expression"
run_pair fd -r "$TMP/in.pcap" -d 'ip and and tcp'
same_errors fd "-d with a bad expression"
finish
