#!/usr/bin/python3
"""Stock Mininet topologies on plain OpenFlow switches, forwarded by a running Weft (issue 13).

    sudo /usr/bin/python3 test-topologies/plain_check.py --weft http://127.0.0.1:8080 --openflow 127.0.0.1:6653

Each topology (single,3  linear,3  tree,2,2  torus,3,3 by default, --topos to choose) is built from Mininet's own
topology classes with OVSSwitch (datapath=user, OpenFlow13, fail-mode secure) and Weft as the remote controller.
Checks: discovery (GET /api/v1/topology shows every switch and link and no port still probing), pingall (0% loss);
on topologies with loops also link-down (a switch-to-switch link down: it leaves the topology, then pingall 0%)
and link-up (back in the topology, pingall 0%). Every wait is a bounded poll (--timeout); no timing is asserted.

The switches live in an Open vSwitch of this script's own (ovsdb-server and ovs-vswitchd in the root namespace with
their files in a temp dir, OVS_RUNDIR pointing there), never in the system's, and every switch and host name carries
a prefix no interface on the machine has, so other Mininet runs do not collide. Prints `RESULT plain: N passed,
M failed`; exits 1 on any failure. Everything is removed on exit, also on errors and SIGINT/SIGTERM/SIGHUP.
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from functools import partial

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'src', 'main', 'python'))

from mininet.log import setLogLevel  # noqa: E402
from mininet.net import Mininet  # noqa: E402
from mininet.node import OVSSwitch, RemoteController  # noqa: E402
from mininet.topo import LinearTopo, SingleSwitchTopo  # noqa: E402
from mininet.topolib import TorusTopo, TreeTopo  # noqa: E402

from weftcheck.probe import poll  # noqa: E402
from weftcheck.rest import Weft  # noqa: E402

OVS_HOST = os.path.join(HERE, 'src', 'main', 'python', 'weftbed', 'ovs-host.sh')
TOPOLOGIES = {
    'single,3': (SingleSwitchTopo, dict(k=3)),
    'linear,3': (LinearTopo, dict(k=3)),
    'tree,2,2': (TreeTopo, dict(depth=2, fanout=2)),
    'torus,3,3': (TorusTopo, dict(x=3, y=3)),
}


class Stop(Exception):
    pass


def on_signal(signum, _frame):
    raise Stop('signal %d' % signum)


def free_prefix():
    """Two letters and two digits that start no interface name on the machine."""
    names = subprocess.run(['ip', '-o', 'link', 'show'], capture_output=True, text=True).stdout
    for _ in range(100):
        prefix = 'wp%02d' % random.randrange(100)
        if (': ' + prefix) not in names:
            return prefix
    raise RuntimeError('no free interface name prefix')


def prefixed(topo_class, prefix, dpid_base):
    """topo_class with every node name prefixed and datapath ids from dpid_base up."""
    class Prefixed(topo_class):
        def addSwitch(self, name, **opts):
            opts['dpid'] = '%x' % (dpid_base + len(self.switches()) + 1)
            return super().addSwitch(prefix + name, **opts)

        def addHost(self, name, **opts):
            return super().addHost(prefix + name, **opts)
    return Prefixed


class OwnOvs:
    """ovsdb-server and ovs-vswitchd of our own in the root namespace; Mininet's ovs-vsctl calls reach it through
    OVS_RUNDIR (its default database socket and the bridges' .mgmt sockets live there)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='weft-plain-')
        for step in ('start-ovsdb', 'start-vswitchd'):
            done = subprocess.run(['sh', OVS_HOST, step, self.dir], capture_output=True, text=True)
            if done.returncode != 0:
                self.close()
                raise RuntimeError('ovs-host.sh %s failed: %s' % (step, done.stderr.strip()))
        for var in ('OVS_RUNDIR', 'OVS_LOGDIR', 'OVS_DBDIR'):
            os.environ[var] = self.dir

    def close(self):
        subprocess.run(['sh', OVS_HOST, 'stop', self.dir], check=False, capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class Results:
    def __init__(self):
        self.rows = []

    def add(self, topo, check, ok, note=''):
        self.rows.append((topo, check, ok, note))
        print('%-10s %-10s %s %s' % (topo, check, 'PASS' if ok else 'FAIL', note), flush=True)

    def failed(self):
        return sum(1 for r in self.rows if not r[2])


def ours(topology, dpids):
    """Our switches' part of GET /topology: switch count, links among them, ports still probing."""
    switches = [s for s in topology['switches'] if int(s['datapathId'], 16) in dpids]
    links = [l for l in topology['links'] if int(l['a']['datapathId'], 16) in dpids]
    probing = [(s['datapathId'], p['ofport']) for s in switches for p in s['ports'] if p['role'] == 'probing']
    return len(switches), len(links), probing


def await_topology(weft, dpids, links, timeout):
    def problems():
        n, l, probing = ours(weft.topology(), dpids)
        wrong = []
        if n != len(dpids):
            wrong.append('%d of %d switches' % (n, len(dpids)))
        if l != links:
            wrong.append('%d links, expected %d' % (l, links))
        if probing:
            wrong.append('ports probing: %s' % probing)
        return wrong
    return poll(problems, timeout=timeout)


def run_topology(name, index, prefix, args, weft, results):
    topo_class, params = TOPOLOGIES[name]
    topo = prefixed(topo_class, prefix, (index + 1) << 8)(**params)
    switch_links = [(a, b) for a, b in topo.links() if topo.isSwitch(a) and topo.isSwitch(b)]
    host, port = args.openflow.rsplit(':', 1)
    net = Mininet(topo=topo, switch=partial(OVSSwitch, datapath='user', protocols='OpenFlow13'),
                  controller=partial(RemoteController, ip=host, port=int(port)), autoSetMacs=True,
                  waitConnected=False)
    try:
        net.start()
        dpids = {int(s.dpid, 16) for s in net.switches}
        wrong, seconds = await_topology(weft, dpids, len(switch_links), args.timeout)
        results.add(name, 'discovery', not wrong, '; '.join(wrong) or '%d switches, %d links in %.1f s'
                    % (len(dpids), len(switch_links), seconds))
        loss = net.pingAll(timeout='1')
        results.add(name, 'pingall', loss == 0, '%.0f%% dropped' % loss)
        looped = len(switch_links) >= len(dpids)
        if not looped:
            return
        a, b = switch_links[0]
        net.configLinkStatus(a, b, 'down')
        wrong, _ = await_topology(weft, dpids, len(switch_links) - 1, args.timeout)
        loss = net.pingAll(timeout='1')
        results.add(name, 'link-down', not wrong and loss == 0, '%s-%s down: %s' % (a, b, '; '.join(wrong)
                    or '%.0f%% dropped' % loss))
        net.configLinkStatus(a, b, 'up')
        wrong, _ = await_topology(weft, dpids, len(switch_links), args.timeout)
        loss = net.pingAll(timeout='1')
        results.add(name, 'link-up', not wrong and loss == 0, '; '.join(wrong) or '%.0f%% dropped' % loss)
    finally:
        net.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--weft', default=os.environ.get('WEFT_URL', 'http://127.0.0.1:8080'))
    parser.add_argument('--openflow', default='127.0.0.1:6653', help="Weft's OpenFlow listener, IP:PORT")
    parser.add_argument('--topos', default=';'.join(TOPOLOGIES),
                        help='topologies separated by ";" (default: %(default)s)')
    parser.add_argument('--timeout', type=float, default=30.0, help='bound of every wait, seconds')
    args = parser.parse_args()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    setLogLevel('warning')
    weft = Weft(args.weft)
    results = Results()
    ovs = None
    try:
        ovs = OwnOvs()
        prefix = free_prefix()
        for index, name in enumerate(args.topos.split(';')):
            run_topology(name, index, prefix, args, weft, results)
    except Stop as e:
        results.add('-', 'run', False, 'stopped by %s' % e)
    except Exception as e:  # noqa: BLE001 - reported as a failed check, then everything is torn down
        results.add('-', 'run', False, '%s: %s' % (type(e).__name__, e))
    finally:
        if ovs:
            ovs.close()
    failed = results.failed()
    print('RESULT plain: %d passed, %d failed' % (len(results.rows) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
