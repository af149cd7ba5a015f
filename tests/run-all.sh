#!/bin/sh
# Run every meson test and end with the one summary line CI reads: "tests: N passed, N failed, N skipped".
#
#   run-all.sh BUILD [--san SANBUILD] [MESON TEST ARGS...]
#
# With --san, the tests of suite 'hardening' also run in SANBUILD (configured
# with -Db_sanitize=address,undefined, see the Makefile), which hands them its
# sanitized tapdump: leaks, out-of-bounds accesses and undefined behaviour
# fail them. The summary line counts both runs; the sanitized run's tests are
# listed as "san: NAME".
set -u
BUILD=${1:-build}
[ $# -gt 0 ] && shift
SAN=
if [ "${1:-}" = --san ]; then
	SAN=${2:?--san needs a build directory}
	shift 2
fi
# The shared corpus sits beside the checkout; tests that use it skip when it is absent.
if [ -z "${TD_CORPUS:-}" ] && [ -d "$(dirname "$0")/../../shared/corpus" ]; then
	TD_CORPUS=$(cd "$(dirname "$0")/../../shared/corpus" && pwd)
	export TD_CORPUS
fi
# meson's own report goes to a file; the per-test lines and the summary are printed below.
# A log left by an earlier run must not stand in for one that did not happen.
rm -f "$BUILD/meson-logs/testlog.json" ${SAN:+"$SAN/meson-logs/testlog.json"}
meson test -C "$BUILD" --num-processes 2 "$@" >"$BUILD/meson-test.out" 2>&1
LOGS="$BUILD/meson-logs/testlog.json"
if [ -n "$SAN" ]; then
	# No suppressions: a leak in a test helper (pcapcheck, tdgen) fails its tests like one in tapdump.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C "$SAN" --num-processes 2 --suite hardening >"$SAN/meson-test.out" 2>&1
	LOGS="$LOGS $SAN/meson-logs/testlog.json"
fi
python3 - $LOGS <<'PY'
import json, sys
passed = failed = skipped = 0
for n, path in enumerate(sys.argv[1:]):
    prefix = "san: " if n else ""
    try:
        lines = open(path).readlines()
    except OSError as e:
        failed += 1
        print(f"FAIL {prefix}meson test ({e})")
        continue
    for line in lines:
        t = json.loads(line)
        r = t["result"]
        name = prefix + t["name"]
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
            reason = (t.get("stdout") or "").strip().splitlines()
            print(f"SKIP {name}: {reason[-1] if reason else ''}")
            continue
        else:
            failed += 1
            print(f"FAIL {name} ({r})")
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            for l in out.strip().splitlines()[-20:]:
                print(f"    {l}")
            continue
        print(f"ok   {name} ({t.get('duration', 0):.1f}s)")
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
