#!/bin/sh
# tests/engine/retention.sh: --disk-budget and --min-free keep a -w series within bounds, across restarts.
#
# MODE budget: -C and -G series under a budget, three runs each (restarts), sampled while they run:
# never over budget + one file, never under budget - two files at the end, the newest files kept,
# the directory's other files (and a link named like the series) untouched; a link at a name the
# series reaches stops the run rather than be written through.
# MODE hook: a file whose -z hook still runs is never deleted; the others still are.
# MODE minfree (root, tmpfs): an 8 MiB filesystem keeps its --min-free (bytes, then a percentage).
# MODE enospc (root, tmpfs): a 4 MiB filesystem, a budget larger than it: the run goes on by deleting
# its own oldest files (plain and LZ4); a series with nothing to delete stops with a clear message;
# a disk full before the file header leaves no empty file behind.
# MODE hog (root, tmpfs): another writer fills the disk while tapdump runs and takes the space it frees:
# tapdump deletes its own oldest files and retries, losing nothing and leaving the other files alone;
# when the other writer has taken everything, it stops with one clear line and a whole last file.
. "$(dirname "$0")/lib.sh"
need_programs
[ -n "$MODE" ] || { echo "FAIL no MODE given"; exit 1; }
LIMIT=60
ONE_FILE=1002000 # -C 1: 1,000,000 bytes and at most one record past them

cd "$TMP" || exit 1

# sizes DIR NAME-GLOB: bytes of the regular files matching
sizes() {
	find "$1" -maxdepth 1 -type f -name "$2" -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'
}

# avail DIR: free bytes of DIR's filesystem
avail() {
	df -B1 --output=avail "$1" | tail -1 | tr -d ' '
}

# retention_field NAME ERRFILE: a number from -v's "retention writer 0:" line
retention_field() {
	sed -n 's/^retention writer 0: .*'"$1"' \([0-9][0-9]*\).*/\1/p' "$2" | head -1
}

# foreign DIR: files that must never change (and a link named like the series, pointing outside it)
foreign() {
	echo "keep me" >"$1/cap.pcap.bak"
	echo "keep me" >"$1/notes.txt"
	echo "keep me" >"$TMP/target"
	ln -s "$TMP/target" "$1/cap.pcap999"
	(cd "$1" && md5sum cap.pcap.bak notes.txt >"$TMP/foreign.md5")
}

foreign_intact() {
	(cd "$1" && md5sum -c --quiet "$TMP/foreign.md5" >/dev/null 2>&1) && [ -L "$1/cap.pcap999" ] &&
		[ "$(cat "$TMP/target")" = "keep me" ] && pass "$2: the directory's other files are untouched" ||
		fail "$2: a foreign file changed or went"
}

# sampled MAXFILE PID DIR GLOB: record the series' size every 20 ms while PID runs; the maximum goes to MAXFILE
sampled() {
	_max=0
	while kill -0 "$2" 2>/dev/null; do
		_s=$(sizes "$3" "$4")
		[ "$_s" -gt "$_max" ] && _max=$_s
		sleep 0.02
	done
	echo "$_max" >"$1"
}

# run_fed LABEL RATE INPUT DIR GLOB ARGS...: tapdump -r - ARGS fed at RATE bytes/s, sampled; sets RC, MAX
run_fed() {
	_label=$1 _rate=$2 _in=$3 _dir=$4 _glob=$5
	shift 5
	("$PCAPCHECK" slowcat "$_rate" "$_in" 2>/dev/null | timeout "$LIMIT" "$TAPDUMP" -r - "$@" -v 2>"$TMP/err"; echo $? >"$TMP/rc") &
	_pid=$!
	sampled "$TMP/max" $_pid "$_dir" "$_glob"
	wait $_pid
	RC=$(cat "$TMP/rc")
	MAX=$(cat "$TMP/max")
	[ "$RC" = 0 ] && pass "$_label: exit 0" || { fail "$_label: exit $RC"; show_err; }
	grep -q MISMATCH "$TMP/err" && fail "$_label: identity MISMATCH"
}

