# tests/engine/lib.sh: helpers shared by the engine's shell tests (sourced, never run alone).
#
# Every test is called as: sh TEST.sh TAPDUMP TDGEN PCAPCHECK [MODE]

TAPDUMP=${1:?usage: $0 TAPDUMP TDGEN PCAPCHECK [MODE]}
TDGEN=${2:?usage: $0 TAPDUMP TDGEN PCAPCHECK [MODE]}
PCAPCHECK=${3:?usage: $0 TAPDUMP TDGEN PCAPCHECK [MODE]}
MODE=${4:-}
TEST=$(basename "$0" .sh)${MODE:+-$MODE}

# the tests cd into scratch folders: make the programs' paths absolute
case $TAPDUMP in /*) ;; *) TAPDUMP=$PWD/$TAPDUMP ;; esac
case $TDGEN in /*) ;; *) TDGEN=$PWD/$TDGEN ;; esac
case $PCAPCHECK in /*) ;; *) PCAPCHECK=$PWD/$PCAPCHECK ;; esac

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tapdump-engine-$TEST.XXXXXX") || exit 1
# cleanup() may be extended by a test (unmount, kill a feeder) before it is called
CLEANUP=""
cleanup() {
	eval "$CLEANUP"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
FAILS=0
CHECKS=0

# Each run gets a wall-clock limit so a hang fails the test instead of meson's.
LIMIT=${LIMIT:-20}

# skip, pass, fail, finish, gen
. "$(dirname "$0")/../report.sh"
check() { _what=$1; shift; if "$@" >/dev/null; then pass "$_what"; else fail "$_what"; fi; }

need_programs() {
	for _p in "$TAPDUMP" "$TDGEN" "$PCAPCHECK"; do
		[ -x "$_p" ] || { echo "FAIL not executable: $_p"; exit 1; }
	done
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root ($*)"
}


# td ARGS...: tapdump with a time limit, stderr to $TMP/err (shown on failure by show_err)
td() {
	timeout "$LIMIT" "$TAPDUMP" "$@" 2>"$TMP/err"
}

show_err() {
	sed -n '1,6s/^/     stderr: /p' "$TMP/err"
}

# count FILE: whole pcap records in FILE (empty output when it is not a pcap)
count() {
	"$PCAPCHECK" count "$1" 2>/dev/null
}

# table_field NAME ERRFILE: a number from -v's identity line ("received 10 = rejected 2 + ...")
identity_field() {
	sed -n 's/^identity: .*'"$1"' \([0-9][0-9]*\).*/\1/p' "$2" | head -1
}
