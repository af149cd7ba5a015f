#!/usr/bin/env python3
"""Write the seed corpus of fuzz_read: tiny pcap, pcapng and LZ4-framed captures, and records larger than a block.

    make_read_seeds.py OUTDIR

Every file is built here (no binaries in the tree). LZ4 frames are written by
hand: a header with its xxh32 checksum, then blocks, either stored or one
literal and one long match (enough to make megabytes of zeros in a few KiB).
The last byte of each file is also the harness's option byte (see fuzz_read.c).
"""
import os
import struct
import sys

M32 = 0xFFFFFFFF
P1, P2, P3, P4, P5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393


def rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & M32


def xxh32(data, seed=0):
    """xxHash32, as LZ4 frames checksum their header and content."""
    n, i = len(data), 0
    if n >= 16:
        v = [(seed + P1 + P2) & M32, (seed + P2) & M32, seed, (seed - P1) & M32]
        while i + 16 <= n:
            for k in range(4):
                w = int.from_bytes(data[i + 4 * k:i + 4 * k + 4], "little")
                v[k] = rotl((v[k] + w * P2) & M32, 13) * P1 & M32
            i += 16
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & M32
    else:
        h = (seed + P5) & M32
    h = (h + n) & M32
    while i + 4 <= n:
        h = rotl((h + int.from_bytes(data[i:i + 4], "little") * P3) & M32, 17) * P4 & M32
        i += 4
    while i < n:
        h = rotl((h + data[i] * P5) & M32, 11) * P1 & M32
        i += 1
    h ^= h >> 15
    h = h * P2 & M32
    h ^= h >> 13
    h = h * P3 & M32
    h ^= h >> 16
    return h