# within LABEL BYTES BUDGET FILE: BYTES in [BUDGET - 2 FILE, BUDGET]
within() {
	[ "$2" -le "$3" ] && [ "$2" -ge $(($3 - 2 * $4)) ] &&
		pass "$1: the series holds $2 bytes, within [budget - two files, budget $3]" ||
		fail "$1: the series holds $2 bytes, budget $3, files of $4"
}

budget_size() {
	mkdir d
	foreign d
	budget=3145728 # 3M: three files and a bit
	last_min=""
	for run in 1 2 3; do
		gen -n 20000 --seed $((90 + run)) --rate 1000 --start $((1700000000 + run * 1000)) -o in$run.pcap
		run_fed "-C run $run" 6000000 in$run.pcap d 'cap.pcap*' -w d/cap.pcap -C 1 --disk-budget 3M
		[ "$MAX" -le $((budget + ONE_FILE)) ] &&
			pass "-C run $run: at most $MAX bytes while running, within budget + one file" ||
			fail "-C run $run: $MAX bytes while running, budget $budget + one file"
		within "-C run $run" "$(sizes d 'cap.pcap*')" $budget $ONE_FILE
		del=$(retention_field files_deleted err)
		[ -n "$del" ] && [ "$del" -gt 0 ] && pass "-C run $run: -v says $del files deleted" ||
			{ fail "-C run $run: files_deleted '$del'"; show_err; }
		# the numbering goes on from the last run, and what is kept is the newest, in one unbroken run
		idx=$(cd d && ls -1 cap.pcap* | sed -n 's/^cap\.pcap\([0-9]*\)$/\1/p' | grep -v '^999$' | sort -n)
		min=$(echo "$idx" | head -1)
		max=$(echo "$idx" | tail -1)
		n=$(echo "$idx" | wc -l)
		[ $((max - min + 1)) = "$n" ] && [ "$max" -ge $((run * 11)) ] &&
			pass "-C run $run: the newest files are kept (cap.pcap$min to cap.pcap$max)" ||
			fail "-C run $run: kept indexes $(echo $idx)"
		[ -z "$last_min" ] || [ "$min" -gt "$last_min" ] || fail "-C run $run: older files came back?"
		last_min=$min
	done
	foreign_intact d "-C"
	# A link at a name the series comes to is not written through: the run stops there and says why.
	mkdir l
	echo "keep me" >l/target
	ln -s target l/cap.pcap2
	td -r in1.pcap -w l/cap.pcap -C 1 --disk-budget 3M
	rc=$?
	[ $rc = 1 ] && grep -q 'l/cap.pcap2: is a symbolic link, not writing through it' err &&
		[ "$(cat l/target)" = "keep me" ] && [ -L l/cap.pcap2 ] &&
		pass "-C: a link at cap.pcap2 stops the run, its target untouched: $(grep -m1 'symbolic' err)" ||
		{ fail "-C: link at a series name: exit $rc, target '$(cat l/target)'"; show_err; }
}

budget_time() {
	mkdir g
	echo "keep me" >g/g-notes.pcap
	budget=3145728
	for run in 1 2 3; do
		gen -n 20000 --seed $((95 + run)) --rate 1000 --start $((1700000000 + run * 100)) -o t$run.pcap
		# the largest slice of this input, from a run without a budget
		rm -rf ref && mkdir ref && td -r t$run.pcap -w 'ref/g-%Y%m%d-%H%M%S.pcap' -G 1
		file=$(find ref -type f -printf '%s\n' | sort -n | tail -1)
		run_fed "-G run $run" 6000000 t$run.pcap g 'g-2*' -w 'g/g-%Y%m%d-%H%M%S.pcap' -G 1 --disk-budget 3M
		[ "$MAX" -le $((budget + file)) ] &&
			pass "-G run $run: at most $MAX bytes while running, within budget + one file ($file)" ||
			fail "-G run $run: $MAX bytes while running, budget $budget + one file ($file)"
		within "-G run $run" "$(sizes g 'g-2*')" $budget "$file"
		# names sort by time: the files kept are the newest the runs wrote
		newest=$(ls ref | tail -1)
		[ -f "g/$newest" ] && pass "-G run $run: the newest slice $newest is kept" ||
			fail "-G run $run: $newest missing: $(ls g | tr '\n' ' ')"
	done
	first=$(TZ= date -u -d @1700000100 +g-%Y%m%d-%H%M%S.pcap)
	[ ! -e "g/$first" ] && pass "-G: the first run's files are gone after three runs" || fail "-G: $first kept"
	[ "$(cat g/g-notes.pcap)" = "keep me" ] && pass "-G: g-notes.pcap untouched" || fail "-G: g-notes.pcap changed"
}

