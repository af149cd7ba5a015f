#!/usr/bin/env bash
# Names without -n: tapdump must print the host names (reverse lookup), service names
# (/etc/services) and Ethernet OUI labels that the installed tcpdump prints, on a capture of
# loopback (127.0.0.1, ::1) and well-known ports (http, domain, ntp, ssh, https), so no
# network is needed. Both read the same /etc/hosts, so the test is deterministic.
# Usage: names.sh TAPDUMP PCAP
# Exit: 0 identical, 1 a difference, 77 without tcpdump.
set -u
TAPDUMP=$(readlink -f "$1")
PCAP=$(readlink -f "$2")
TCPDUMP=${TCPDUMP:-/usr/bin/tcpdump}
. "$(dirname "$0")/compare.sh"

if [ ! -x "$TCPDUMP" ]; then
  echo "SKIP: no tcpdump at $TCPDUMP"
  exit 77
fi
export TZ=UTC LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

runs=0 diffs=0
for flags in "" "-N" "-e" "-v" "-vv -e -N" "-q" "-X" "-n" "-nn -e" "-n -N"; do
  runs=$((runs + 1))
  # shellcheck disable=SC2086
  "$TAPDUMP" $flags -r "$PCAP" > "$work/got" 2>/dev/null
  matches_tcpdump "[$flags]" "$work/got" "$flags" "$PCAP" || diffs=$((diffs + 1))
done
# the numeric runs must really be numeric, and the named ones named
grep -q 'localhost\.http' <("$TAPDUMP" -r "$PCAP" 2>/dev/null) || { echo "FAIL: no names without -n"; diffs=$((diffs + 1)); }
grep -q 'localhost' <("$TAPDUMP" -n -r "$PCAP" 2>/dev/null) && { echo "FAIL: a name with -n"; diffs=$((diffs + 1)); }
echo "names: $runs flag sets, $diffs differ"
[ "$diffs" -eq 0 ]
