"""A container's first packets from its eth0 with a raw socket, steered over stdin, so they leave within a fraction
of a millisecond of the command (no process start between a reply and the container's first packet).

    /usr/bin/python3 -S arp-probe.py IFACE MAC IP TARGET_IP

  in  `one T`     one ARP request for TARGET_IP, then (answered) one ICMP echo to it; out `answered ARP_MS ECHO_MS`
                  (each reply's delay), or `lost arp` / `lost echo` when a reply did not come within T seconds
  in  `spam S`    send an ARP request every millisecond for S seconds; out `spammed N`
"""

import select
import socket
import struct
import sys
import time

iface, mac, ip, target = sys.argv[1:5]
MAC = bytes.fromhex(mac.replace(':', ''))
IP, TARGET = socket.inet_aton(ip), socket.inet_aton(target)
REQUEST = (b'\xff' * 6 + MAC + b'\x08\x06' + struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + MAC + IP + b'\0' * 6
           + TARGET).ljust(60, b'\0')
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
sock.bind((iface, 0x0003))


def checksum(data):
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def echo(dst_mac, seq):
    icmp = struct.pack('!BBHHH', 8, 0, 0, 0x5746, seq) + b'weft-first-packet'
    icmp = icmp[:2] + struct.pack('!H', checksum(icmp + b'\0')) + icmp[4:]
    ip_header = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp), seq, 0x4000, 64, 1, 0, IP, TARGET)
    ip_header = ip_header[:10] + struct.pack('!H', checksum(ip_header)) + ip_header[12:]
    return dst_mac + MAC + b'\x08\x00' + ip_header + icmp


def drain():
    while select.select([sock], [], [], 0)[0]:
        sock.recv(2048)


def arp_reply(p):
    return p[12:14] == b'\x08\x06' and p[20:22] == b'\x00\x02' and p[28:32] == TARGET


def echo_reply(p):
    return p[12:14] == b'\x08\x00' and p[23] == 1 and p[26:30] == TARGET and p[34] == 0 and p[38:40] == b'WF'


def awaited(deadline, wanted):
    """The first frame `wanted` accepts before the deadline, or None."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            return None
        p = sock.recv(2048)
        if wanted(p):
            return p


print('ready', flush=True)
seq = 0
for line in sys.stdin:
    word, arg = line.split()
    if word == 'one':
        drain()
        t0 = time.monotonic()
        sock.send(REQUEST)
        reply = awaited(t0 + float(arg), arp_reply)
        if reply is None:
            print('lost arp', flush=True)
            continue
        t1 = time.monotonic()
        seq += 1
        sock.send(echo(reply[22:28], seq))
        if awaited(t1 + float(arg), echo_reply) is None:
            print('lost echo', flush=True)
            continue
        print('answered %.3f %.3f' % ((t1 - t0) * 1000, (time.monotonic() - t1) * 1000), flush=True)
    elif word == 'spam':
        end, n = time.monotonic() + float(arg), 0
        while time.monotonic() < end:
            sock.send(REQUEST)
            n += 1
            time.sleep(0.001)
        drain()
        print('spammed %d' % n, flush=True)
