#!/usr/bin/env bash
# Runs the ASan+UBSan build of printdump over every corpus capture with every flag set;
# fails on any sanitizer report or crash. Usage: sanitize.sh PRINTDUMP_ASAN [CORPUS_DIR]
set -u
PRINTDUMP=$1
CORPUS=${2:-${TD_CORPUS:-/work/shared/corpus}}

if [ ! -f "$CORPUS/FLAGS.tsv" ]; then
  echo "SKIP: corpus not found at $CORPUS (set TD_CORPUS)"
  exit 77
fi
PRINTDUMP=$(readlink -f "$PRINTDUMP")
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=23
err=$(mktemp)
trap 'rm -f "$err"' EXIT
runs=0 fails=0
mapfile -t flagsets < <(grep -v '^#' "$CORPUS/FLAGS.tsv" | cut -f2)
cd "$CORPUS" || exit 1
for pcap in *.pcap *.pcapng; do
  [ -f "$pcap" ] || continue
  for flags in "${flagsets[@]}"; do
    runs=$((runs + 1))
    # shellcheck disable=SC2086
    TZ=UTC LC_ALL=C "$PRINTDUMP" $flags -r "$pcap" > /dev/null 2> "$err"
    rc=$?
    if [ $rc -ne 0 ] || grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$err"; then
      fails=$((fails + 1))
      echo "FAIL ($rc): $flags -r $pcap"
      head -20 "$err"
    fi
  done
done
echo "sanitize: $runs runs, $fails with a report"
[ "$fails" -eq 0 ]