def lz4_zero_block(n):
    """An LZ4 block that decodes to n zero bytes: literal 0, a match of offset 1, five literal zeros."""
    assert n >= 13
    out = bytearray()
    mlen = n - 1 - 5 - 4  # match length beyond the minimum of 4
    out.append(0x10 | min(mlen, 15))
    out.append(0)
    out += struct.pack("<H", 1)
    if mlen >= 15:
        rest = mlen - 15
        out += b"\xff" * (rest // 255)
        out.append(rest % 255)
    out.append(0x50)
    out += bytes(5)
    return bytes(out)


def lz4_frame(chunks, content_checksum=False, block_checksum=False):
    """One frame (4 MiB max blocks, independent): chunks are bytes (stored) or ('zeros', n) (compressed)."""
    flg = 0x40 | 0x20 | (0x10 if block_checksum else 0) | (0x04 if content_checksum else 0)
    desc = bytes([flg, 0x70])
    out = bytearray(struct.pack("<I", 0x184D2204) + desc + bytes([(xxh32(desc) >> 8) & 0xFF]))
    content = bytearray()
    for c in chunks:
        if isinstance(c, tuple):
            raw = bytes(c[1])
            data = lz4_zero_block(c[1])
            out += struct.pack("<I", len(data))
        else:
            raw = data = bytes(c)
            out += struct.pack("<I", 0x80000000 | len(data))
        out += data
        if block_checksum:
            out += struct.pack("<I", xxh32(data))
        if content_checksum:
            content += raw
    out += struct.pack("<I", 0)
    if content_checksum:
        out += struct.pack("<I", xxh32(bytes(content)))
    return bytes(out)


def pcap_header(linktype=1, snaplen=262144, magic=0xA1B2C3D4, endian="<", major=2, minor=4):
    return struct.pack(endian + "IHHiIII", magic, major, minor, 0, 0, snaplen, linktype)


def pcap_record(payload, sec=1700000000, frac=0, wirelen=None, endian="<", caplen=None):
    caplen = len(payload) if caplen is None else caplen
    return struct.pack(endian + "IIII", sec, frac, caplen, len(payload) if wirelen is None else wirelen) + payload


def ether(n, seed=0):
    """An Ethernet frame of n bytes: broadcast to a local MAC, ethertype 0x88b5, a counting payload."""
    head = b"\xff" * 6 + bytes([2, 0, 0, 0, 0, seed & 0xFF]) + b"\x88\xb5"
    return (head + bytes((seed + i) & 0xFF for i in range(max(n - len(head), 0))))[:n]


def ng_block(btype, body):
    pad = (-len(body)) % 4
    total = 12 + len(body) + pad
    return struct.pack("<II", btype, total) + body + bytes(pad) + struct.pack("<I", total)


def ng_shb():
    return ng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def ng_idb(linktype=1, snaplen=0, tsresol=None):
    opts = b""
    if tsresol is not None:
        opts = struct.pack("<HH", 9, 1) + bytes([tsresol]) + bytes(3) + struct.pack("<HH", 0, 0)
    return ng_block(1, struct.pack("<HHI", linktype, 0, snaplen) + opts)


def ng_epb(payload, iface=0, ts=1700000000000000):
    body = struct.pack("<IIIII", iface, ts >> 32, ts & M32, len(payload), len(payload)) + payload
    return ng_block(6, body + bytes((-len(payload)) % 4))


def ng_spb(payload, wirelen=None):
    return ng_block(3, struct.pack("<I", len(payload) if wirelen is None else wirelen) + payload)


BIG = 3 << 20  # a record three times the engine's 1 MiB block
DBUS = 231


def seeds():
    small = pcap_header() + b"".join(pcap_record(ether(60 + 37 * i, i), frac=i * 1000) for i in range(4))
    yield "tiny.pcap", small
    # big-endian nanosecond file, a record longer than its snaplen (cut to it on reading)
    yield "nano-swapped.pcap", (pcap_header(snaplen=64, magic=0xA1B23C4D, endian=">") +
                                pcap_record(ether(60), frac=999999999, endian=">") +
                                pcap_record(ether(100, 1), frac=5, endian=">"))
    # pcap 2.3 with len before caplen, and Kuznetzov's 24-byte record headers
    yield "v23.pcap", pcap_header(minor=3) + struct.pack("<IIII", 1, 2, 90, 60) + ether(60)
    yield "kuznetzov.pcap", (pcap_header(magic=0xA1B2CD34) + struct.pack("<IIII", 1, 2, 60, 60) +
                             bytes(8) + ether(60, 3))
    ng = (ng_shb() + ng_idb(tsresol=9) + ng_epb(ether(60)) + ng_spb(ether(64, 2)) +
          ng_block(5, bytes(20)) + ng_epb(ether(1514, 4), ts=1700000000000000001))
    yield "tiny.pcapng", ng
    yield "tiny.pcap.lz4", lz4_frame([small[:40], small[40:]], content_checksum=True)
    # a skippable frame, then the pcapng in two frames (concatenated frames read as one stream)
    yield "skip-ng.pcapng.lz4", (struct.pack("<II", 0x184D2A50, 3) + b"abc" +
                                 lz4_frame([ng[:100]], block_checksum=True) + lz4_frame([ng[100:]]))
    # records larger than a block: D-Bus (link type 231, whose records may reach 128 MiB)
    big_head = pcap_header(linktype=DBUS, snaplen=128 << 20) + struct.pack("<IIII", 1700000000, 0, BIG, BIG)
    yield "dbus-3mib.pcap", big_head + bytes(BIG)
    small_rec = pcap_record(b"\x6c\x01\x00\x01" + bytes(12), sec=1700000001)
    yield "dbus-3mib.pcap.lz4", lz4_frame([big_head, ("zeros", BIG), small_rec])
    ng_big_head = ng_shb() + ng_idb(linktype=DBUS) + struct.pack("<II", 6, 12 + 20 + BIG)
    ng_big_head += struct.pack("<IIIII", 0, 0, 1, BIG, BIG)
    yield "dbus-3mib.pcapng.lz4", lz4_frame([ng_big_head, ("zeros", BIG), struct.pack("<I", 12 + 20 + BIG)])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
