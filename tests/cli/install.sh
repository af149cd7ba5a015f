#!/bin/sh
# tests/cli/install.sh: `meson install` into a temporary DESTDIR puts the binary, tapdump.8, the unit and the example
# config where a capture box expects them, and the installed binary runs.
#
# Usage: install.sh BUILD_DIR TDGEN. Installs with --no-rebuild: the build
# is the one the test suite runs against.
BUILD=$1
TDGEN=$2
TEST=install
. "$(dirname "$0")/../report.sh"
command -v meson >/dev/null 2>&1 || skip "meson not found"
[ -f "$BUILD/build.ninja" ] || { echo "FAIL not a meson build directory: $BUILD"; exit 1; }
dest=$(mktemp -d) || exit 1
trap 'rm -rf "$dest"' EXIT

meson install -C "$BUILD" --no-rebuild --destdir "$dest" >"$dest.log" 2>&1
rc=$?
[ $rc = 0 ] && pass "meson install --destdir: exit 0" || { sed 's/^/     /' "$dest.log"; fail "meson install: exit $rc"; }
rm -f "$dest.log"

# prefix and sysconfdir as configured (a relative sysconfdir is under the prefix; /usr gives /etc).
opt() { meson introspect --buildoptions "$BUILD" | tr '{' '\n' | grep "\"name\": \"$1\"" | sed 's/.*"value": "\([^"]*\)".*/\1/'; }
prefix=$(opt prefix)
bindir=$(opt bindir)
sysconfdir=$(opt sysconfdir)
mandir=$(opt mandir)
case $bindir in /*) ;; *) bindir=$prefix/$bindir ;; esac
case $sysconfdir in /*) ;; *) sysconfdir=$prefix/$sysconfdir ;; esac
case $mandir in /*) ;; *) mandir=$prefix/$mandir ;; esac
[ -n "$prefix" ] || { echo "FAIL cannot read the prefix from meson introspect"; exit 1; }

bin=$dest$bindir/tapdump
for f in "$bin" "$dest$mandir/man8/tapdump.8" "$dest$prefix/lib/systemd/system/tapdump@.service" \
	"$dest$sysconfdir/tapdump/tapdump.conf.example"; do
	[ -f "$f" ] && pass "installed: ${f#"$dest"}" || fail "not installed: ${f#"$dest"}"
done
# Nothing outside DESTDIR: everything installed lies under it (meson's log lists the files).
outside=$(grep -v "^$dest" "$BUILD/meson-logs/install-log.txt" 2>/dev/null | grep -v '^#')
[ -z "$outside" ] && pass "every installed file is under DESTDIR" || fail "installed outside DESTDIR: $outside"

# The unit runs the installed binary and reads the configs under the installed sysconfdir.
unit=$dest$prefix/lib/systemd/system/tapdump@.service
grep -q "^ExecStart=$bindir/tapdump -i %I --config $sysconfdir/tapdump/%I.conf\$" "$unit" &&
	pass "unit: ExecStart=$bindir/tapdump ... --config $sysconfdir/tapdump/%I.conf" ||
	fail "unit: ExecStart is $(grep '^ExecStart=' "$unit")"

# The installed binary runs: --version, and a small -r/-w whose output reads back.
ver=$("$bin" --version 2>&1) && echo "$ver" | grep -q '^tapdump version ' && pass "installed tapdump --version: $(echo "$ver" | head -1)" ||
	fail "installed tapdump --version: $ver"
"$TDGEN" -n 200 --seed 3 -o "$dest/in.pcap" >/dev/null 2>&1 || { echo "FAIL tdgen"; exit 1; }
"$bin" -r "$dest/in.pcap" -w "$dest/out.pcap" 2>/dev/null && cmp -s "$dest/in.pcap" "$dest/out.pcap" &&
	pass "installed tapdump -r in.pcap -w out.pcap: the same bytes" || fail "installed tapdump -r/-w"
lines=$("$bin" -nn -r "$dest/out.pcap" 2>/dev/null | wc -l)
[ "$lines" = 200 ] && pass "installed tapdump -nn -r: 200 lines" || fail "installed tapdump -nn -r: $lines lines"
# The man page is readable by man(1).
if command -v man >/dev/null 2>&1; then
	man -l "$dest$mandir/man8/tapdump.8" 2>/dev/null | grep -q 'tapdump' && pass "man -l reads the installed page" ||
		fail "man -l cannot read the installed page"
fi
finish
