#!/usr/bin/python3
"""The BENCHMARKS.md figure of issue 6: `mesh,hosts=N,containers=10` for each N, time from start (Mininet
build) to every same-network pair answering a ping, and Weft's share of it reported separately.

    sudo /usr/bin/python3 test-topologies/bench_mesh.py --weft http://127.0.0.1:8080 --hosts 4,8,16
    sudo /usr/bin/python3 test-topologies/bench_mesh.py --weft http://127.0.0.1:8080 --tiny   # proves it works

Weft's share: the REST announce of hosts, networks and endpoints, each with ?wait=true, so each reply comes
once the change is acknowledged by every host; `installedInMs` is Weft's own measure of that (summed), `REST s`
the wall time of all those calls. Pairs are unordered (one ping per pair; a reply proves both directions).
"""

import argparse
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'src', 'main', 'python'))

from mininet.log import setLogLevel  # noqa: E402

from weftbed.bed import Bed  # noqa: E402
from weftcheck.checks import Checks  # noqa: E402
from weftcheck.probe import poll_pings  # noqa: E402
from weftcheck.registration import Registration, plan  # noqa: E402
from weftcheck.rest import DEFAULT_URL, Weft  # noqa: E402
from weftbed.topologies import named  # noqa: E402


class Stop(Exception):
    pass


def on_signal(signum, _frame):
    raise Stop('signal %d' % signum)


def one(weft, hosts, containers, networks, timeout):
    topo = 'mesh,hosts=%d,containers=%d,networks=%d' % (hosts, containers, networks)
    spec = named(topo)
    started = time.time()
    bed = Bed(spec)
    reg = None
    try:
        bed.up()
        up = time.time() - started
        reg = Registration(weft, plan(bed.net, spec))
        started_up = reg.announce_and_warm(bed.net, spec)
        installed_ms = [x[3] for x in reg.timings if x[3] is not None]
        checks = Checks(bed, reg, timeout=timeout)
        pairs = checks.same_network_pairs(unordered=True)
        t = time.time()
        passed, failed, _ = poll_pings(bed.net, pairs, True, timeout)
        ping_s = time.time() - t
        total = time.time() - started
        per_kind = {}
        for kind, _, _, ms, _ in reg.timings:
            per_kind.setdefault(kind, []).append(ms or 0)
        kinds = ', '.join('%s median %.0f / max %.0f ms' % (k, sorted(v)[len(v) // 2], max(v)) for k, v in per_kind.items())
        return {'kinds': kinds, 'topo': topo, 'hosts': hosts, 'containers': hosts * containers, 'pairs': len(pairs),
                'failed': len(failed), 'pending': len(started_up.pending), 'bed_up_s': up,
                'rest_s': started_up.announce_s,
                'installed_ms_sum': sum(installed_ms), 'installed_ms_max': max(installed_ms or [0]),
                'writes': len(reg.timings), 'warm_s': started_up.warm_s, 'ping_s': ping_s, 'total_s': total}
    finally:
        if reg is not None:
            reg.withdraw()
        bed.down()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--weft', default=os.environ.get('WEFT_URL', DEFAULT_URL))
    parser.add_argument('--hosts', default='4,8,16', help='comma-separated host counts')
    parser.add_argument('--containers', type=int, default=10, help='containers per host')
    parser.add_argument('--networks', type=int, default=2)
    parser.add_argument('--timeout', type=float, default=120.0, help='seconds for all pings to pass')
    parser.add_argument('--tiny', action='store_true', help='2 hosts, 2 containers each: proves the bench works')
    args = parser.parse_args()
    if args.tiny:
        args.hosts, args.containers = '2', 2
    setLogLevel(os.environ.get('WEFTBED_LOG', 'warning'))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    weft = Weft(args.weft)
    if not weft.reachable():
        raise SystemExit('bench: Weft is not answering at %s' % args.weft)
    rows = []
    try:
        for n in [int(x) for x in args.hosts.split(',')]:
            r = one(weft, n, args.containers, args.networks, args.timeout)
            rows.append(r)
            print('%(topo)s: %(pairs)d pairs, %(failed)d failed, bed up %(bed_up_s).1fs, announce %(rest_s).2fs '
                  '(installedInMs sum %(installed_ms_sum).0f, max %(installed_ms_max).1f over %(writes)d writes), '
                  'underlay warm-up %(warm_s).1fs, pings %(ping_s).1fs, total %(total_s).1fs\n  installedInMs: %(kinds)s' % r,
                  flush=True)
    except Stop:
        print('bench: stopped')
    print('\n| hosts | containers | pairs | failed | bed up (s) | Weft: REST announce, wait=true (s) '
          '| Weft: sum installedInMs | underlay warm-up (s) | pings (s) | start to all pings (s) |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for r in rows:
        print('| %(hosts)d | %(containers)d | %(pairs)d | %(failed)d | %(bed_up_s).1f | %(rest_s).2f | '
              '%(installed_ms_sum).0f | %(warm_s).1f | %(ping_s).1f | %(total_s).1f |' % r)
    return 1 if any(r['failed'] or r['pending'] for r in rows) or len(rows) == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
