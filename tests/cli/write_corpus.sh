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

# One loop per program, both at once: 85 files, so per-run overhead counts.
run_all() { # PROG SIDE
	_n=0
	for _f in "$CORPUS"/*.pcap "$CORPUS"/*.pcapng; do
		[ -f "$_f" ] || continue
		_n=$((_n + 1))
		mkdir -p "$TMP/c$_n/$2"
		(cd "$TMP/c$_n/$2" && timeout "$LIMIT" "$1" $ZROOT -r "$_f" -w out.pcap \
			</dev/null >../$2.out 2>../$2.err
		 echo $? >../$2.rc)
	done
}
run_all "$TCPDUMP" ref &
run_all "$TAPDUMP" our
wait

n=0
for f in "$CORPUS"/*.pcap "$CORPUS"/*.pcapng; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	b=$(basename "$f")
	same_tree "c$n" "$b"
	# errors on damaged files must read the same too
	read -r rc <"$TMP/c$n/ref.rc"
	if [ "$rc" != 0 ]; then
		same_errors "c$n" "$b (error text)"
	fi
done
[ "$n" -gt 0 ] || skip "corpus $CORPUS holds no captures"
finish
