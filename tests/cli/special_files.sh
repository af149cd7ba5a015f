#!/bin/sh
# tests/cli/special_files.sh: -F, -V and --config refuse directories, empty lists and endless or huge files with one line, as tcpdump does where it has a message.
. "$(dirname "$0")/lib.sh"
need_tapdump

gen -n 20 --seed 71 -o "$TMP/small.pcap"
cd "$TMP" || exit 1
mkdir dir
: >empty
printf '\n  \n\n' >blank
# 2 MiB of blanks: a filter, list or config of nothing, but more than any of them needs
head -c 2097152 /dev/zero | tr '\0' ' ' >huge
R="-r $TMP/small.pcap -w out.pcap"
# every refusal is immediate; a -V that is not refused becomes a live capture, stopped here
LIMIT=5

# shellcheck disable=SC2086 # $R is separate words
{
	expect_error "-F DIR" "PROG: read $TMP/dir: Is a directory" $R -F "$TMP/dir"
	expect_error "--config DIR" "PROG: read $TMP/dir: Is a directory" $R --config "$TMP/dir"
	# tcpdump's fgets sees nothing in a directory
	expect_error "-V DIR" "PROG: Nothing in $TMP/dir" -V "$TMP/dir" -w out.pcap
	# tcpdump stops here; going on would be a live capture of the default interface
	expect_error "-V empty" "PROG: Nothing in $TMP/empty" -V "$TMP/empty" -w out.pcap
	expect_error "-V blank lines" "PROG: Nothing in $TMP/blank" -V "$TMP/blank" -w out.pcap
	expect_error "-V /dev/null" "PROG: Nothing in /dev/null" -V /dev/null -w out.pcap
	expect_error "-F huge" "PROG: $TMP/huge: too long (more than 1048576 bytes)" $R -F "$TMP/huge"
	expect_error "--config huge" "PROG: $TMP/huge: too long (more than 1048576 bytes)" $R --config "$TMP/huge"
	expect_error "-V huge" "PROG: $TMP/huge: too long (more than 1048576 bytes)" -V "$TMP/huge" -w out.pcap
	expect_error "-F missing" "PROG: can't open $TMP/nosuch: No such file or directory" $R -F "$TMP/nosuch"
}

# Endless files, only once the bound is there: without it they would eat gigabytes until the time limit.
if [ "$FAILS" = 0 ]; then
	# shellcheck disable=SC2086
	{
		expect_error "-F /dev/zero" "PROG: /dev/zero: too long (more than 1048576 bytes)" $R -F /dev/zero
		expect_error "--config /dev/zero" "PROG: /dev/zero: too long (more than 1048576 bytes)" $R --config /dev/zero
		expect_error "-V /dev/zero" "PROG: /dev/zero: too long (more than 1048576 bytes)" -V /dev/zero -w out.pcap
	}
fi

LIMIT=20
# A -F file's # comments run to the end of the line (tcpdump 4.99's read_infile).
printf 'tcp # only tcp\n  and not port 80 # and no web\n' >commented
"$TDGEN" -n 400 --seed 72 -o many.pcap
rm -f a.pcap b.pcap
if timeout "$LIMIT" "$TAPDUMP" -r many.pcap -w a.pcap -F commented 2>err &&
	timeout "$LIMIT" "$TAPDUMP" -r many.pcap -w b.pcap tcp and not port 80 2>>err && cmp -s a.pcap b.pcap; then
	pass "-F with # comments: the same packets as the expression without them"
else
	fail "-F with # comments: [$(grep tapdump: err | head -1)]"
fi
if [ -x "$TCPDUMP" ]; then
	rm -f c.pcap
	"$TCPDUMP" $ZROOT -r many.pcap -w c.pcap -F commented 2>/dev/null
	cmp -s a.pcap c.pcap && pass "-F with # comments: tcpdump's bytes" ||
		fail "-F with # comments: not tcpdump's bytes"
	# and tcpdump's own messages, where the oracle is there to ask
	for args in "-F $TMP/dir" "-V $TMP/empty" "-V $TMP/dir"; do
		# shellcheck disable=SC2086
		run_pair "t$(echo "$args" | tr -c 'a-zA-Z0-9' _)" $ZROOT -w out.pcap $args
		same_errors "t$(echo "$args" | tr -c 'a-zA-Z0-9' _)" "[$args]: tcpdump's message and exit status"
	done
fi

# -w to something that is not a regular file (a FIFO here; /dev/null alike): no index beside it.
mkfifo pipe
cat pipe >piped.pcap &
reader=$!
timeout "$LIMIT" "$TAPDUMP" -r many.pcap -w pipe 2>err
rc=$?
wait $reader
"$TAPDUMP" -r many.pcap -w all.pcap 2>/dev/null
[ $rc = 0 ] && cmp -s piped.pcap all.pcap && pass "-w FIFO: every record through the pipe" ||
	fail "-w FIFO: exit $rc [$(head -1 err)]"
[ ! -e pipe.tdidx ] && [ -p pipe ] && pass "-w FIFO: no index file beside it, the FIFO left as it was" ||
	fail "-w FIFO: $(ls pipe*)"
finish
