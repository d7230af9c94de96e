#!/usr/bin/python3
"""Bring up one topology, register it with a running Weft, run the checks, tear everything down.

    sudo /usr/bin/python3 test-topologies/check.py --topo redgreen --weft http://127.0.0.1:8080
    sudo /usr/bin/python3 test-topologies/check.py --topo mesh,hosts=6,containers=3,networks=2

Checks: announce, connectivity (every pair inside each network), isolation (no ping or neighbour entry across
networks), deprovision (DELETE an endpoint: pings to it fail, its MAC/IP gone from every host's flows, its port
gone from br-int), reprovision, vswitchd-restart (h1), link-flap (an underlay link down: pings stop; up: they
come back). Prints a table and a last line `RESULT <topo>: N passed, M failed`; exits 1 on any failure.
Everything is torn down and unregistered on exit, also on errors and SIGINT/SIGTERM/SIGHUP.
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
from weftcheck.probe import Outcome  # noqa: E402
from weftcheck.registration import Registration, plan  # noqa: E402
from weftcheck.rest import DEFAULT_URL, Weft  # noqa: E402
from weftbed.topologies import named  # noqa: E402

ALL = ['connectivity', 'isolation', 'deprovision', 'reprovision', 'vswitchd-restart', 'link-flap']


class Stop(Exception):
    pass


def on_signal(signum, _frame):
    raise Stop('signal %d' % signum)


def table(topo, outcomes):
    rows = [('check', 'pairs', 'passed', 'failed', 'converge s', 'note')]
    rows += [(o.name, str(o.pairs), str(o.passed), str(o.failed), '%.2f' % o.seconds, o.note) if o.applicable
             else (o.name, '-', '-', '-', '-', o.note) for o in outcomes]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ['== %s' % topo]
    for r in rows:
        lines.append('  '.join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(5))
                     + ('  ' + r[5] if r[5] else ''))
    return '\n'.join(lines)


def run(args, outcomes):
    spec = named(args.topo)
    weft = Weft(args.weft)
    if not weft.reachable():
        raise SystemExit('check: Weft is not answering at %s/api/v1/health: start `bin/weft controller` '
                         'or pass --weft URL' % args.weft)
    started = time.time()
    bed = Bed(spec)
    reg = None
    try:
        bed.up()
        up_s = time.time() - started
        reg = Registration(weft, plan(bed.net, spec))
        started_up = reg.announce_and_warm(bed.net, spec)
        installed_ms, _ = reg.weft_share()
        n = sum(len(v) for v in reg.plan.values())
        outcomes.append(Outcome('announce', n, n - len(started_up.pending), len(started_up.pending),
                                started_up.announce_s, 'bed up %.1fs, Weft installedInMs total %.0f, underlay '
                                'warm-up %.1fs' % (up_s, installed_ms, started_up.warm_s)))
        for p in started_up.pending:
            print('  pending: %s' % p)
        checks = Checks(bed, reg, timeout=args.timeout, diag_dir=args.diag)
        wanted = args.checks.split(',') if args.checks else ALL
        victim = checks.victim()
        baseline_ok = True
        for name in wanted:
            if not baseline_ok and name in ('isolation', 'reprovision', 'vswitchd-restart', 'link-flap'):
                # Each would only wait out its timeout: count it as failed and keep the run short.
                outcomes.append(Outcome(name, 0, 0, 0, 0.0, 'not run: connectivity failed first'))
                print('  %-16s not run: connectivity failed first' % name, flush=True)
                continue
            if name == 'connectivity':
                outcomes.append(checks.connectivity())
            elif name == 'isolation':
                outcomes.append(checks.isolation())
            elif name == 'deprovision':
                outcomes.append(checks.deprovision(victim))
            elif name == 'reprovision':
                outcomes.append(checks.reprovision(victim))
            elif name == 'vswitchd-restart':
                outcomes.append(checks.vswitchd_restart(spec['hosts'][0]['name']))
            elif name == 'link-flap':
                outcomes.append(checks.link_flap())
            else:
                raise SystemExit('unknown check %r (known: %s)' % (name, ', '.join(ALL)))
            o = outcomes[-1]
            if name == 'connectivity' and not o.ok:
                baseline_ok = False
            if not o.applicable:
                print('  %-16s %s' % (o.name, o.note), flush=True)
                continue
            print('  %-16s %s (%d/%d, %.2fs)' % (o.name, 'ok' if o.ok else 'FAILED', o.passed, o.pairs, o.seconds),
                  flush=True)
        print('  total %.1fs from start' % (time.time() - started))
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        if reg is not None:
            for e in reg.withdraw():
                print('  withdraw: %s' % e)
        bed.down()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--topo', required=True, help="twosites | redgreen | routed | mesh,hosts=N,containers=M,"
                                                      "networks=K")
    parser.add_argument('--weft', default=os.environ.get('WEFT_URL', DEFAULT_URL), help='Weft REST base URL '
                        '(default $WEFT_URL or %s)' % DEFAULT_URL)
    parser.add_argument('--timeout', type=float, default=30.0, help='seconds each check may take to converge')
    parser.add_argument('--checks', help='comma-separated subset of: ' + ','.join(ALL))
    parser.add_argument('--diag', help='directory for OVS state dumps of failed checks')
    args = parser.parse_args()
    setLogLevel(os.environ.get('WEFTBED_LOG', 'warning'))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    outcomes = []
    error = None
    try:
        run(args, outcomes)
    except Stop as e:
        error = 'stopped by %s' % e
    except SystemExit:
        raise
    except Exception as e:  # the bed is down already (finally in run); report and count it
        error = '%s: %s' % (type(e).__name__, e)
    if error:
        outcomes.append(Outcome('error', 1, 0, 1, 0.0, error))
    print(table(args.topo, outcomes))
    failed = sum(not o.ok for o in outcomes)
    passed = sum(o.ok and o.applicable for o in outcomes)   # a check that does not apply is neither
    print('RESULT %s: %d passed, %d failed' % (args.topo, passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
