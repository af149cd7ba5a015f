# compare.sh: sourced by the print tests that hold tapdump's lines against the installed tcpdump's.
# The caller sets TCPDUMP.

# matches_tcpdump LABEL GOT FLAGS PCAP: `tcpdump FLAGS -r PCAP` must print exactly what the file GOT
# holds (tapdump's lines). On a difference: "DIFF: LABEL", the first lines of the diff, status 1.
matches_tcpdump() {
  local label=$1 got=$2 flags=$3 pcap=$4
  # shellcheck disable=SC2086
  "$TCPDUMP" $flags -r "$pcap" > "$got.want" 2>/dev/null
  cmp -s "$got.want" "$got" && return 0
  echo "DIFF: $label"
  diff "$got.want" "$got" | head -6
  return 1
}
