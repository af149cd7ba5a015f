#!/usr/bin/env bash
# Mutation differential: tapdump against the installed tcpdump on captures neither has seen, made by
# mutate.py from the corpus's tap-protocols batch (every packet, VARIANTS copies with 1-2 bytes
# changed past offset 42), printed with several flag sets.
# Usage: mutate_diff.sh BUILD_DIR [SEEDS] [VARIANTS]
#   SEEDS     comma-separated mutate.py seeds (default 7); VARIANTS copies per packet (default 20)
# Environment:
#   MUTATE_MIN    fail (exit 1) when the identical share, in percent, is below this (default: never)
#   MUTATE_FLAGS  flag sets separated by '|' (default "-nn|-nn -v|-nn -vv|-nn -e|-nn -x")
#   MUTATE_BYTES  at most this many bytes changed per copy (mutate.py --bytes, default 2)
#   MUTATE_MODE   mutate.py --mode (random, edge, flip; default random)
#   MUTATE_ALL=1  every capture of the corpus, not only the tap-protocols batch
#   MUTATE_GLOB   only captures whose name matches this glob
#   MUTATE_KEEP   a folder that keeps the mutated captures and the diff of every run that differs
#   MUTATE_JOBS   captures printed at once (default 2)
#   MUTATE_WORST  how many of the worst files to list (default 10)
#   TD_CORPUS     the corpus (default: ../shared/corpus beside the source tree, else /work/shared/corpus)
# Prints the files with the most differing lines, the figures per flag set, then
# `mutate: M/N lines identical (P%)` (M: lines diff leaves unchanged, N: the longer side's line
# count, summed over every run).
# Exit: 0 at or above MUTATE_MIN, 1 below it or on a crash, 77 without tcpdump or the corpus.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:?usage: mutate_diff.sh BUILD_DIR [SEEDS] [VARIANTS]}
SEEDS=${2:-7}
VARIANTS=${3:-20}
TAPDUMP=$(readlink -f "$BUILD/tapdump")
TCPDUMP=${TCPDUMP:-/usr/bin/tcpdump}
CORPUS=${TD_CORPUS:-$here/../../../shared/corpus}
[ -d "$CORPUS" ] || CORPUS=/work/shared/corpus

if [ ! -x "$TCPDUMP" ]; then
  echo "SKIP: no tcpdump at $TCPDUMP"
  exit 77
fi
if [ ! -f "$CORPUS/MANIFEST.tsv" ]; then
  echo "SKIP: corpus not found at $CORPUS (set TD_CORPUS)"
  exit 77
fi
if [ ! -x "$TAPDUMP" ]; then
  echo "FAIL: no tapdump in $BUILD"
  exit 1
