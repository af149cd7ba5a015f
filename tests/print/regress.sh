#!/usr/bin/env bash
# Regression captures (tests/print/regress/*.pcap, one per bug the fuzzer, a review or the mutation
# differential found; mutation-*.pcap hold one packet per difference, by link type):
# each runs through the ASan+UBSan printdump with every flag set of FLAGS.tsv and must give
# no sanitizer report; where tcpdump is installed the output must also equal tcpdump's.
# Usage: regress.sh PRINTDUMP_SAN REGRESS_DIR [FLAGS_TSV]
set -u
PRINTDUMP=$(readlink -f "$1")
DIR=$(readlink -f "$2")
FLAGS=${3:-${TD_CORPUS:-/work/shared/corpus}/FLAGS.tsv}
TCPDUMP=${TCPDUMP:-/usr/bin/tcpdump}
. "$(dirname "$0")/compare.sh"

export ASAN_OPTIONS=detect_leaks=1:exitcode=23
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=23
export TZ=UTC LC_ALL=C
if [ -f "$FLAGS" ]; then
  mapfile -t flagsets < <(grep -v '^#' "$FLAGS" | cut -f2)
else
  flagsets=("-nn" "-nn -v" "-nn -vv -e" "-nn -X")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

runs=0 fails=0 compared=0
for pcap in "$DIR"/*.pcap; do
  [ -f "$pcap" ] || continue
  for flags in "${flagsets[@]}"; do
    runs=$((runs + 1))
    # shellcheck disable=SC2086
    "$PRINTDUMP" $flags -r "$pcap" > "$work/got" 2> "$work/err"
    rc=$?
    if [ $rc -ne 0 ] || grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$work/err"; then
      fails=$((fails + 1))
      echo "FAIL ($rc): $flags -r $pcap"
      head -20 "$work/err"
      continue
    fi
    [ -x "$TCPDUMP" ] || continue
    compared=$((compared + 1))
    matches_tcpdump "$flags -r $pcap" "$work/got" "$flags" "$pcap" || fails=$((fails + 1))
  done
done
if [ "$runs" -eq 0 ]; then
  echo "FAIL: no captures in $DIR"
  exit 1
fi
echo "regress: $runs runs, $compared compared with tcpdump, $fails failed"
[ "$fails" -eq 0 ]
