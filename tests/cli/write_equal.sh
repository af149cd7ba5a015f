#!/bin/sh
# tests/cli/write_equal.sh: -r FILE -w FILE writes exactly tcpdump's bytes (precision, filters, -s, -c, stdin/stdout).
. "$(dirname "$0")/lib.sh"
need_tapdump
need_tcpdump

gen -n 1500 --seed 11 -o "$TMP/micro.pcap"
gen -n 1500 --seed 12 --nano -o "$TMP/nano.pcap"
gen -n 1500 --seed 13 --vlan 40 --ipv6 40 --hosts 50 -o "$TMP/vlan6.pcap"
gen -n 1000 --seed 14 --snaplen 200 -o "$TMP/snap200.pcap"

# every option set on the plain file; the precision and snaplen sets on the
# others, where they matter (nano input, tags, short captures)
all_sets='
--nano
--micro
--time-stamp-precision=nano
-s 96
-s 0
-c 100
-s 96 -c 500 tcp
tcp port 80
udp port 53 or icmp or icmp6
ip6
vlan and tcp
tcp[tcpflags] & tcp-syn != 0
arp or (ip and len > 1000)
not tcp and not udp
ip[8] = 128 and tcp[13] & 0x11 = 0x11'
some_sets='
--nano
--micro
-s 96
-c 100
vlan and tcp
ip6 and tcp[tcpflags] & tcp-syn != 0'

i=0
check_sets() {
	_in=$1
	_sets=$2
	_old_ifs=$IFS
	IFS='
'
	for args in "" $_sets; do
		IFS=$_old_ifs
		i=$((i + 1))
		# shellcheck disable=SC2086 # the filter words are separate arguments
		run_pair "w$i" $ZROOT -r "$TMP/$_in.pcap" -w out.pcap $args
		same_tree "w$i" "$_in.pcap -w [$args]"
		IFS='
'
	done
	IFS=$_old_ifs
}
check_sets micro "$all_sets"
check_sets nano "$some_sets"
check_sets vlan6 "$some_sets"
check_sets snap200 "$some_sets"

# stdin in, stdout out
PAIR_STDIN=$TMP/micro.pcap run_pair stdin $ZROOT -r - -w - 'tcp or arp'
same_tree stdin "-r - -w - 'tcp or arp'"
PAIR_STDIN=$TMP/nano.pcap run_pair stdin_nano $ZROOT --nano -r - -w out.pcap
same_tree stdin_nano "--nano -r - (nano input) -w out.pcap"

# -F: the expression from a file
echo 'udp and port 53' >"$TMP/expr"
run_pair ffile $ZROOT -r "$TMP/micro.pcap" -w out.pcap -F "$TMP/expr"
same_tree ffile "-F FILE"

finish
