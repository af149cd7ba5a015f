#!/bin/sh
# tests/engine/hook.sh: -z runs CMD FILE once per closed file, without a shell, at idle priority; failures are reported.
. "$(dirname "$0")/lib.sh"
need_programs
# MODE idle: only the scheduling policy of the hooks (needs chrt to read it)
if [ "$MODE" = idle ]; then
	command -v chrt >/dev/null 2>&1 || skip "chrt not found (it reads the hook's policy)"
fi

gen -n 20000 --seed 61 -o "$TMP/a.pcap"
# 4 s of capture time, for -G 1
gen -n 2000 --seed 62 --rate 500 -o "$TMP/slow.pcap"
cd "$TMP" || exit 1

# The hook logs its argument, the file's size when it ran, and its scheduling policy.
cat >loghook <<HOOK
#!/bin/sh
pol=\$(chrt -p \$\$ 2>/dev/null | sed -n 's/.*policy: *//p' | head -1)
echo "\$1 \$(wc -c <"\$1") \${pol:-unknown}" >>"$TMP/hook.log"
HOOK
cat >failhook <<HOOK
#!/bin/sh
exit 3
HOOK
chmod +x loghook failhook
cp loghook "log hook"

# logged_files LOG: the names the hook saw, one per line, sorted
logged_files() { cut -d' ' -f1 "$1" | sort; }

# 1. one call per closed file, each seeing the finished file
mkdir r1
if td -r a.pcap -w r1/cap.pcap -C 2 -z "$TMP/loghook"; then
	files=$(ls r1/cap.pcap* | grep -v '\.tdidx$' | sort)
	n=$(echo "$files" | wc -l)
	[ "$n" -ge 3 ] || fail "-C 2 made only $n files"
	[ "$(logged_files hook.log)" = "$files" ] && pass "-C 2: the hook ran once for each of the $n files" ||
		fail "-C 2: hook calls [$(logged_files hook.log | tr '\n' ' ')] vs files [$(echo $files)]"
	bad=0
	while read -r f size pol; do
		[ "$size" = "$(wc -c <"$f")" ] || bad=1
	done <hook.log
	[ $bad = 0 ] && pass "-C 2: each hook saw its file complete" || fail "-C 2: a hook saw a file before it was complete"
	if [ "$MODE" = idle ]; then
		# hook.h promises SCHED_IDLE, so a slow hook never competes with the capture
		if ! grep -qv 'SCHED_IDLE' hook.log; then
			pass "-C 2: hooks run under SCHED_IDLE"
		else
			fail "-C 2: hook policy $(cut -d' ' -f3 hook.log | sort -u | tr '\n' ' '), expected SCHED_IDLE"
		fi
		finish
	fi
else
	fail "-C 2 -z: tapdump exited non-zero"
	show_err
fi

# 2. -G on file input: a hook per time slice
rm -f hook.log
mkdir r2
if td -r slow.pcap -w 'r2/g-%s.pcap' -G 1 -z "$TMP/loghook"; then
	files=$(ls r2/g-* | grep -v '\.tdidx$' | sort)
	n=$(echo "$files" | wc -l)
	[ "$n" -ge 4 ] || fail "-G 1 on 4 s of packets made only $n files"
	[ "$(logged_files hook.log)" = "$files" ] && pass "-G 1: the hook ran once for each of the $n files" ||
		fail "-G 1: hook calls [$(logged_files hook.log | tr '\n' ' ')] vs files [$(echo $files)]"
else
	fail "-G 1 -z: tapdump exited non-zero"
	show_err
fi

# 3. no shell: a program whose name holds a space runs as it is...
rm -f hook.log
mkdir r3
if td -r a.pcap -w r3/cap.pcap -C 4 -z "$TMP/log hook"; then
	[ "$(logged_files hook.log)" = "$(ls r3/cap.pcap* | grep -v '\.tdidx$' | sort)" ] && pass "a hook named with a space runs, once per file" ||
		fail "a hook named with a space: calls [$(logged_files hook.log 2>/dev/null | tr '\n' ' ')]"
else
	fail "-z 'log hook': tapdump exited non-zero"
	show_err
fi

# ...and a command line with words is one program name that does not exist: reported, capture unharmed
mkdir r4
td -r a.pcap -w r4/cap.pcap -C 4 -z "touch $TMP/shell-ran"
rc=$?
[ ! -e "$TMP/shell-ran" ] && pass "-z 'touch FILE' is not given to a shell" || fail "-z went through a shell"
[ $rc = 0 ] && pass "an unrunnable hook does not fail the capture" || fail "an unrunnable hook: exit $rc"
if grep -q "touch $TMP/shell-ran" err && [ "$(grep -c . err)" -le 20 ]; then
	pass "an unrunnable hook is reported on stderr: $(grep -m1 'touch' err)"
else
	fail "an unrunnable hook: no message naming it"
	show_err
fi
n=0
for f in r4/cap.pcap*; do case $f in *.tdidx) continue ;; esac; n=$((n + $(count "$f"))); done
[ $n = 20000 ] && pass "an unrunnable hook: every packet still written" || fail "an unrunnable hook: files hold $n of 20000"

# 4. a failing hook: each failure reported with its status, the capture goes on
mkdir r5
td -r a.pcap -w r5/cap.pcap -C 4 -z "$TMP/failhook" --prometheus-file r5.prom
rc=$?
nfiles=$(ls r5/cap.pcap* | grep -vc '\.tdidx$')
nmsg=$(grep -c 'failhook.*status 3' err)
[ $rc = 0 ] && pass "failing hooks: exit 0 (tcpdump does not fail on them either)" || fail "failing hooks: exit $rc"
[ "$nmsg" = "$nfiles" ] && pass "failing hooks: one message per file ($nmsg): $(grep -m1 failhook err)" ||
	fail "failing hooks: $nmsg messages for $nfiles files"
# The main thread reaps the hooks and counts their failures: one count for the run, no writer label.
grep -qx "tapdump_hook_failures_total $nfiles" r5.prom && pass "failing hooks: tapdump_hook_failures_total $nfiles" ||
	fail "failing hooks: prometheus says [$(grep '^tapdump_hook_failures' r5.prom)], expected $nfiles"
finish
