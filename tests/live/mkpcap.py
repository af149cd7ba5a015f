#!/usr/bin/env python3
# Write a small Ethernet pcap of varied frame sizes, count records, or compare two captures' records with time stamps masked.
#
#   mkpcap.py write OUT COUNT
#   mkpcap.py count FILE...                          records in all FILEs (LZ4 frames read through `lz4 -dc`)
#   mkpcap.py compare [--unordered|--subset] [--snap N] REF GOT...
#   mkpcap.py stamps REF GOT MIN_DISTINCT_PCT MAX_LAG_MS
#   mkpcap.py order MIN_DISTINCT_PCT GOT...          one queue's stamps: distinct and never going back
#
# compare checks caplen, wire length and captured bytes record by record;
# time stamps are ignored because a replay or a live capture stamps its own.
# --snap N truncates the reference as tapdump -s N does; --unordered
# compares as multisets (several rx queues merge by arrival time, so two
# packets that arrived together may swap); --subset checks that GOT is REF
# with some records missing, in order (a capture that counted drops).
# Several GOT files (a rotated series, in order) are concatenated.
#
# stamps matches GOT's frames to REF's by the sequence number send_frames.py
# puts after the Ethernet header and checks GOT's time stamps: at least
# MIN_DISTINCT_PCT percent distinct (a stamp per frame, not one per burst),
# and none further than MAX_LAG_MS from the sender's own clock reading.
import random
import struct
import subprocess
import sys


def write(path, count):
    rnd = random.Random(7)
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(count):
            size = rnd.randint(60, 1514)
            frame = bytes.fromhex('020000000002020000000001') + b'\x88\xb5'
            frame += struct.pack('>I', i) + bytes(rnd.getrandbits(8) for _ in range(size - 18))
            f.write(struct.pack('<IIII', 1700000000 + i, i, len(frame), len(frame)))
            f.write(frame)


def load(path):
    with open(path, 'rb') as f:
        data = f.read()
    # By magic, not by name: -C appends a number after ".lz4".
    if data[:4] == b'\x04\x22\x4d\x18':
        return subprocess.run(['lz4', '-dc', path], check=True, stdout=subprocess.PIPE).stdout
    return data


def records(path):
    data = load(path)
    if len(data) < 24:
        sys.exit('%s: no pcap header (%d bytes)' % (path, len(data)))
    magic = struct.unpack('<I', data[:4])[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        sys.exit('%s: not a little-endian pcap' % path)
    out = []
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, wirelen = struct.unpack_from('<IIII', data, off)
        off += 16
        if off + caplen > len(data):
            sys.exit('%s: last record cut short' % path)
        out.append((caplen, wirelen, data[off:off + caplen]))
        off += caplen
    if off != len(data):
        sys.exit('%s: %d stray bytes at the end' % (path, len(data) - off))
    return out


def compare(args):
    unordered, subset, snap = False, False, 0
    while args and args[0].startswith('--'):
        if args[0] == '--subset':
            subset = True
            args = args[1:]
        elif args[0] == '--unordered':
            unordered = True
            args = args[1:]
        elif args[0] == '--snap':
            snap = int(args[1])
            args = args[2:]
        else:
            sys.exit('unknown option %s' % args[0])
    a = records(args[0])
    b = [r for path in args[1:] for r in records(path)]
    if snap:
        a = [(min(c, snap), w, d[:snap]) for c, w, d in a]
    if subset:
        rest = iter(a)
        missing = next((i for i, r in enumerate(b) if not any(r == x for x in rest)), None)
        if missing is not None:
            sys.exit('record %d of %d is not in the reference (or out of order)' % (missing, len(b)))
        print('%d records, all in the reference of %d, in order' % (len(b), len(a)))
        return
    if unordered:
        a, b = sorted(a), sorted(b)
    if a != b:
        bad = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        sys.exit('records differ: %d vs %d records, first difference at %d' % (len(a), len(b), bad))
    print('%d records identical' % len(a))


def timed(path):
    """(seconds as a float, frame) per record; micro- or nanosecond pcap."""
    data = load(path)
    magic = struct.unpack('<I', data[:4])[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        sys.exit('%s: not a little-endian pcap' % path)
    div = 1e9 if magic == 0xa1b23c4d else 1e6
    out, off = [], 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack_from('<IIII', data, off)
        off += 16
        out.append((sec + frac / div, data[off:off + caplen]))
        off += caplen
    return out


def stamps(ref, got, min_distinct_pct, max_lag_ms):
    sent = {frame[14:18]: t for t, frame in timed(ref)}
    recs = timed(got)
    if not recs:
        sys.exit('%s: no records' % got)
    lags = []
    for t, frame in recs:
        if frame[14:18] not in sent:
            sys.exit('a captured frame was never sent')
        lags.append(abs(t - sent[frame[14:18]]) * 1000)
    distinct = 100.0 * len(set(t for t, _ in recs)) / len(recs)
    lags.sort()
    print('%d frames: %.1f%% distinct time stamps, lag to the sender median %.3f ms, max %.3f ms' %
          (len(recs), distinct, lags[len(lags) // 2], lags[-1]))
    if distinct < min_distinct_pct:
        sys.exit('fewer than %s%% distinct time stamps' % min_distinct_pct)
    if lags[-1] > max_lag_ms:
        sys.exit('a time stamp is more than %s ms from the sender\'s' % max_lag_ms)


# order: GOT is one queue's capture (a generator's frames, no sequence numbers needed): at least
# MIN_DISTINCT_PCT percent of its time stamps distinct, and none earlier than the one before it.
def exact(path):
    """Time stamps as integer nanoseconds (a float loses the nanoseconds of a 2020s date)."""
    data = load(path)
    mul = 1 if struct.unpack('<I', data[:4])[0] == 0xa1b23c4d else 1000
    out, off = [], 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack_from('<IIII', data, off)
        out.append(sec * 1000000000 + frac * mul)
        off += 16 + caplen
    return out


def order(min_distinct_pct, got):
    for path in got:
        ts = exact(path)
        if not ts:
            sys.exit('%s: no records' % path)
        back = sum(1 for a, b in zip(ts, ts[1:]) if b < a)
        distinct = 100.0 * len(set(ts)) / len(ts)
        print('%s: %d frames: %.1f%% distinct time stamps, %d going back' % (path, len(ts), distinct, back))
        if back:
            sys.exit('%s: time stamps go back' % path)
        if distinct < min_distinct_pct:
            sys.exit('%s: fewer than %s%% distinct time stamps' % (path, min_distinct_pct))


if sys.argv[1] == 'write':
    write(sys.argv[2], int(sys.argv[3]))
elif sys.argv[1] == 'count':
    print(sum(len(records(p)) for p in sys.argv[2:]))
elif sys.argv[1] == 'compare':
    compare(sys.argv[2:])
elif sys.argv[1] == 'stamps':
    stamps(sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]))
elif sys.argv[1] == 'order':
    order(float(sys.argv[2]), sys.argv[3:])
else:
    sys.exit('usage: mkpcap.py write|count|compare|stamps|order ...')