hook() {
	mkdir h
	foreign h
	cat >hold <<-EOF
		#!/bin/sh
		echo "start \$1" >>$TMP/hooks.log
		sleep 1
		[ -f "\$1" ] && echo "kept \$1" >>$TMP/hooks.log || echo "GONE \$1" >>$TMP/hooks.log
	EOF
	chmod +x hold
	gen -n 20000 --seed 99 --rate 1000 -o in.pcap
	# 11 MB in about 4 s: each file's hook holds it for about three files' time
	run_fed "hook" 3000000 in.pcap h 'cap.pcap*' -w h/cap.pcap -C 1 --disk-budget 2M -z "$TMP/hold"
	started=$(grep -c '^start' hooks.log)
	gone=$(grep -c '^GONE' hooks.log)
	kept=$(grep -c '^kept' hooks.log)
	[ "$started" -ge 11 ] && [ "$gone" = 0 ] && [ "$kept" = "$started" ] &&
		pass "hook: every file outlived its hook ($kept of $started)" ||
		fail "hook: $started hooks, $kept files kept, $gone deleted under a running hook"
	del=$(retention_field files_deleted err)
	[ -n "$del" ] && [ "$del" -gt 0 ] && pass "hook: files whose hook ended were deleted ($del)" ||
		fail "hook: nothing deleted ('$del')"
	# With every hook done, a restart trims the series to the budget before its first file.
	gen -n 10 --seed 98 --start 1800000000 -o tiny.pcap
	td -r tiny.pcap -w h/cap.pcap -C 1 --disk-budget 2M -v
	within "hook: restart" "$(sizes h 'cap.pcap*')" 2097152 $ONE_FILE
	foreign_intact h "hook"
}

mount_tmpfs() {
	need_root "mounting a tmpfs"
	mkdir mnt
	mount -t tmpfs -o size="$1" tapdump-test mnt 2>/dev/null || skip "cannot mount a tmpfs here"
	CLEANUP="umount '$TMP/mnt'; $CLEANUP"
}

minfree() {
	mount_tmpfs 8m
	foreign mnt
	head -c 1048576 /dev/urandom >mnt/filler
	(cd mnt && md5sum cap.pcap.bak notes.txt filler >"$TMP/foreign.md5")
	gen -n 20000 --seed 97 --rate 1000 -o in.pcap
	for spec in 3M 40%; do
		case $spec in *%) want=$((8388608 * 40 / 100)) ;; *) want=3145728 ;; esac
		find mnt -maxdepth 1 -type f -name 'cap.pcap[0-9]*' -delete
		rm -f mnt/cap.pcap
		# the minimum of the free space while it runs
		("$PCAPCHECK" slowcat 6000000 in.pcap 2>/dev/null | timeout "$LIMIT" "$TAPDUMP" -r - -w mnt/cap.pcap -C 1 --min-free $spec -v 2>err; echo $? >rc) &
		pid=$!
		low=99999999999
		while kill -0 $pid 2>/dev/null; do
			a=$(avail mnt)
			[ "$a" -lt "$low" ] && low=$a
			sleep 0.02
		done
		wait $pid
		[ "$(cat rc)" = 0 ] && pass "--min-free $spec: exit 0" || { fail "--min-free $spec: exit $(cat rc)"; show_err; }
		a=$(avail mnt)
		[ "$a" -ge "$want" ] && pass "--min-free $spec: $a bytes free at the end, at least $want" ||
			fail "--min-free $spec: $a bytes free at the end, wanted $want"
		[ "$low" -ge $((want - ONE_FILE)) ] && pass "--min-free $spec: never under $low bytes free while running" ||
			fail "--min-free $spec: $low bytes free while running, wanted $want"
		w=$(identity_field written err)
		[ "$w" = 20000 ] && pass "--min-free $spec: all 20000 packets written" || fail "--min-free $spec: written '$w'"
	done
	foreign_intact mnt "--min-free"
}

