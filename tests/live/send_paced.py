#!/usr/bin/env python3
# Send sequence-numbered Ethernet frames (ethertype 0x88b5) out of IFACE at about RATE a second for SECONDS, then stop.
#
#   send_paced.py IFACE SECONDS RATE [GROUP]
#
# Frames go out in groups of GROUP (default 20) between waits for the schedule.
import socket
import struct
import sys
import time

ifname, seconds, rate = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
group = int(sys.argv[4]) if len(sys.argv) > 4 else 20
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
start = time.monotonic()
sent = 0
# Bounded in time and count: at most SECONDS x RATE frames.
while sent < seconds * rate:
    frame = b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x01' + b'\x88\xb5' + struct.pack('>I', sent)
    frame += bytes(60 + sent % 200 - len(frame))
    s.send(frame)
    sent += 1
    # Every GROUP frames, wait for the schedule: smooth enough for -G 1 slices.
    if sent % group == 0:
        ahead = sent / rate - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)
print('sent %d frames' % sent)
