# Shared by the shell tests: count checks, report each, end with the verdict (sourced, not run).
CHECKS=0
FAILS=0

skip() { echo "SKIP: $*"; exit 77; }
pass() { CHECKS=$((CHECKS + 1)); echo "ok   $*"; }
fail() { CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1)); echo "FAIL $*"; }

finish() {
	if [ "$FAILS" -ne 0 ]; then
		echo "$TEST: $FAILS of $CHECKS checks failed"
		exit 1
	fi
	if [ "$CHECKS" -eq 0 ]; then
		echo "$TEST: no checks ran"
		exit 1
	fi
	echo "$TEST: all $CHECKS checks passed"
	exit 0
}

gen() {
	"$TDGEN" "$@" || { echo "FAIL tdgen $*"; exit 1; }
}
