#!/usr/bin/env python3
"""Write mutated copies of every packet of a capture, for the printer's differential against tcpdump.

Usage: mutate.py [--bytes N] [--offset OFF] [--mode MODE] IN OUT SEED VARIANTS
       mutate.py [options] --outdir DIR SEED VARIANTS IN...

The second form writes DIR/<name of IN> for every IN, each exactly as the first
form would (one process: Python starts slowly on a loaded machine).

Every packet of IN is written VARIANTS times to OUT, each copy with 1 to N
bytes (default 2) at random positions past OFF (default 42: past the Ethernet,
IPv4 and UDP headers of the common case, so most copies still reach the
protocol printers) set to new values. Lengths never change, so a copy keeps
its place in the capture format: a pcap file (either byte order, micro- or
nanosecond) stays pcap, a pcapng file stays pcapng (its Enhanced, Simple and
obsolete Packet blocks repeated, every other block copied once). Packets not
longer than OFF are copied unchanged.

MODE says what a chosen byte becomes:
  random  any value (the default)
  edge    one of 0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff (length and type fields
          at their limits)
  flip    the byte with one random bit flipped
The same SEED, VARIANTS and options always write the same file.

Exit status: 0 written, 3 when an IN is not a pcap or pcapng file (the others
are still written), 2 on usage errors.
"""
import argparse
import os
import random
import struct
import sys

PCAP_MAGICS = {
    b'\xd4\xc3\xb2\xa1': '<',
    b'\x4d\x3c\xb2\xa1': '<',
    b'\xa1\xb2\xc3\xd4': '>',
    b'\xa1\xb2\x3c\x4d': '>',
}
PCAPNG_SHB = 0x0A0D0D0A
EDGE_VALUES = (0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF)


class Mutator:
    """Turns one packet into its variants; one random stream for the whole file."""

    def __init__(self, seed, nbytes, offset, mode):
        self.rng = random.Random(seed)
        self.nbytes = nbytes
        self.offset = offset
        self.mode = mode

    def mutate(self, data):
        b = bytearray(data)
        if len(b) <= self.offset:
            return bytes(b)
        for _ in range(self.rng.randint(1, self.nbytes)):
            i = self.rng.randrange(self.offset, len(b))
            if self.mode == 'edge':
                b[i] = self.rng.choice(EDGE_VALUES)
            elif self.mode == 'flip':
                b[i] ^= 1 << self.rng.randrange(8)
            else:
                b[i] = self.rng.randrange(256)
        return bytes(b)


def mutate_pcap(d, mut, nvar):
    e = PCAP_MAGICS[d[:4]]
    out = [d[:24]]
    off = 24
    while off + 16 <= len(d):
        ts, tu, cap, wire = struct.unpack(e + 'IIII', d[off:off + 16])
        body = d[off + 16:off + 16 + cap]
        off += 16 + cap
        for _ in range(nvar):
            b = mut.mutate(body)
            out.append(struct.pack(e + 'IIII', ts, tu, len(b), wire) + b)
    return b''.join(out)


def mutate_pcapng(d, mut, nvar):
    """Blocks are copied as they are; a packet block is repeated with its data mutated in place."""
    out = []
    off = 0
    e = '<'
    while off + 12 <= len(d):
        btype = struct.unpack('<I', d[off:off + 4])[0]
        if btype == PCAPNG_SHB:
            # the byte-order magic follows the length and decides how this section reads
            e = '<' if d[off + 8:off + 12] == b'\x4d\x3c\x2b\x1a' else '>'
        btype, blen = struct.unpack(e + 'II', d[off:off + 8])
        if blen < 12 or off + blen > len(d):
            break
        block = d[off:off + blen]
        off += blen
        if btype in (6, 2):  # Enhanced Packet, obsolete Packet: 28 bytes of header, then the data
            if blen < 32:
                out.append(block)
                continue
            cap = struct.unpack(e + 'I', block[20:24])[0]
            start, end = 28, min(28 + cap, blen - 4)
        elif btype == 3:  # Simple Packet: the data follows the original length
            start, end = 12, blen - 4
        else:
            out.append(block)
            continue
        for _ in range(nvar):
            out.append(block[:start] + mut.mutate(block[start:end]) + block[end:])
    return b''.join(out)


def mutate_file(src, dst, seed, variants, a):
    with open(src, 'rb') as f:
        d = f.read()
    mut = Mutator(seed, a.bytes, a.offset, a.mode)
    if d[:4] in PCAP_MAGICS and len(d) >= 24:
        out = mutate_pcap(d, mut, variants)
    elif len(d) >= 12 and struct.unpack('<I', d[:4])[0] == PCAPNG_SHB:
        out = mutate_pcapng(d, mut, variants)
    else:
        print('mutate: %s: not a pcap or pcapng file' % src, file=sys.stderr)
        return 3
    with open(dst, 'wb') as f:
        f.write(out)
    return 0


def main():
    p = argparse.ArgumentParser(description='Write mutated copies of every packet of a capture.')
    p.add_argument('--bytes', type=int, default=2, help='at most this many bytes changed per copy (default 2)')
    p.add_argument('--offset', type=int, default=42, help='only bytes past this offset change (default 42)')
    p.add_argument('--mode', choices=('random', 'edge', 'flip'), default='random')
    p.add_argument('--outdir', help='write DIR/<name> for every input: arguments SEED VARIANTS IN...')
    p.add_argument('args', nargs='+', help='IN OUT SEED VARIANTS, or with --outdir SEED VARIANTS IN...')
    a = p.parse_args()
    try:
        if a.outdir:
            seed, variants, inputs = int(a.args[0]), int(a.args[1]), a.args[2:]
            jobs = [(src, os.path.join(a.outdir, os.path.basename(src))) for src in inputs]
        else:
            if len(a.args) != 4:
                raise ValueError
            seed, variants = int(a.args[2]), int(a.args[3])
            jobs = [(a.args[0], a.args[1])]
    except (ValueError, IndexError):
        p.error('expected IN OUT SEED VARIANTS, or --outdir DIR SEED VARIANTS IN...')
    if a.bytes < 1 or a.offset < 0 or variants < 1:
        p.error('--bytes and VARIANTS must be at least 1, --offset at least 0')
    rc = 0
    for src, dst in jobs:
        rc = mutate_file(src, dst, seed, variants, a) or rc
    return rc


if __name__ == '__main__':
    sys.exit(main())