# enospc_run LABEL OUT ARGS...: into the full 4 MiB tmpfs with a 1G budget: exit 0, every packet written
enospc_run() {
	_label=$1 _out=$2
	shift 2
	rm -f mnt/x.pcap* mnt/y.pcap*
	# all of the filesystem is the series' to use: the budget is larger than the disk
	td "$@" -w "mnt/$_out" -C 1 --disk-budget 1G -v
	rc=$?
	[ $rc = 0 ] && pass "$_label: exit 0 on a disk far smaller than the budget" || { fail "$_label: exit $rc"; show_err; }
	w=$(identity_field written err)
	l=$(identity_field lost err)
	[ "$w" = 20000 ] && [ "$l" = 0 ] && pass "$_label: all 20000 packets written, none lost" ||
		fail "$_label: written '$w' lost '$l'"
	del=$(retention_field files_deleted err)
	[ -n "$del" ] && [ "$del" -gt 0 ] && pass "$_label: made room by deleting $del of its own files" ||
		fail "$_label: files_deleted '$del'"
	grep -q 'No space' err && fail "$_label: a write still failed: $(grep -m1 'No space' err)"
	bad=""
	for f in mnt/"$_out"*; do
		case $f in
		*.tdidx) continue ;; # the archive index beside each capture
		*.lz4*) lz4 -dc "$f" >dec.pcap 2>/dev/null && [ -n "$(count dec.pcap)" ] || bad="$bad $f" ;;
		*) [ -n "$(count "$f")" ] || bad="$bad $f" ;;
		esac
	done
	[ -z "$bad" ] && pass "$_label: every file kept is whole" || fail "$_label: broken files:$bad"
}

enospc() {
	mount_tmpfs 4m
	foreign mnt
	gen -n 20000 --seed 96 -o in.pcap
	enospc_run "ENOSPC plain" x.pcap -r in.pcap
	if command -v lz4 >/dev/null 2>&1; then
		gen -n 20000 --seed 95 --payload random -o rand.pcap
		enospc_run "ENOSPC lz4" x.pcap.lz4 -r rand.pcap
	else
		echo "lz4 not found: LZ4 part skipped"
	fi
	# One file, no rotation: nothing of its own to delete, so it stops, and says why.
	rm -f mnt/x.pcap*
	td -r in.pcap -w mnt/y.pcap --disk-budget 1G -v
	rc=$?
	[ $rc = 1 ] && grep -q 'No space left on device (retention: no closed file of this series left to delete)' err &&
		pass "ENOSPC, nothing to delete: exit 1: $(grep -m1 'No space' err)" ||
		{ fail "ENOSPC, nothing to delete: exit $rc"; show_err; }
	# A disk full before the file header: no empty or cut file is left to pass for a damaged capture.
	rm -f mnt/x.pcap* mnt/y.pcap*
	head -c 8388608 /dev/zero >mnt/filler 2>/dev/null
	for out in z.pcap z.pcap.lz4; do
		td -r in.pcap -w "mnt/$out" -v
		rc=$?
		[ $rc = 1 ] && grep -q "^tapdump: mnt/$out: No space left on device$" err && [ ! -e "mnt/$out" ] &&
			pass "full before the header ($out): exit 1, nothing left behind: $(grep -m1 'No space' err)" ||
			{ fail "full before the header ($out): exit $rc, $(ls -l mnt/$out 2>&1)"; show_err; }
	done
	rm -f mnt/filler
	foreign_intact mnt "ENOSPC"
}

