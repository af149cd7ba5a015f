#!/usr/bin/env bash
# Golden printer test: runs every row of a TESTLIST-style table (name, pcap, expected, args)
# through printdump in the corpus directory and compares stdout with tcpdump's recorded output.
# Usage: golden.sh PRINTDUMP TABLE MUST_PASS [CORPUS_DIR]
# Exit: 0 when every row named in MUST_PASS matches, 1 otherwise, 77 without the corpus.
set -u
PRINTDUMP=$1
TABLE=$2
MUST_PASS=$3
CORPUS=${4:-${TD_CORPUS:-/work/shared/corpus}}

if [ ! -d "$CORPUS/expected" ]; then
  echo "SKIP: corpus not found at $CORPUS (set TD_CORPUS)"
  exit 77
fi
PRINTDUMP=$(readlink -f "$PRINTDUMP")
[ -x "$PRINTDUMP" ] || { echo "FAIL: $PRINTDUMP is not executable"; exit 1; }

TABLE=$(readlink -f "$TABLE")
MUST_PASS=$(readlink -f "$MUST_PASS")
cd "$CORPUS" || exit 1
export TZ=UTC LC_ALL=C

declare -A must
while IFS= read -r line; do
  case $line in ''|'#'*) continue ;; esac
  must[$line]=1
done < "$MUST_PASS"

# Two workers take alternate rows: the runs are short and mostly process start-up.
run_rows() {
  local worker=$1 out i=0 name pcap expected args
  out=$(mktemp)
  while IFS=$'\t' read -r name pcap expected args; do
    case $name in ''|'#'*) continue ;; esac
    i=$((i + 1))
    [ $((i % 2)) -eq "$worker" ] || continue
    # args are tcpdump's flags, split on blanks as the table writes them
    # shellcheck disable=SC2086
    "$PRINTDUMP" $args -r "$pcap" > "$out" 2>/dev/null
    if cmp -s "$out" "$expected"; then
      echo "ok $name"
    else
      echo "diff $name"
      if [ -n "${must[$name]:-}" ]; then
        echo "REGRESSION: $name ($args $pcap)" >&2
        diff "$expected" "$out" | head -4 >&2
      fi
    fi
  done < "$TABLE"
  rm -f "$out"
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT
run_rows 0 > "$results.0" &
run_rows 1 > "$results.1"
wait
cat "$results.0" "$results.1" > "$results"
rm -f "$results.0" "$results.1"
total=$(wc -l < "$results")
ok=$(grep -c '^ok ' "$results")
bad=0
while read -r st name; do
  if [ "$st" = diff ] && [ -n "${must[$name]:-}" ]; then
    bad=$((bad + 1))
  fi
done < "$results"

echo "golden: $ok/$total rows identical; ${#must[@]} must pass, $bad of them differ"
[ "$bad" -eq 0 ]
