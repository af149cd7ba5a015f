#!/usr/bin/env python3
# Write a small Ethernet pcap of varied frame sizes, or compare two pcaps' records (ignoring time stamps).
import random
import struct
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


def records(path):
    with open(path, 'rb') as f:
        head = f.read(24)
        magic = struct.unpack('<I', head[:4])[0]
        if magic not in (0xa1b2c3d4, 0xa1b23c4d):
            sys.exit('%s: not a little-endian pcap' % path)
        out = []
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return out
            _, _, caplen, wirelen = struct.unpack('<IIII', rec)
            out.append((caplen, wirelen, f.read(caplen)))


if sys.argv[1] == 'write':
    write(sys.argv[2], int(sys.argv[3]))
elif sys.argv[1] == 'compare':
    a, b = records(sys.argv[2]), records(sys.argv[3])
    if a != b:
        bad = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        sys.exit('records differ: %d vs %d records, first difference at %d' % (len(a), len(b), bad))
    print('%d records identical' % len(a))
