#!/bin/sh
# tests/cli/write_corpus.sh: -w output equals tcpdump's for every capture in the shared corpus.
. "$(dirname "$0")/lib.sh"
need_tapdump
need_tcpdump

# The corpus sits beside the checkout in the shared tree; CORPUS overrides.
here=$(cd "$(dirname "$0")" && pwd)
CORPUS=${CORPUS:-$here/../../../shared/corpus}
[ -d "$CORPUS" ] || CORPUS=/work/shared/corpus
[ -d "$CORPUS" ] || skip "no capture corpus (set CORPUS=DIR)"

n=0
for f in "$CORPUS"/*.pcap "$CORPUS"/*.pcapng; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	b=$(basename "$f")
	run_pair "c$n" $ZROOT -r "$f" -w out.pcap
	same_tree "c$n" "$b"
	# errors on damaged files must read the same too
	if [ "$(cat "$TMP/c$n/ref.rc")" != 0 ]; then
		same_errors "c$n" "$b (error text)"
	fi
done
[ "$n" -gt 0 ] || skip "corpus $CORPUS holds no captures"
finish
