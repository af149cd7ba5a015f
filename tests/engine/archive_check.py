#!/usr/bin/env python3
"""Checks of the archive index (writers/archive_index.h) from outside the C code.

  verify FILE         every entry of FILE.tdidx against a full read of FILE (offsets,
                      times, counts; IPv4 addresses, nets and ports in its summary)
  cut IN OUT SINCE UNTIL
                      the records of pcap IN with SINCE <= time < UNTIL (ns) to OUT
  setdrops SIDECAR ENTRY RING BACKEND
                      rewrite one entry's drop counts (and the checksum)
  entries SIDECAR     print the number of entries
"""
import struct
import subprocess
import sys

HEAD = 32
HEAD_V2 = 56
FIXED = 104
TRAILER = 16
MASK = 0xFFFFFFFF
P1, P2, P3, P4, P5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393


def rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & MASK


def xxh32(data, seed=0):
    n = len(data)
    i = 0
    if n >= 16:
        v = [(seed + P1 + P2) & MASK, (seed + P2) & MASK, seed, (seed - P1) & MASK]
        while i + 16 <= n:
            for k in range(4):
                w = struct.unpack_from('<I', data, i + 4 * k)[0]
                v[k] = (rotl((v[k] + w * P2) & MASK, 13) * P1) & MASK
            i += 16
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & MASK
    else:
        h = (seed + P5) & MASK
    h = (h + n) & MASK
    while i + 4 <= n:
        h = (rotl((h + struct.unpack_from('<I', data, i)[0] * P3) & MASK, 17) * P4) & MASK
        i += 4
    while i < n:
        h = (rotl((h + data[i] * P5) & MASK, 11) * P1) & MASK
        i += 1
    h ^= h >> 15
    h = (h * P2) & MASK
    h ^= h >> 13
    h = (h * P3) & MASK
    h ^= h >> 16
    return h


def parse(side):
    d = open(side, 'rb').read()
    body = struct.unpack_from('<I', d, len(d) - TRAILER)[0]
    assert d[-8:] == b'TDINDEX1' and body == len(d) - TRAILER, 'trailer'
    assert xxh32(d[:body]) == struct.unpack_from('<I', d, len(d) - 12)[0], 'checksum'
    assert d[:4] == b'TDIX'
    version, flags, linktype, bloom, n, data_bytes = struct.unpack_from('<IIIIIQ', d, 4)
    head = HEAD if version == 1 else HEAD_V2
    size = FIXED + bloom
    entries = []
    for i in range(n):
        p = head + i * size
        fo, ro, rl, cnt, fl, mn, mx, ring, backend, skip = struct.unpack_from('<QQQIIqqQQI', d, p)
        entries.append(dict(file_off=fo, raw_off=ro, raw_len=rl, count=cnt, min=mn, max=mx,
                            ring=ring, backend=backend, skip=skip, at=p))
    if version != 1:
        # The head's own checksum, and the file's time bounds: those of its segments.
        assert xxh32(d[:52]) == struct.unpack_from('<I', d, 52)[0], 'head checksum'
        lo, hi = struct.unpack_from('<qq', d, 32)
        full = [e for e in entries if e['count']]
        assert (lo, hi) == ((min(e['min'] for e in full), max(e['max'] for e in full)) if full else
                            (2**63 - 1, -2**63)), 'head time bounds'
    return d, flags, data_bytes, entries


def lz4_blocks(path):
    """(file offset, decoded length) of every block of the file's first LZ4 frame."""
    d = open(path, 'rb').read()
    flg = d[4]
    off = 7 + (8 if flg & 0x08 else 0) + (4 if flg & 0x01 else 0)
    raw = subprocess.run(['lz4', '-dc', path], stdout=subprocess.PIPE, check=True).stdout
    blocks = []
    while True:
        size = struct.unpack_from('<I', d, off)[0]
        if size == 0:
            break
        blocks.append(off)
        off += 4 + (size & 0x7FFFFFFF) + (4 if flg & 0x10 else 0)
    return raw, blocks


def records(raw, nano):
    p = 24
    while p + 16 <= len(raw):
        s, f, c, _ = struct.unpack_from('<IIII', raw, p)
        yield p, s * 10**9 + f * (1 if nano else 1000), 16 + c
        p += 16 + c


M64 = (1 << 64) - 1
KEY_IP4, KEY_IP4_24, KEY_IP4_16, KEY_PORT = 1, 2, 3, 7


def mix64(x):
    x ^= x >> 30
    x = (x * 0xbf58476d1ce4e5b9) & M64
    x ^= x >> 27
    x = (x * 0x94d049bb133111eb) & M64
    return x ^ (x >> 31)