# readable FILE: whole and readable by the usual tools (tcpdump -r, lz4 -t; pcapcheck without tcpdump)
readable() {
	case $1 in
	*.lz4*)
		lz4 -t "$1" 2>/dev/null && lz4 -dc "$1" >dec.pcap 2>/dev/null || return 1
		set -- dec.pcap
		;;
	esac
	[ -n "$(count "$1")" ] || return 1
	! command -v tcpdump >/dev/null 2>&1 || tcpdump -r "$1" -w /dev/null 2>/dev/null
}

# wait_gone FILE PID: until FILE has come and gone (retention deleted it: the disk is full) or PID ended
wait_gone() {
	while [ ! -e "$1" ] && kill -0 "$2" 2>/dev/null; do
		sleep 0.05
	done
	while [ -e "$1" ] && kill -0 "$2" 2>/dev/null; do
		sleep 0.05
	done
}

# hog_race LABEL OUT INPUT HOG_BYTES: tapdump writes OUT (-C 1, a budget larger than the disk) from INPUT
# at 4 MB/s; once the disk is full (its first file deleted), another writer takes HOG_BYTES as space comes
# free. Sets RC (tapdump's status) and HOG (the other writer's status). HOG_ARGS: more tapdump options.
HOG_ARGS=
hog_race() {
	_label=$1 _out=$2 _in=$3 _hog=$4
	rm -f mnt/x.pcap* mnt/other.bin
	("$PCAPCHECK" slowcat 4000000 "$_in" 2>/dev/null |
		timeout "$LIMIT" "$TAPDUMP" -r - -w "mnt/$_out" -C 1 --disk-budget 1G -v $HOG_ARGS 2>"$TMP/err"
	echo $? >"$TMP/rc") &
	_pid=$!
	wait_gone "mnt/$_out" $_pid
	kill -0 $_pid 2>/dev/null || fail "$_label: tapdump ended before the disk was full"
	"$PCAPCHECK" hog mnt/other.bin "$_hog" 20 >hog.out
	HOG=$?
	wait $_pid
	RC=$(cat "$TMP/rc")
	"$PCAPCHECK" hog ref.bin "$(cat hog.out)" 5 >/dev/null
	cmp -s ref.bin mnt/other.bin && pass "$_label: the other writer's $(cat hog.out) bytes are untouched" ||
		fail "$_label: the other writer's file changed"
	rm -f ref.bin
}

