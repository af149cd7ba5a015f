#!/bin/sh
# tests/cli/tdgen_sanity.sh: tdgen's captures are deterministic, well-formed and checksum-clean by tcpdump's and tshark's reading.
. "$(dirname "$0")/lib.sh"
[ -x "$TDGEN" ] || { echo "FAIL tdgen not executable: $TDGEN"; exit 1; }
cd "$TMP" || exit 1

gen -n 5000 --seed 81 --vlan 30 --ipv6 30 --hosts 300 -o a.pcap
gen -n 5000 --seed 81 --vlan 30 --ipv6 30 --hosts 300 -o - >b.pcap
gen -n 5000 --seed 82 --vlan 30 --ipv6 30 --hosts 300 -o c.pcap
if cmp -s a.pcap b.pcap; then pass "same seed, same bytes (file and stdout)"; else fail "same seed gave different files"; fi
if cmp -s a.pcap c.pcap; then fail "different seeds gave the same file"; else pass "different seeds differ"; fi

magic() { od -An -tx1 -N4 "$1" | tr -d ' '; }
[ "$(magic a.pcap)" = d4c3b2a1 ] && pass "microsecond magic" || fail "microsecond magic is $(magic a.pcap)"
gen -n 100 --nano -o n.pcap
[ "$(magic n.pcap)" = 4d3cb2a1 ] && pass "--nano magic" || fail "--nano magic is $(magic n.pcap)"

# -h documents every option the parser takes
"$TDGEN" -h >help.txt || fail "-h failed"
for o in --packets --output --seed --nano --snaplen --hosts --flows --payload --start --rate --ipv6 --vlan --help; do
	grep -q -- "$o" help.txt || fail "-h does not mention $o"
done
pass "-h documents the options"
if "$TDGEN" --payload bogus -o x.pcap 2>/dev/null || "$TDGEN" -n 5 extra 2>/dev/null >/dev/null; then
	fail "bad arguments accepted"
else
	pass "bad arguments refused"
fi

[ -x "$TCPDUMP" ] || skip "tcpdump not found: the structural checks need it"

n=$("$TCPDUMP" -nn -r a.pcap 2>/dev/null | wc -l)
[ "$n" = 5000 ] && pass "-n 5000 gives 5000 packets" || fail "-n 5000 gave $n packets"

# every checksum and length must be right: tcpdump -vv says "incorrect" or "bad" otherwise
"$TCPDUMP" -vv -nn -r a.pcap >vv.txt 2>&1
bad=$(grep -E 'incorrect|bad (cksum|udp|tcp|len)|malformed|invalid|\[\|(ip|ip6|tcp|udp|icmp|icmp6|domain|ntp|arp)\]|\[bad' vv.txt | head -3)
[ -z "$bad" ] && pass "tcpdump -vv finds no bad checksum, length or truncation" || fail "tcpdump -vv: $bad"

# the mix: every protocol of the brief is present
for what in 'Flags \[S\],.*mss.*sackOK.*TS val.*wscale' 'Flags \[S\.\]' 'Flags \[F\.\]' 'Flags \[R' \
	'HTTP: GET' 'HTTP/1.1 200' ' A? ' ' AAAA? ' ' PTR? ' 'NTPv4, Client' 'NTPv4, Server' \
	'ICMP echo request' 'ICMP echo reply' 'ICMP6, echo request' 'udp port [0-9]* unreachable' \
	'ARP, Request' 'ARP, Reply' 'IP6 ' '\.8080: '; do
	grep -q -- "$what" vv.txt || "$TCPDUMP" -nn -r a.pcap 2>/dev/null | grep -q -- "$what" ||
		fail "no packet matches /$what/"
done
vl=$("$TCPDUMP" -nn -r a.pcap vlan 2>/dev/null | wc -l)
[ "$vl" -gt 0 ] && pass "protocol mix present ($vl tagged packets)" || fail "no 802.1Q packets"

# frame sizes stay within Ethernet's 60..1514 (no FCS)
sizes=$("$TCPDUMP" -e -nn -r a.pcap 2>/dev/null | sed -n 's/.*, length \([0-9]*\): .*/\1/p' |
	sort -n | sed -n '1p;$p' | tr '\n' ' ')
set -- $sizes
if [ "${1:-0}" -ge 60 ] && [ "${2:-9999}" -le 1514 ] && [ "${2:-0}" -ge 1500 ]; then
	pass "frame sizes $1..$2"
else
	fail "frame sizes $1..$2, want 60..1514 reaching 1500+"
fi

# --snaplen truncates captures, keeps wire lengths and sets the header's snaplen
gen -n 500 --flows 20 --snaplen 96 -o s.pcap
[ "$(od -An -tu4 -j16 -N4 s.pcap | tr -d ' ')" = 96 ] && pass "--snaplen in the header" || fail "--snaplen header"
long=$("$TCPDUMP" -nn -r s.pcap 'greater 200' 2>/dev/null | wc -l)
if [ "$(wc -c <s.pcap)" -le $((24 + 500 * (16 + 96))) ] && [ "$long" -gt 0 ]; then
	pass "--snaplen truncates captures, keeps wire lengths"
else
	fail "--snaplen: $(wc -c <s.pcap) bytes for 500 packets, $long longer than 200 on the wire"
fi

# --start and --rate: 2000 packets at 200/s start at the given second and span ~10 s
gen -n 2000 --rate 200 --start 1600000000 -o r.pcap
span=$("$TCPDUMP" -tt -nn -r r.pcap 2>/dev/null | awk 'NR == 1 { f = $1 } { l = $1 } END { printf "%d %d", f, l - f }')
set -- $span
if [ "$1" = 1600000000 ] && [ "$2" -ge 9 ] && [ "$2" -le 11 ]; then
	pass "--start/--rate: starts at $1, spans $2 s"
else
	fail "--start/--rate: starts at $1, spans $2 s (want 1600000000, ~10 s)"
fi

if command -v tshark >/dev/null 2>&1; then
	m=$(tshark -r a.pcap -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-Y '_ws.malformed || _ws.expert.severity >= error || tcp.checksum.status == 0 || udp.checksum.status == 0 || icmp.checksum.status == 0 || icmpv6.checksum.status == 0 || ip.checksum.status == 0' \
		2>/dev/null | head -3)
	[ -z "$m" ] && pass "tshark finds nothing malformed" || fail "tshark: $m"
fi
finish
