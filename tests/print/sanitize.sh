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
export TZ=UTC LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t flagsets < <(grep -v '^#' "$CORPUS/FLAGS.tsv" | cut -f2)
cd "$CORPUS" || exit 1

# Every capture x every flag set, then cut short, split over two processes (two tables, alternate rows).
# An empty expected column makes printdump print to /dev/null without comparing.
i=0
for pcap in *.pcap *.pcapng; do
  [ -f "$pcap" ] || continue
  for flags in "${flagsets[@]}"; do
    printf '%s %s\t%s\t\t%s\n' "$pcap" "$flags" "$pcap" "$flags" >> "$work/rows.$((i % 2))"
    i=$((i + 1))
  done
  # and every packet cut short at several lengths, inside each header in turn
  for snap in 14 18 24 34 42 54 64 100; do
    for flags in "-nn -vv -e -X" "-nn -v -A -S"; do
      printf '%s %s --snap %s\t%s\t\t%s --snap %s\n' "$pcap" "$flags" "$snap" "$pcap" "$flags" "$snap" >> "$work/rows.$((i % 2))"
      i=$((i + 1))
    done
  done
done
"$PRINTDUMP" --batch "$work/rows.0" > "$work/out.0" 2> "$work/err.0" &
pid=$!
"$PRINTDUMP" --batch "$work/rows.1" > "$work/out.1" 2> "$work/err.1"
rc1=$?
wait "$pid"
rc0=$?

fails=0
for w in 0 1; do
  rc=$rc0
  [ $w -eq 1 ] && rc=$rc1
  rows=$(wc -l < "$work/rows.$w")
  done_rows=$(grep -c '^ok ' "$work/out.$w")
  if [ "$rc" -ne 0 ] || [ "$done_rows" -ne "$rows" ] ||
     grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$work/err.$w"; then
    fails=$((fails + 1))
    echo "FAIL (worker $w, rc $rc, $done_rows/$rows rows): last row finished: $(tail -1 "$work/out.$w")"
    head -30 "$work/err.$w"
  fi
done
echo "sanitize: $i runs in 2 processes, $fails with a report"
[ "$fails" -eq 0 ]
