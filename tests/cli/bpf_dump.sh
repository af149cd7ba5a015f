#!/bin/sh
# tests/cli/bpf_dump.sh: -d/-dd/-ddd (and -O) print tcpdump's exact BPF listing.
. "$(dirname "$0")/lib.sh"
need_tapdump
need_tcpdump

# -r gives the link type the program is compiled for, as it does for tcpdump
gen -n 10 --seed 31 -o "$TMP/eth.pcap"

i=0
while IFS= read -r expr; do
	for mode in -d -dd -ddd "-O -d"; do
		i=$((i + 1))
		# shellcheck disable=SC2086 # mode may be two options
		run_pair "d$i" -r "$TMP/eth.pcap" $mode "$expr"
		same_tree "d$i" "$mode '$expr'"
		same_errors "d$i" "$mode '$expr' (stderr)"
	done
done <<'LIST'

tcp port 80
host 10.0.0.1 and (udp port 53 or icmp)
ip6 and tcp[tcpflags] & tcp-syn != 0
vlan 10 and tcp
net 192.168.0.0/16 and not port 22
tcp[13] & 0x12 = 0x12 or icmp[icmptype] = icmp-echo
ether broadcast or arp
len > 1000 and ip[6:2] & 0x3fff = 0
portrange 8000-8100 or ip6 host 2001:db8::1
ip proto 47 or (ip[8] < 5 and udp)
LIST
finish
