#!/bin/sh
# tests/cli/prometheus_file.sh: --prometheus-file is replaced through a fresh, exclusively created temp file, never through a name planted beside it.
. "$(dirname "$0")/lib.sh"
need_tapdump

gen -n 20 --seed 75 -o "$TMP/small.pcap"
cd "$TMP" || exit 1
mkdir m
echo "root's file" >target
# The fixed name the old writer used: a link there made the metrics overwrite the target.
ln -s ../target m/td.prom.tmp
# A link at the name itself is replaced by the rename, never written through.
ln -s ../target m/link.prom

for name in td.prom link.prom; do
	if timeout "$LIMIT" "$TAPDUMP" $ZROOT -r small.pcap -w /dev/null --prometheus-file "m/$name" 2>err; then
		pass "$name: exit 0"
	else
		fail "$name: exit status not 0 [$(grep tapdump: err | head -1)]"
	fi
	[ "$(cat target)" = "root's file" ] && pass "$name: the planted link's target is untouched" ||
		fail "$name: the planted link's target was written: $(head -c 60 target)"
	if [ -f "m/$name" ] && [ ! -L "m/$name" ] &&
		grep -q '^tapdump_received_packets_total{queue="0"} 20$' "m/$name"; then
		pass "$name: a regular file with the metrics"
	else
		fail "$name: no metrics in a regular m/$name"
	fi
	case $(ls -l "m/$name") in
	-rw-r--r--*) pass "$name: mode 0644, readable by the collector" ;;
	*) fail "$name: mode $(ls -l "m/$name" | cut -c1-10)" ;;
	esac
done
# Nothing else left in the folder: the temp files were renamed, none stays behind.
left=$(ls -A m | tr '\n' ' ')
[ "$left" = "link.prom td.prom td.prom.tmp " ] && pass "no temp file left behind" ||
	fail "folder holds [$left]"
finish
