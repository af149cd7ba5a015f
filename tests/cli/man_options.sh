#!/bin/sh
# tests/cli/man_options.sh: every option `tapdump --help' lists has an entry in doc/tapdump.8, which renders without warnings.
#
# An entry is the tag line of a tagged paragraph (the line after .TP), as
# tcpdump's man page writes its options. groff -ww must print nothing
# (skipped when groff is not installed).
TD=$1
MAN=$(cd "$(dirname "$0")/../.." && pwd)/doc/tapdump.8
TEST=man_options
. "$(dirname "$0")/../report.sh"
[ -x "$TD" ] || { echo "FAIL not executable: $TD"; exit 1; }
[ -r "$MAN" ] || { echo "FAIL no man page at $MAN"; exit 1; }

help=$("$TD" --help) || { echo "FAIL tapdump --help failed"; exit 1; }
# The options --help names: --long words, -x letters, and letter clusters such as -AbdD...# one letter each.
opts=$(printf '%s\n' "$help" | grep -oE '(^|[[:space:][(])--?[A-Za-z#][A-Za-z0-9#-]*' | sed 's/^[[:space:][(]*//' |
	while read -r o; do
		case $o in
		--*) echo "$o" ;;
		-?) echo "$o" ;;
		*) printf '%s\n' "${o#-}" | fold -w1 | sed 's/^/-/' ;;
		esac
	done | sort -u)
[ -n "$opts" ] || { echo "FAIL no options found in --help"; exit 1; }

# The tag lines, with roff's escapes taken out: \- to -, fonts, \& and \e.
tags=$(awk 'prev == ".TP" { print } { prev = $1 }' "$MAN" |
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\e//g' -e 's/"//g')
missing=
n=0
for o in $opts; do
	n=$((n + 1))
	if ! printf '%s\n' "$tags" | grep -Eq -- "(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|\$)"; then
		missing="$missing $o"
	fi
done
[ -z "$missing" ] && pass "all $n options of --help have an entry in tapdump.8" ||
	fail "options of --help without an entry in tapdump.8:$missing"

# The page itself: no warnings from groff (all of them, -ww), and it names what a service needs.
if command -v groff >/dev/null 2>&1; then
	warn=$(groff -man -Tutf8 -ww -z "$MAN" 2>&1)
	[ -z "$warn" ] && pass "groff -man -ww renders tapdump.8 without a warning" || fail "groff warnings: $warn"
else
	echo "SKIP (part) groff not installed: the rendering is not checked"
fi
for s in SYNOPSIS OPTIONS "APPLIANCE OPTIONS" "FILE FORMATS" COUNTERS SIGNALS SERVICE "EXIT STATUS" EXAMPLES; do
	grep -Eq "^\.SH \"?$s\"?\$" "$MAN" || fail "tapdump.8 has no $s section"
done
pass "tapdump.8 has its sections"
finish
