#!/usr/bin/env bash
# Golden printer test: runs every row of a TESTLIST-style table (name, pcap, expected, args)
# through printdump --batch in the corpus directory, comparing with tcpdump's recorded output.
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

results=$(mktemp)
trap 'rm -f "$results"' EXIT
# One process for the whole table: a fresh printer per row, output compared in memory.
"$PRINTDUMP" --batch "$TABLE" > "$results" 2>/dev/null

rows=$(grep -vc '^#' "$TABLE")
total=$(wc -l < "$results")
ok=$(grep -c '^ok ' "$results")
bad=0
while read -r st name; do
  [ "$st" = ok ] && continue
  if [ -n "${must[$name]:-}" ]; then
    bad=$((bad + 1))
    echo "REGRESSION: $name ($st)"
    args=$(awk -F'\t' -v n="$name" '$1 == n { print $4 " -r " $2; exit }' "$TABLE")
    # shellcheck disable=SC2086
    "$PRINTDUMP" $args 2>&1 | diff "$(awk -F'\t' -v n="$name" '$1 == n { print $3; exit }' "$TABLE")" - | head -4
  fi
done < "$results"

echo "golden: $ok/$total rows identical; ${#must[@]} must pass, $bad of them differ"
if [ "$total" -ne "$rows" ]; then
  echo "FAIL: printdump answered $total of $rows rows (crashed?)"
  exit 1
fi
[ "$bad" -eq 0 ]
