# tests/cli/lib.sh: helpers shared by the command-line tests (sourced, never run alone).
#
# Every test is called as: sh TEST.sh TAPDUMP TDGEN
# /usr/bin/tcpdump 4.99.3 is the oracle; set TCPDUMP to use another one. To
# check a test's own logic, pass tcpdump as TAPDUMP: every check must pass.

TAPDUMP=${1:?usage: $0 TAPDUMP TDGEN}
TDGEN=${2:?usage: $0 TAPDUMP TDGEN}
TCPDUMP=${TCPDUMP:-/usr/bin/tcpdump}
TEST=$(basename "$0" .sh)

# the tests cd into scratch folders: make the programs' paths absolute
case $TAPDUMP in /*) ;; */*) TAPDUMP=$PWD/$TAPDUMP ;; esac
case $TDGEN in /*) ;; */*) TDGEN=$PWD/$TDGEN ;; esac

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tapdump-$TEST.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
FAILS=0
CHECKS=0

# tcpdump on Debian drops to user "tcpdump" when run as root; -Z root keeps
# it able to write (and rotate) in a root-owned scratch folder.
# shellcheck disable=SC2034 # used by the scripts that source this file
if [ "$(id -u)" = 0 ]; then ZROOT="-Z root"; else ZROOT=""; fi

# Each run gets a wall-clock limit so a hang fails the test instead of meson's.
LIMIT=${LIMIT:-20}

# skip, pass, fail, finish, gen
. "$(dirname "$0")/../report.sh"

need_tcpdump() {
	[ -x "$TCPDUMP" ] || skip "tcpdump not found at $TCPDUMP (the oracle)"
}

need_tapdump() {
	[ -x "$TAPDUMP" ] || { echo "FAIL tapdump not executable: $TAPDUMP"; exit 1; }
	[ -x "$TDGEN" ] || { echo "FAIL tdgen not executable: $TDGEN"; exit 1; }
}


# The program-name prefix is the one allowed difference in messages.
normalize_err() {
	# getopt(3) names the program by argv[0], which may be a path
	sed -e 's#^\([^ :]*/\)\{0,1\}tcpdump: #PROG: #' \
	    -e 's#^\([^ :]*/\)\{0,1\}tapdump: #PROG: #' "$1"
}

# Lines that are the program's own messages, not the "reading from file" note.
err_lines() {
	normalize_err "$1" | grep '^PROG: '
}

# run_pair TAG ARGS...: run the oracle in $TMP/TAG/ref and tapdump in
# $TMP/TAG/our (both empty folders) with the same arguments; stdin from
# $PAIR_STDIN when set. Results: TAG/{ref,our}.{out,err,rc}.
run_pair() {
	_tag=$1
	shift
	rm -rf "${TMP:?}/$_tag"
	mkdir -p "$TMP/$_tag/ref" "$TMP/$_tag/our"
	# side by side: the two programs never share a file
	(cd "$TMP/$_tag/ref" && timeout "$LIMIT" "$TCPDUMP" "$@" \
		<"${PAIR_STDIN:-/dev/null}" >../ref.out 2>../ref.err
	 echo $? >../ref.rc) &
	(cd "$TMP/$_tag/our" && timeout "$LIMIT" "$TAPDUMP" "$@" \
		<"${PAIR_STDIN:-/dev/null}" >../our.out 2>../our.err
	 echo $? >../our.rc)
	wait
}

# same_tree TAG WHAT: the two runs made the same files with the same bytes,
# printed the same stdout and exited alike.
same_tree() {
	_d=$TMP/$1
	_why=""
	# builtins where possible: under load every fork shows in the run time
	read -r _rr <"$_d/ref.rc"
	read -r _or <"$_d/our.rc"
	_rl=$(ls -A "$_d/ref")
	# tapdump writes an archive index (FILE.tdidx) beside each -w file
	_ol=$(ls -A "$_d/our" | grep -v '\.tdidx$')
	if [ "$_rr" != "$_or" ]; then
		_why="exit $_or, tcpdump exit $_rr"
	elif [ "$_rl" != "$_ol" ]; then
		_why="files [$(echo $_ol)] vs tcpdump [$(echo $_rl)]"
	elif ! cmp -s "$_d/ref.out" "$_d/our.out"; then
		_why="stdout differs: $(cmp "$_d/ref.out" "$_d/our.out" 2>&1 | head -1)"
	else
		for _f in $_rl; do
			if ! cmp -s "$_d/ref/$_f" "$_d/our/$_f"; then
				_why="$_f differs: $(cmp "$_d/ref/$_f" "$_d/our/$_f" 2>&1 | head -1)"
				break
			fi
		done
	fi
	if [ -z "$_why" ]; then
		pass "$2"
	else
		fail "$2: $_why"
		sed -n '1,3s/^/     stderr: /p' "$_d/our.err"
	fi
}

# same_errors TAG WHAT: same exit status and the same program messages.
same_errors() {
	_d=$TMP/$1
	err_lines "$_d/ref.err" >"$_d/ref.msg"
	err_lines "$_d/our.err" >"$_d/our.msg"
	read -r _rr <"$_d/ref.rc"
	read -r _or <"$_d/our.rc"
	if [ "$_rr" != "$_or" ]; then
		fail "$2: exit $_or, tcpdump exit $_rr"
	elif ! cmp -s "$_d/ref.msg" "$_d/our.msg"; then
		fail "$2: message [$(head -1 "$_d/our.msg")] vs tcpdump [$(head -1 "$_d/ref.msg")]"
	else
		pass "$2"
	fi
}

# expect_error WHAT WANT ARGS...: tapdump ARGS, run in an empty folder, exits 1
# with WANT (its program name written PROG) as its one line on stderr, and
# leaves no file behind.
expect_error() {
	_what=$1
	_want=$2
	shift 2
	_d=$TMP/expect
	rm -rf "$_d"
	mkdir -p "$_d/run"
	(cd "$_d/run" && timeout "$LIMIT" "$TAPDUMP" "$@" </dev/null >../out 2>../err
	 echo $? >../rc)
	read -r _rc <"$_d/rc"
	_got=$(normalize_err "$_d/err")
	if [ "$_rc" != 1 ]; then
		fail "$_what: exit $_rc, want 1 [$(head -1 "$_d/err")]"
	elif [ "$_got" != "$_want" ]; then
		fail "$_what: said [$(echo $_got)], want [$_want]"
	elif [ -n "$(ls -A "$_d/run")" ]; then
		fail "$_what: left files behind: $(ls -A "$_d/run")"
	else
		pass "$_what: $_want"
	fi
}
