#!/usr/bin/env python3
"""Write fuzz_print seeds: the first packets of pcap captures, each behind the harness's 4-byte header.

Usage: make_print_seeds.py OUTDIR CAPTURE...   (pcap files; other formats are skipped)

The header is fuzz_print.c's: [0] index into its link type table, [1] flags
(0x10: -vv), [2] 0 (no dump, default time stamps), [3] 0 (wire length equal
to the captured length). tests/fuzz/seeds_print holds what this made from
the tap-protocols captures of the shared corpus (pcapng ones converted to
pcap first) and from small hand-built captures (tap-*) that reach decoder
branches the corpus does not: LDP over TCP, PIM hello and join/prune, every
OSPF packet and LSA type, OpenFlow messages, IS-IS IIH/LSP/CSNP/PSNP,
SNMP v1/v2c/v3 PDUs, MPLS label stacks (also inside GRE), PPP control
protocols in PPPoE sessions and PPTP GRE, BGP messages of every type,
OSPFv3 packets and LSAs, EAPOL/EAP, sFlow counter samples, RADIUS
attribute kinds, GRE flag combinations and LDP over TCP.
"""
import os
import struct
import sys

# fuzz_print.c's link_types[] order, by pcap link type number
LINK_INDEX = {1: 0, 113: 1, 276: 2, 0: 3, 108: 4, 101: 5, 228: 6, 229: 7, 9: 8, 239: 9, 104: 10, 178: 11}
PACKETS_PER_FILE = 3
MAX_PACKET = 2044  # make test runs libFuzzer with -max_len=2048


def packets(path):
    with open(path, 'rb') as f:
        head = f.read(24)
        if len(head) < 24:
            return None, []
        magic = head[:4]
        if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
            end = '<'
        elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
            end = '>'
        else:
            return None, []
        linktype = struct.unpack(end + 'I', head[20:24])[0] & 0x0fffffff
        out = []
        while len(out) < PACKETS_PER_FILE:
            rec = f.read(16)
            if len(rec) < 16:
                break
            caplen = struct.unpack(end + 'I', rec[8:12])[0]
            data = f.read(caplen)
            if len(data) < caplen:
                break
            out.append(data[:MAX_PACKET])
        return linktype, out


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for path in sys.argv[2:]:
        linktype, pkts = packets(path)
        if linktype not in LINK_INDEX:
            continue
        base = os.path.splitext(os.path.basename(path))[0]
        for i, data in enumerate(pkts):
            with open(os.path.join(outdir, '%s-%d' % (base, i)), 'wb') as f:
                f.write(bytes([LINK_INDEX[linktype], 0x10, 0, 0]) + data)


if __name__ == '__main__':
    main()
