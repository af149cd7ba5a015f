#!/usr/bin/env bash
# Golden printer test: runs every row of a TESTLIST-style table (name, pcap, expected, args)
# through printdump --batch in the corpus directory, comparing with tcpdump's recorded output.
# Usage: golden.sh PRINTDUMP TABLE KNOWN_FAILURES [CORPUS_DIR]
# Exit: 0 when every row matches but the known failures (which must still differ), 1 otherwise,
# 77 without the corpus.
set -u
PRINTDUMP=$1
TABLE=$2
KNOWN=$3
CORPUS=${4:-${TD_CORPUS:-/work/shared/corpus}}

if [ ! -d "$CORPUS/expected" ]; then
  echo "SKIP: corpus not found at $CORPUS (set TD_CORPUS)"
  exit 77
fi
PRINTDUMP=$(readlink -f "$PRINTDUMP")
[ -x "$PRINTDUMP" ] || { echo "FAIL: $PRINTDUMP is not executable"; exit 1; }
TABLE=$(readlink -f "$TABLE")
KNOWN=$(readlink -f "$KNOWN")
cd "$CORPUS" || exit 1
export TZ=UTC LC_ALL=C

declare -A known
nknown=0
while IFS= read -r line; do
  case $line in ''|'#'*) continue ;; esac
  known[$line]=1
  nknown=$((nknown + 1))
done < "$KNOWN"

results=$(mktemp)
trap 'rm -f "$results"' EXIT
# One process for the whole table: a fresh printer per row, output compared in memory.
"$PRINTDUMP" --batch "$TABLE" > "$results" 2>/dev/null

rows=$(grep -vc '^#' "$TABLE")
total=$(wc -l < "$results")
ok=$(grep -c '^ok ' "$results")
bad=0
declare -A seen
while read -r st name; do
  seen[$name]=1
  if [ "$st" = ok ]; then
    if [ -n "${known[$name]:-}" ]; then
      bad=$((bad + 1))
      echo "FIXED: $name matches now: remove it from $(basename "$KNOWN")"
    fi
    continue
  fi
  [ -n "${known[$name]:-}" ] && continue
  bad=$((bad + 1))
  echo "REGRESSION: $name ($st)"
  args=$(awk -F'\t' -v n="$name" '$1 == n { print $4 " -r " $2; exit }' "$TABLE")
  # shellcheck disable=SC2086
  "$PRINTDUMP" $args 2>&1 | diff "$(awk -F'\t' -v n="$name" '$1 == n { print $3; exit }' "$TABLE")" - | head -4
done < "$results"
# A name that is not in the table any more would hide nothing, but the list must stay true.
if [ "$nknown" -gt 0 ]; then
  for name in "${!known[@]}"; do
    if [ -z "${seen[$name]:-}" ]; then
      bad=$((bad + 1))
      echo "STALE: $name is not a row of $(basename "$TABLE"): remove it from $(basename "$KNOWN")"
    fi
  done
fi

echo "golden: $ok/$total rows identical; $nknown known failures; $bad rows wrong"
if [ "$total" -ne "$rows" ]; then
  echo "FAIL: printdump answered $total of $rows rows (crashed?)"
  exit 1
fi
[ "$bad" -eq 0 ]
