#!/bin/sh
# tests/cli/stats_file_open.sh: --stats-file appends to a file, a FIFO or /dev/null, and follows no symbolic link planted at its name.
. "$(dirname "$0")/lib.sh"
need_tapdump

gen -n 20 --seed 76 -o "$TMP/small.pcap"
cd "$TMP" || exit 1
umask 022
echo "root's file" >target
ln -s target link.json
mkdir dir

# run_stats WHAT PATH: a capture-file run reporting to PATH; leaves rc, err
run_stats() {
	timeout "$LIMIT" "$TAPDUMP" $ZROOT -r small.pcap -w out.pcap --stats-file "$2" >/dev/null 2>err
	echo $? >rc
}

run_stats link link.json
msg=$(normalize_err err | grep '^PROG: ')
[ "$(cat rc)" = 1 ] && pass "symbolic link: exit 1" || fail "symbolic link: exit $(cat rc), want 1"
[ "$msg" = "PROG: link.json: is a symbolic link, not following it" ] && pass "symbolic link: $msg" ||
	fail "symbolic link: said [$msg]"
[ "$(cat target)" = "root's file" ] && pass "symbolic link: its target is untouched" ||
	fail "symbolic link: its target was appended to"

run_stats dir dir
msg=$(normalize_err err | grep '^PROG: ')
[ "$(cat rc)" = 1 ] && [ "$msg" = "PROG: dir: Is a directory" ] && pass "directory: $msg" ||
	fail "directory: exit $(cat rc) [$msg]"

for ok in stats.json /dev/null; do
	run_stats "$ok" "$ok"
	[ "$(cat rc)" = 0 ] && pass "$ok: exit 0" || fail "$ok: exit $(cat rc) [$(head -1 err)]"
done
# a FIFO to a collector
mkfifo fifo
timeout "$LIMIT" cat fifo >fifo.out &
run_stats fifo fifo
wait
[ "$(cat rc)" = 0 ] && grep -q '"type":"file"' fifo.out && pass "FIFO: the report reaches the reader" ||
	fail "FIFO: exit $(cat rc) [$(head -1 err)]"
[ -f stats.json ] && grep -q '"type":"file"' stats.json && pass "stats.json: the per-file report" ||
	fail "stats.json: no per-file report"
case $(ls -l stats.json) in
-rw-r--r--*) pass "stats.json: mode 0644" ;;
*) fail "stats.json: mode $(ls -l stats.json | cut -c1-10)" ;;
esac
finish
