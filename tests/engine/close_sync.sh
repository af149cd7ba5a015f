#!/bin/sh
# tests/engine/close_sync.sh: every output file is on the disk (fdatasync) before it is reported closed and before its -z hook runs.
#
# The order of events comes from strace -f: for each file, its fdatasync has
# returned before the --stats-file line that reports it closed is written,
# and before the hook's execve with its name. Plain and LZ4 series (-C), and
# the last file closed at exit.
. "$(dirname "$0")/lib.sh"
need_programs
command -v strace >/dev/null 2>&1 || skip "strace not found (it records the order of events)"
command -v python3 >/dev/null 2>&1 || skip "python3 not found (reads strace's log)"
strace -f -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace refused)"
LIMIT=60

gen -n 30000 --seed 44 -o "$TMP/a.pcap"
cd "$TMP" || exit 1
cat >hook <<'HOOK'
#!/bin/sh
exit 0
HOOK
chmod +x hook

# order LOG: one line per file, "ok NAME" when synced before reported and hooked, else why not
order() {
	python3 - "$1" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
synced, reported, hooked, pending = {}, {}, {}, {}
for i, l in enumerate(lines):
    pid = l.split(' ', 1)[0]
    m = re.search(r'fdatasync\(\d+<([^>]*)>', l)
    if m:
        if 'unfinished' in l:
            pending[pid] = m.group(1)
        elif l.rstrip().endswith('= 0'):
            synced.setdefault(m.group(1).rsplit('/', 1)[-1], i)
        continue
    if 'fdatasync resumed' in l and pid in pending:
        if l.rstrip().endswith('= 0'):
            synced.setdefault(pending[pid].rsplit('/', 1)[-1], i)
        del pending[pid]
        continue
    m = re.search(r'write\(\d+<[^>]*st\.json>, "\{\\"type\\":\\"file\\",\\"name\\":\\"([^\\]*)\\"', l)
    if m:
        reported.setdefault(m.group(1), i)
        continue
    m = re.search(r'execve\("[^"]*hook", \["[^"]*hook", "([^"]*)"', l)
    if m:
        hooked.setdefault(m.group(1), i)
if not reported:
    print('none reported')
for f in sorted(reported):
    s = synced.get(f)
    if s is None:
        print('never synced', f)
    elif s > reported[f]:
        print('reported before synced', f)
    elif f not in hooked:
        print('no hook for', f)
    elif s > hooked[f]:
        print('hooked before synced', f)
    else:
        print('ok', f)
EOF
}

# run NAME ARGS...: tapdump under strace; every file synced before reported and hooked
run() {
	name=$1
	shift
	rm -f st.json
	# LeakSanitizer cannot run under ptrace: a sanitized build runs without it here.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		timeout "$LIMIT" strace -f -y -s 400 -e trace=fdatasync,execve,write -o "$name.log" \
			"$TAPDUMP" -r a.pcap --stats-file st.json -z ./hook "$@" 2>"$TMP/err" >/dev/null ||
			{ fail "$name: tapdump under strace failed"; show_err; return; }
	order "$name.log" >"$name.order"
	n=$(grep -c '^ok ' "$name.order")
	if [ "$n" -ge 2 ] && ! grep -qv '^ok ' "$name.order"; then
		pass "$name: all $n files synced before reported closed and before their hook"
	else
		fail "$name: $(grep -v '^ok ' "$name.order" | head -3 | tr '\n' ';') ($n in order)"
	fi
}

run plain -w cap.pcap -C 5
run lz4 -w cap.pcap.lz4 -C 3
finish