# Another writer fills the disk while tapdump runs: tapdump frees its own oldest files and goes on;
# with nothing of its own left, it stops with a clear message and intact files.
hog() {
	mount_tmpfs 16m
	foreign mnt
	head -c 2097152 /dev/urandom >mnt/before.bin
	(cd mnt && md5sum cap.pcap.bak notes.txt before.bin >"$TMP/foreign.md5")
	gen -n 60000 --seed 94 -o in.pcap
	hog_race "disk full, plain" x.pcap in.pcap 8388608
	[ "$RC" = 0 ] && pass "disk full, plain: exit 0" || { fail "disk full, plain: exit $RC"; show_err; }
	[ "$HOG" = 0 ] && pass "disk full, plain: the other writer got its 8 MiB" || fail "disk full, plain: hog $HOG"
	w=$(identity_field written err)
	l=$(identity_field lost err)
	[ "$w" = 60000 ] && [ "$l" = 0 ] && pass "disk full, plain: all 60000 packets written, none lost" ||
		fail "disk full, plain: written '$w' lost '$l'"
	del=$(retention_field files_deleted err)
	full=$(retention_field disk_full err)
	[ -n "$del" ] && [ "$del" -gt 0 ] && pass "disk full, plain: $del of its own files deleted ($full writes met a full disk)" ||
		fail "disk full, plain: files_deleted '$del'"
	bad=""
	for f in mnt/x.pcap*; do
		case $f in *.tdidx) continue ;; esac
		readable "$f" || bad="$bad $f"
	done
	[ -z "$bad" ] && pass "disk full, plain: every file kept reads whole" || fail "disk full, plain: broken files:$bad"
	if command -v lz4 >/dev/null 2>&1; then
		gen -n 60000 --seed 93 --payload random -o rand.pcap
		hog_race "disk full, lz4" x.pcap.lz4 rand.pcap 8388608
		[ "$RC" = 0 ] && pass "disk full, lz4: exit 0" || { fail "disk full, lz4: exit $RC"; show_err; }
		w=$(identity_field written err)
		l=$(identity_field lost err)
		[ "$w" = 60000 ] && [ "$l" = 0 ] && pass "disk full, lz4: all 60000 packets written, none lost" ||
			fail "disk full, lz4: written '$w' lost '$l'"
		bad=""
		for f in mnt/x.pcap*; do
			case $f in *.tdidx) continue ;; esac
			readable "$f" || bad="$bad $f"
		done
		[ -z "$bad" ] && pass "disk full, lz4: every file kept reads whole (lz4 -t)" ||
			fail "disk full, lz4: broken files:$bad"
	else
		echo "lz4 not found: LZ4 part skipped"
	fi
	# --direct-io writes whole pages past the page cache: a full disk is relieved the same way.
	HOG_ARGS=--direct-io
	hog_race "disk full, direct-io" x.pcap in.pcap 8388608
	HOG_ARGS=
	[ "$RC" = 0 ] && pass "disk full, direct-io: exit 0" || { fail "disk full, direct-io: exit $RC"; show_err; }
	w=$(identity_field written err)
	l=$(identity_field lost err)
	[ "$w" = 60000 ] && [ "$l" = 0 ] && pass "disk full, direct-io: all 60000 packets written, none lost" ||
		fail "disk full, direct-io: written '$w' lost '$l'"
	bad=""
	for f in mnt/x.pcap*; do
		case $f in *.tdidx) continue ;; esac
		readable "$f" || bad="$bad $f"
	done
	[ -z "$bad" ] && pass "disk full, direct-io: every file kept reads whole" ||
		fail "disk full, direct-io: broken files:$bad"
	# The other writer takes everything: once the series is empty and the disk still full, tapdump stops.
	hog_race "series empty" x.pcap in.pcap 67108864
	[ "$RC" = 1 ] && pass "series empty: exit 1" || { fail "series empty: exit $RC"; show_err; }
	msg=$(grep -m1 'write error' err)
	echo "$msg" | grep -q 'No space left on device (retention: no closed file of this series left to delete)' &&
		[ "$(grep -c 'write error' err)" = 1 ] && pass "series empty: one clear line: $msg" ||
		{ fail "series empty: message '$msg'"; show_err; }
	grep -q MISMATCH err && fail "series empty: identity MISMATCH"
	l=$(identity_field lost err)
	w=$(identity_field written err)
	[ -n "$l" ] && [ -n "$w" ] && pass "series empty: $w written, $l counted lost" || fail "series empty: no counts"
	left=$(ls mnt | grep '^x\.pcap' | grep -v '\.tdidx$')
	n=0
	bad=""
	for f in $left; do
		n=$((n + 1))
		readable "mnt/$f" || bad="$bad $f"
	done
	[ "$n" -le 1 ] && [ -z "$bad" ] && pass "series empty: the last file ($left) is a whole capture" ||
		fail "series empty: files left: $left, broken:$bad"
	foreign_intact mnt "disk full"
}

case $MODE in
budget)
	budget_size
	budget_time
	;;
hook) hook ;;
minfree) minfree ;;
enospc) enospc ;;
hog) hog ;;
*)
	echo "FAIL unknown MODE $MODE"
	exit 1
	;;
esac
finish
