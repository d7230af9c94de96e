"""An ICMP echo prober, run inside a container's namespace: one echo request every INTERVAL seconds to TARGET
through the container's own IP stack (so ARP is the kernel's, tuned with its neighbour sysctls), every send
and every reply time-stamped with CLOCK_MONOTONIC, which all network namespaces share, so the times compare
with the caller's time.monotonic().

    /usr/bin/python3 -S prober.py TARGET [INTERVAL] [QUIET]

Talks over stdin/stdout, one line each:
  out `ready`             the socket is open; nothing is sent yet
  in  `go`                start sending (a send that fails, e.g. an unresolved neighbour, is counted and retried)
  in  `interval=S`        send every S seconds from now on
  out `paced T`           the first reply to an echo sent at the new interval arrived at T
  out `first T`           the first reply arrived at T
  out `quiet T`           no reply for QUIET seconds (default 0.5) since the last one, at T; said once per silence
  in  `stop` (or EOF)     print {"sent": [[seq, t]...], "replies": [[seq, t]...], "errors": n} and exit
"""

import json
import os
import select
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def echo(ident, seq):
    payload = b'weft-bench-probe'
    header = struct.pack('!BBHHH', 8, 0, 0, ident, seq)
    return struct.pack('!BBHHH', 8, 0, checksum(header + payload), ident, seq) + payload


def main():
    target = sys.argv[1]
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
    quiet = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.setblocking(False)
    ident = os.getpid() & 0xffff
    stdin = sys.stdin.fileno()
    out = sys.stdout
    sent, replies = [], []
    errors = 0
    sending = False
    next_send = 0.0
    last_reply = None
    said_quiet = False
    paced_from = None  # the first echo sent after an interval change, until one of its kind is answered
    out.write('ready\n')
    out.flush()
    while True:
        now = time.monotonic()
        if sending and now >= next_send:
            seq = len(sent) & 0xffff
            try:
                sock.sendto(echo(ident, seq), (target, 0))
            except OSError:
                errors += 1
            sent.append([len(sent), time.monotonic()])
            next_send = max(next_send + interval, now)
        if last_reply is not None and not said_quiet and now - last_reply >= quiet:
            said_quiet = True
            out.write('quiet %.6f\n' % now)
            out.flush()
        timeout = max(0.0, next_send - time.monotonic()) if sending else None
        if last_reply is not None and not said_quiet:
            wake = last_reply + quiet - time.monotonic()
            timeout = max(0.0, wake) if timeout is None else min(timeout, max(0.0, wake))
        readable, _, _ = select.select([sock, stdin], [], [], timeout)
        if sock in readable:
            while True:
                try:
                    packet = sock.recv(2048)
                except BlockingIOError:
                    break
                t = time.monotonic()
                ihl = (packet[0] & 0x0f) * 4
                kind, _, _, rid, rseq = struct.unpack('!BBHHH', packet[ihl:ihl + 8])
                if kind != 0 or rid != ident or socket.inet_ntoa(packet[12:16]) != target:
                    continue
                # seq numbers wrap at 65536; map back to the newest send with that number
                number = len(sent) - 1 - ((len(sent) - 1 - rseq) & 0xffff)
                replies.append([number, t])
                if paced_from is not None and number >= paced_from:
                    paced_from = None
                    out.write('paced %.6f\n' % t)
                    out.flush()
                if last_reply is None:
                    out.write('first %.6f\n' % t)
                    out.flush()
                last_reply = t
                said_quiet = False
        if stdin in readable:
            chunk = os.read(stdin, 4096)
            commands = chunk.decode().split() if chunk else ['stop']
            for command in commands:
                if command == 'go' and not sending:
                    sending = True
                    next_send = time.monotonic()
                elif command.startswith('interval='):
                    interval = float(command.split('=', 1)[1])
                    next_send = min(next_send, time.monotonic() + interval)
                    paced_from = len(sent)
                elif command == 'stop':
                    out.write(json.dumps({'sent': sent, 'replies': replies, 'errors': errors}) + '\n')
                    out.flush()
                    return


if __name__ == '__main__':
    main()
