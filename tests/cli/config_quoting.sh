#!/bin/sh
# tests/cli/config_quoting.sh: a --config value in quotes keeps its # and blanks; a # inside a word is no comment.
. "$(dirname "$0")/lib.sh"
need_tapdump

gen -n 20 --seed 74 -o "$TMP/small.pcap"
cd "$TMP" || exit 1

# run_conf WHAT FILE: a capture-file run with that config; the stats file it names must appear
run_conf() {
	rm -rf out && mkdir out
	if ! (cd out && timeout "$LIMIT" "$TAPDUMP" $ZROOT -r "$TMP/small.pcap" -w x.pcap --config "$TMP/$2" \
		>../out.log 2>../err.log); then
		fail "$1: exit status not 0 [$(grep tapdump: err.log | head -1)]"
		return 1
	fi
}

cat >dq.conf <<'CONF'
# double quotes keep the blanks and the #, a comment may follow
stats-file "stats #1 of 2.json"   # the per-file report
CONF
if run_conf '"..." value' dq.conf; then
	[ -s "out/stats #1 of 2.json" ] && pass '"..." value keeps # and blanks' ||
		fail "\"...\" value: made [$(ls out | tr '\n' ' ')], want 'stats #1 of 2.json'"
fi

cat >sq.conf <<'CONF'
stats-file='say "#2".json'
CONF
if run_conf "'...' value" sq.conf; then
	[ -s 'out/say "#2".json' ] && pass "'...' value keeps # and double quotes" ||
		fail "'...' value: made [$(ls out | tr '\n' ' ')]"
fi

cat >word.conf <<'CONF'
stats-file cap#3.json # a comment starts at a word
CONF
if run_conf "# inside a word" word.conf; then
	[ -s "out/cap#3.json" ] && pass "# inside a word is kept, one after a blank starts a comment" ||
		fail "# inside a word: made [$(ls out | tr '\n' ' ')], want cap#3.json"
fi

R="-r $TMP/small.pcap -w x.pcap"
printf 'no-jit\nstats-file "open.json\n' >open.conf
printf "stats-file 'a.json' b\n" >after.conf
printf 'stats-file ""\n' >emptyq.conf
# shellcheck disable=SC2086 # $R is separate words
{
	expect_error "unterminated quote" "PROG: $TMP/open.conf:2: setting 'stats-file': no closing \"" \
		$R --config "$TMP/open.conf"
	expect_error "text after the quote" "PROG: $TMP/after.conf:1: setting 'stats-file': text after the closing quote" \
		$R --config "$TMP/after.conf"
	expect_error "empty quotes" "PROG: $TMP/emptyq.conf:1: setting 'stats-file' needs a value" \
		$R --config "$TMP/emptyq.conf"
}
finish
