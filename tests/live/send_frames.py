#!/usr/bin/env python3
# Send COUNT Ethernet frames (ethertype 0x88b5, sequence-numbered, varied sizes) out of IFACE; optionally save them as a pcap.
#
#   send_frames.py IFACE COUNT [SENT.pcap]
import socket
import struct
import sys
import time

ifname, count = sys.argv[1], int(sys.argv[2])
save = open(sys.argv[3], 'wb') if len(sys.argv) > 3 else None
if save:
    save.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
total = 0
for i in range(count):
    size = 60 + (i * 37) % 1400
    frame = b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x01' + b'\x88\xb5' + struct.pack('>I', i)
    frame += bytes(size - len(frame))
    total += s.send(frame)
    if save:
        now = time.time()
        save.write(struct.pack('<IIII', int(now), int(now % 1 * 1e6), len(frame), len(frame)) + frame)
    # A short pause every 64 frames keeps a veth (no queue of its own) from dropping on the sender side.
    if i % 64 == 63:
        time.sleep(0.001)
if save:
    save.close()
print('sent %d frames %d bytes' % (count, total))