def bloom_has(bloom, kind, val):
    """archive_index.c's bloom_maybe for keys of up to 6 bytes."""
    w = kind << 56 | len(val) << 48
    h = mix64(w ^ int.from_bytes(val, 'little'))
    a, b = h & MASK, (h >> 32) | 1
    bits = len(bloom) * 8
    for i in range(4):
        bit = ((a + i * b) & MASK) % bits
        if not bloom[bit >> 3] & (1 << (bit & 7)):
            return False
    return True


def ip4_keys(pkt):
    """The IPv4 keys of an untagged Ethernet frame: addresses, their /24 and /16, ports of a first fragment."""
    if len(pkt) < 34 or pkt[12:14] != b'\x08\x00' or pkt[14] >> 4 != 4:
        return []
    ip = pkt[14:]
    keys = []
    for a in (ip[12:16], ip[16:20]):
        keys += [(KEY_IP4, a), (KEY_IP4_24, a[:3]), (KEY_IP4_16, a[:2])]
    ihl = (ip[0] & 15) * 4
    if ip[9] in (6, 17, 132) and struct.unpack_from('>H', ip, 6)[0] & 0x1fff == 0 and len(ip) >= ihl + 4:
        keys += [(KEY_PORT, ip[ihl:ihl + 2]), (KEY_PORT, ip[ihl + 2:ihl + 4])]
    return keys


def verify(path):
    side = path + '.tdidx'
    d, flags, data_bytes, entries = parse(side)
    linktype, bloom_len = struct.unpack_from('<II', d, 12)
    keys = 0
    size = len(open(path, 'rb').read())
    assert data_bytes == size, 'data bytes %d != %d' % (data_bytes, size)
    lz4 = open(path, 'rb').read(4) == b'\x04\x22\x4d\x18'
    if lz4:
        raw, blocks = lz4_blocks(path)
        blockset = set(blocks)
    else:
        raw = open(path, 'rb').read()
    recs = list(records(raw, flags & 1))
    starts = {p: (t, n) for p, t, n in recs}
    total = 0
    expect_off = 24
    for i, e in enumerate(entries):
        assert e['raw_off'] == expect_off, 'entry %d raw_off %d, expected %d' % (i, e['raw_off'], expect_off)
        assert e['raw_off'] in starts, 'entry %d does not start on a record' % i
        if lz4:
            assert e['file_off'] in blockset, 'entry %d file_off %d is no block start' % (i, e['file_off'])
        else:
            assert e['file_off'] + e['skip'] == e['raw_off'], 'plain entry %d offset' % i
        p, end, cnt, mn, mx = e['raw_off'], e['raw_off'] + e['raw_len'], 0, None, None
        bloom = d[e['at'] + FIXED:e['at'] + FIXED + bloom_len]
        while p < end:
            t, n = starts[p]
            # No false negative: every key of every packet is in its own segment's summary.
            if linktype == 1:
                for kind, val in ip4_keys(raw[p + 16:p + n]):
                    assert bloom_has(bloom, kind, val), 'entry %d misses key %d %s' % (i, kind, val.hex())
                    keys += 1
            cnt += 1
            mn = t if mn is None else min(mn, t)
            mx = t if mx is None else max(mx, t)
            p += n
        assert p == end, 'entry %d ends inside a record' % i
        assert cnt == e['count'], 'entry %d count %d != %d' % (i, e['count'], cnt)
        assert (mn, mx) == (e['min'], e['max']), 'entry %d times' % i
        total += cnt
        expect_off = end
    assert total == len(recs), 'index counts %d records, file has %d' % (total, len(recs))
    print('%s: %d entries, %d records, %d summary keys, all checked' % (path, len(entries), total, keys))


def cut(src, dst, since, until):
    d = open(src, 'rb').read()
    magic = struct.unpack_from('<I', d, 0)[0]
    nano = magic == 0xa1b23c4d
    out = [d[:24]]
    for p, t, n in records(d, nano):
        if since <= t < until:
            out.append(d[p:p + n])
    open(dst, 'wb').write(b''.join(out))


def setdrops(side, k, ring, backend):
    d, _, _, entries = parse(side)
    d = bytearray(d)
    at = entries[k]['at']
    struct.pack_into('<QQ', d, at + 48, ring, backend)
    body = len(d) - TRAILER
    struct.pack_into('<I', d, body + 4, xxh32(bytes(d[:body])))
    open(side, 'wb').write(d)


def main():
    cmd = sys.argv[1]
    try:
        if cmd == 'verify':
            verify(sys.argv[2])
        elif cmd == 'cut':
            cut(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        elif cmd == 'setdrops':
            setdrops(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        elif cmd == 'entries':
            print(len(parse(sys.argv[2])[3]))
        else:
            sys.exit(__doc__)
    except AssertionError as e:
        print('index check failed: %s' % e)
        sys.exit(1)


if __name__ == '__main__':
    main()
