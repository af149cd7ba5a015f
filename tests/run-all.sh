#!/bin/sh
# Run every meson test and end with the one summary line CI reads: "tests: N passed, N failed".
set -u
BUILD=${1:-build}
[ $# -gt 0 ] && shift
# The shared corpus sits beside the checkout; tests that use it skip when it is absent.
if [ -z "${TD_CORPUS:-}" ] && [ -d "$(dirname "$0")/../../shared/corpus" ]; then
	TD_CORPUS=$(cd "$(dirname "$0")/../../shared/corpus" && pwd)
	export TD_CORPUS
fi
# meson's own report goes to a file; the per-test lines and the summary are printed below.
meson test -C "$BUILD" --num-processes 2 "$@" >"$BUILD/meson-test.out" 2>&1
python3 - "$BUILD/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    r = t["result"]
    name = t["name"]
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
