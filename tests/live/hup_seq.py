#!/usr/bin/env python3
# The sequence numbers send_paced.py puts after the Ethernet header, per file of a series given in order.
#
#   hup_seq.py FILE...   prints "NAME COUNT FIRST LAST" a file (FIRST/LAST "-" when empty), then
#                        "order ok" when the numbers rise strictly across all files, "order BAD ..." otherwise
import os
import struct
import subprocess
import sys


def seqs_of(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] == b'\x04\x22\x4d\x18':  # an LZ4 frame, whatever the name ends with
        data = subprocess.run(['lz4', '-dc', path], check=True, stdout=subprocess.PIPE).stdout
    if len(data) < 24 or struct.unpack('<I', data[:4])[0] not in (0xa1b2c3d4, 0xa1b23c4d):
        sys.exit('%s: not a little-endian pcap' % path)
    out, off = [], 24
    while off + 16 <= len(data):
        caplen = struct.unpack_from('<I', data, off + 8)[0]
        rec = data[off + 16:off + 16 + caplen]
        if len(rec) < caplen:
            sys.exit('%s: last record cut short' % path)
        if rec[12:14] == b'\x88\xb5':
            out.append(struct.unpack_from('>I', rec, 14)[0])
        off += 16 + caplen
    if off != len(data):
        sys.exit('%s: %d stray bytes at the end' % (path, len(data) - off))
    return out


prev = -1
bad = None
for path in sys.argv[1:]:
    seqs = seqs_of(path)
    print(os.path.basename(path), len(seqs), seqs[0] if seqs else '-', seqs[-1] if seqs else '-')
    for s in seqs:
        if s <= prev and bad is None:
            bad = '%s: %d after %d' % (os.path.basename(path), s, prev)
        prev = s
print('order ok' if bad is None else 'order BAD ' + bad)
