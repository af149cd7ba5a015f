# Shell helpers the tapdump live tests source: reading the -v accounting table and checking its identity.

# The system python starts in a tenth of the time a version-manager shim takes: senders start on cue.
PY=$(command -v /usr/bin/python3 || command -v python3)

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# The last table in OUT is the one printed at exit (SIGUSR1 prints others while running).

# identity_ok OUT: the exit "identity:" line of tapdump -v holds, summed here rather than trusting its own verdict.
identity_ok() {
	awk '/^identity:/ { found = 1; ok = ($3 == $6 + $9 + $12 + $15 + $19) && !/MISMATCH|in flight/ }
	     END { exit !(found && ok) }' "$1"
}

# ident FIELD OUT: one number from the exit identity line (received, rejected, ring_dropped, written, lost, after).
ident() {
	awk -v f="$1" '/^identity:/ {
		v["received"] = $3; v["rejected"] = $6; v["ring_dropped"] = $9
		v["written"] = $12; v["lost"] = $15; v["after"] = $19 } END { print v[f] }' "$2"
}

# queue_rows OUT: how many per-queue rows the -v table has.
queue_rows() {
	awk '/^queue / { on = 1; n = 0; next } /^writer / { on = 0 } on && $1 ~ /^[0-9]+$/ { n++ } END { print n + 0 }' "$1"
}

# backend_drops OUT: backend_drop + if_drop summed over the queue rows.
backend_drops() {
	awk '/^queue / { on = 1; n = 0; next } /^writer / { on = 0 } on && $1 ~ /^[0-9]+$/ { n += $(NF-1) + $NF } END { print n + 0 }' "$1"
}

# check_accounting NAME OUT: the identity holds and the closing lines agree with the table.
check_accounting() {
	identity_ok "$2" || { cat "$2"; fail "$1: accounting identity does not hold"; }
	cap=$(awk '/ packets captured$/ { n = $1 } END { print n }' "$2")
	[ "$cap" = "$(ident written "$2")" ] || { cat "$2"; fail "$1: 'packets captured' $cap is not the table's written"; }
}
