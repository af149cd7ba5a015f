#!/usr/bin/env bash
# Golden test on generated traffic: tdgen writes captures (several seeds, VLAN and IPv6 mixes,
# a many-connections pool, nanosecond and truncated files) and tapdump must print exactly what
# the installed tcpdump prints for every flag set of the corpus's FLAGS.tsv.
# Usage: generated.sh TDGEN TAPDUMP [FLAGS_TSV]
# Exit: 0 identical, 1 a difference, 77 without tcpdump or the flag table.
set -u
TDGEN=$(readlink -f "$1")
TAPDUMP=$(readlink -f "$2")
FLAGS=${3:-${TD_CORPUS:-/work/shared/corpus}/FLAGS.tsv}
TCPDUMP=${TCPDUMP:-/usr/bin/tcpdump}
. "$(dirname "$0")/compare.sh"

if [ ! -x "$TCPDUMP" ]; then
  echo "SKIP: no tcpdump at $TCPDUMP"
  exit 77
fi
if [ ! -f "$FLAGS" ]; then
  echo "SKIP: no flag table at $FLAGS (set TD_CORPUS)"
  exit 77
fi
export TZ=UTC LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# name, then tdgen's arguments
captures=(
  "seed1      --seed 1 -n 3000"
  "seed2-mix  --seed 2 -n 3000 --vlan 50 --ipv6 50"
  "seed3-v4   --seed 3 -n 2000 --vlan 0 --ipv6 0 --payload random"
  "seed4-v6   --seed 4 -n 2000 --vlan 100 --ipv6 100"
  "many-conns --seed 5 -n 8000 --hosts 60000 --flows 8000"
  "nano-snap  --seed 6 -n 2000 --nano --snaplen 96"
  "snap54     --seed 7 -n 1500 --snaplen 54 --vlan 30 --ipv6 40"
)
mapfile -t flagsets < <(grep -v '^#' "$FLAGS" | cut -f2)

runs=0 diffs=0
for c in "${captures[@]}"; do
  read -r name args <<< "$c"
  # shellcheck disable=SC2086
  "$TDGEN" $args -o "$work/$name.pcap" || { echo "FAIL: tdgen $args"; exit 1; }
  for flags in "${flagsets[@]}"; do
    runs=$((runs + 1))
    # shellcheck disable=SC2086
    "$TAPDUMP" $flags -r "$work/$name.pcap" > "$work/got" 2>/dev/null
    matches_tcpdump "tdgen $args | $flags" "$work/got" "$flags" "$work/$name.pcap" || diffs=$((diffs + 1))
  done
done
echo "generated: $runs runs (${#captures[@]} captures x ${#flagsets[@]} flag sets), $diffs differ"
[ "$diffs" -eq 0 ]