fi
command -v python3 > /dev/null || { echo "SKIP: no python3 for mutate.py"; exit 77; }
export TZ=UTC LC_ALL=C TAPDUMP TCPDUMP VARIANTS
export MUTATE_PY=$here/mutate.py MUTATE_BYTES=${MUTATE_BYTES:-2} MUTATE_MODE=${MUTATE_MODE:-random}
export MUTATE_FLAGS=${MUTATE_FLAGS:--nn|-nn -v|-nn -vv|-nn -e|-nn -x}
export MUTATE_KEEP=${MUTATE_KEEP:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export work
[ -n "$MUTATE_KEEP" ] && mkdir -p "$MUTATE_KEEP"

# The captures: column 1 of the manifest, the tap-protocols rows unless MUTATE_ALL.
if [ "${MUTATE_ALL:-0}" = 1 ]; then
  mapfile -t files < <(awk -F'\t' 'NR > 1 { print $1 }' "$CORPUS/MANIFEST.tsv")
else
  mapfile -t files < <(awk -F'\t' 'NR > 1 && $NF ~ /tap-protocols/ { print $1 }' "$CORPUS/MANIFEST.tsv")
fi

# The mutated captures, one mutate.py process per seed: $work/SEED/NAME.
sel=()
for f in "${files[@]}"; do
  # shellcheck disable=SC2053 # a glob on purpose
  [ -n "${MUTATE_GLOB:-}" ] && [[ $f != $MUTATE_GLOB ]] && continue
  [ -f "$CORPUS/$f" ] && sel+=("$CORPUS/$f")
done
[ ${#sel[@]} -gt 0 ] || { echo "SKIP: no capture of the corpus selected"; exit 77; }
IFS=',' read -ra seeds <<< "$SEEDS"
for s in "${seeds[@]}"; do
  mkdir -p "$work/$s"
  python3 "$MUTATE_PY" --bytes "$MUTATE_BYTES" --mode "$MUTATE_MODE" --outdir "$work/$s" "$s" "$VARIANTS" \
    "${sel[@]}" 2> /dev/null
done

# one_run MUTATED: print it with both programs under every flag set; one line per flag set on
# stdout: "NAME SEED FLAGS<TAB>SAME<TAB>TOTAL<TAB>STATUS".
one_run() {
  local mut=$1 base seed flags same total a b st status
  base=$(basename "$mut")
  seed=$(basename "$(dirname "$mut")")
  IFS='|' read -ra sets <<< "$MUTATE_FLAGS"
  for flags in "${sets[@]}"; do
    # shellcheck disable=SC2086
    "$TCPDUMP" $flags -r "$mut" > "$mut.want" 2> /dev/null
    # shellcheck disable=SC2086
    timeout 20 "$TAPDUMP" $flags -r "$mut" > "$mut.got" 2> /dev/null
    st=$?
    # the common case, identical, costs one process
    if cmp -s "$mut.want" "$mut.got"; then
      same=$(wc -l < "$mut.want")
      total=$same
    else
      read -r a b _ < <(wc -l "$mut.want" "$mut.got" | awk '{ printf "%s ", $1 }')
      total=$((a > b ? a : b))
      same=$(diff --old-line-format= --new-line-format= --unchanged-line-format=. "$mut.want" "$mut.got" | wc -c)
    fi
    status=ok
    [ "$st" -ge 124 ] && status="CRASH($st)"
    [ "$same" -lt "$total" ] && [ "$status" = ok ] && status=DIFF
    if [ -n "$MUTATE_KEEP" ] && [ "$status" != ok ]; then
      cp "$mut" "$MUTATE_KEEP/$seed.$base"
      {
        echo "### $TCPDUMP $flags -r $seed.$base"
        diff "$mut.want" "$mut.got"
      } >> "$MUTATE_KEEP/$seed.$base.diff"
    fi
    printf '%s %s %s\t%s\t%s\t%s\n' "$base" "$seed" "$flags" "$same" "$total" "$status"
  done
  rm -f "$mut" "$mut.want" "$mut.got"
}
export -f one_run

# listed before the runs start: they write their outputs beside the captures
mapfile -t muts < <(find "$work" -mindepth 2 -type f | sort)
# shellcheck disable=SC2016 # $1 is the inner shell's
printf '%s\0' "${muts[@]}" | xargs -0 -n 1 -P "${MUTATE_JOBS:-2}" bash -c 'one_run "$1"' _ > "$work/results"

awk -F'\t' -v worst="${MUTATE_WORST:-10}" -v min="${MUTATE_MIN:-0}" '
  { same += $2; total += $3; split($1, w, " "); fs[w[1]] += $2; ft[w[1]] += $3
    fl = $1; sub(/^[^ ]+ [^ ]+ /, "", fl); if (!(fl in gt)) order[++nf] = fl; gs[fl] += $2; gt[fl] += $3
    if ($4 ~ /CRASH/) { crash++; print "CRASH: " $1 }
    if ($2 < $3) runs_diff++ }
  END {
    n = 0
    for (f in ft) if (fs[f] < ft[f]) { d[++n] = f }
    # worst first: most differing lines
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
      if (ft[d[j]] - fs[d[j]] > ft[d[i]] - fs[d[i]]) { t = d[i]; d[i] = d[j]; d[j] = t }
    for (i = 1; i <= n && i <= worst; i++)
      printf "  %-40s %d/%d lines identical\n", d[i], fs[d[i]], ft[d[i]]
    for (i = 1; i <= nf; i++)
      printf "  flags %-12s %d/%d lines identical (%.2f%%)\n", order[i], gs[order[i]], gt[order[i]],
        gt[order[i]] ? 100 * gs[order[i]] / gt[order[i]] : 100
    p = total ? 100 * same / total : 100
    printf "mutate: %d/%d lines identical (%.2f%%), %d of %d runs differ\n", same, total, p, runs_diff, NR
    if (crash) exit 1
    if (p < min) { printf "FAIL: below the %s%% floor\n", min; exit 1 }
  }' "$work/results"
