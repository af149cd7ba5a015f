#!/bin/sh
# tests/engine/privs.sh: -Z USER drops privileges before the first output file, so every file of the run belongs to USER.
. "$(dirname "$0")/lib.sh"
need_programs
need_root "-Z switches users"
id nobody >/dev/null 2>&1 || skip "no user 'nobody'"

gen -n 20000 --seed 71 -o "$TMP/a.pcap"
cd "$TMP" || exit 1
# nobody must reach the output folders through the scratch folder (mktemp makes it 0700)
chmod 755 "$TMP"
mkdir out rootonly
chown nobody out
chmod 755 rootonly
cat >idhook <<HOOK
#!/bin/sh
echo "\$(id -un) \$1" >>"$TMP/out/hook.log"
HOOK
chmod 755 idhook

# 1. rotation, a hook and a stats file: every file made by the run is nobody's, the first one too (tcpdump #265)
if td -r a.pcap -w out/cap.pcap -C 2 -Z nobody -z "$TMP/idhook" --stats-file out/stats.json; then
	# captures only: their archive indexes (FILE.tdidx) are left out of the count, not of the owner check
	n=$(ls out/cap.pcap* | grep -vc '\.tdidx$')
	[ "$n" -ge 3 ] || fail "-C 2 made only $n files"
	owners=$(stat -c %U out/cap.pcap* | sort -u | tr '\n' ' ')
	[ "$owners" = "nobody " ] && pass "all $n capture files belong to nobody" || fail "capture file owners: $owners"
	[ "$(stat -c %U out/cap.pcap)" = nobody ] && pass "the first file belongs to nobody" || fail "the first file belongs to $(stat -c %U out/cap.pcap)"
	[ "$(stat -c %U out/stats.json 2>/dev/null)" = nobody ] && pass "the stats file belongs to nobody" ||
		fail "the stats file belongs to $(stat -c %U out/stats.json 2>/dev/null)"
	users=$(cut -d' ' -f1 out/hook.log 2>/dev/null | sort -u | tr '\n' ' ')
	[ "$users" = "nobody " ] && pass "hooks run as nobody" || fail "hooks ran as [$users]"
	total=0
	for f in out/cap.pcap*; do case $f in *.tdidx) continue ;; esac; total=$((total + $(count "$f"))); done
	[ $total = 20000 ] && pass "the files hold all 20000 packets" || fail "the files hold $total of 20000"
else
	fail "-Z nobody: tapdump exited non-zero"
	show_err
fi

# 2. a folder only root may write: -Z nobody cannot create the first file there, and says so
td -r a.pcap -w rootonly/cap.pcap -Z nobody
rc=$?
[ $rc != 0 ] && pass "-Z nobody into a root-only folder fails (exit $rc)" || fail "-Z nobody wrote into a root-only folder"
grep -q 'rootonly/cap.pcap: Permission denied' err && pass "and says why: $(grep -m1 rootonly err)" ||
	{ fail "no 'Permission denied' message naming the file"; show_err; }
[ ! -e rootonly/cap.pcap ] && pass "no file left behind" || fail "a file was created as $(stat -c %U rootonly/cap.pcap)"

# 3. an unknown user stops the run before anything is written
td -r a.pcap -w out/never.pcap -Z no-such-user-td
rc=$?
[ $rc != 0 ] && [ ! -e out/never.pcap ] && grep -q "no-such-user-td" err &&
	pass "-Z no-such-user: exit $rc, no file, message: $(grep -m1 no-such err)" ||
	{ fail "-Z no-such-user: exit $rc"; show_err; }
finish
