#!/usr/bin/env python3
"""Client-side outage probe for the failover benchmarks: ICMP echo requests to TARGET every INTERVAL
seconds for DURATION seconds, whether or not replies come (iputils ping slows to one probe every
10 ms while its echoes go unanswered), then prints the longest gap between two echo replies in
milliseconds, or "fail" without any reply. Needs root (a raw socket); run it inside the lab's client
namespace. Bounded: it stops after DURATION whatever happens.

    probe.py TARGET [DURATION=4] [INTERVAL=0.002]
"""
import os
import select
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def main():
    target = sys.argv[1]
    duration = float(sys.argv[2]) if len(sys.argv) > 2 else 4.0
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.002
    ident = os.getpid() & 0xFFFF
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    start = time.monotonic()
    end = start + duration
    next_send = start
    seq = 0
    replies = []
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if now >= next_send:
            seq = (seq + 1) & 0xFFFF
            header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
            payload = b"karp-probe"
            packet = struct.pack("!BBHHH", 8, 0, checksum(header + payload), ident, seq) + payload
            try:
                sock.sendto(packet, (target, 0))
            except OSError:
                pass  # no route or neighbour yet: the gap shows it
            next_send += interval
            continue
        ready, _, _ = select.select([sock], [], [], max(0.0, min(next_send, end) - now))
        if ready:
            data = sock.recv(2048)
            received = time.monotonic()
            ihl = (data[0] & 0x0F) * 4
            kind, _, _, rid, _ = struct.unpack("!BBHHH", data[ihl:ihl + 8])
            if kind == 0 and rid == ident:
                replies.append(received)
    if not replies:
        print("fail")
        return
    gaps = [b - a for a, b in zip(replies, replies[1:])]
    print("%.0f" % (max(gaps) * 1000 if gaps else 0))


if __name__ == "__main__":
    main()
