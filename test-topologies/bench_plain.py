#!/usr/bin/python3
"""Weft and ovs-testcontroller side by side on stock Mininet topologies (issue 13; BENCHMARKS.md).

    sudo /usr/bin/python3 test-topologies/bench_plain.py               # tree,3,3 and torus,4,4; --runs 3 by default
    sudo /usr/bin/python3 test-topologies/bench_plain.py --tiny        # tree,2,2 and torus,3,3, one run each

Same machine, same Open vSwitch of the script's own (userspace datapath), Mininet's own topology classes; the
controllers take turns on each topology: Weft with OpenFlow 1.3 switches, Weft with OpenFlow 1.0 switches (its
one-table pipeline), ovs-testcontroller (OpenFlow 1.3). Measured per run, from the switches' creation
(Mininet's net.start()) on:
  - time to the first pingall with 0% dropped (pingall repeated, 1 s per unanswered ping, until then or --give-up),
  - the first pingall's loss,
  - iperf (TCP, 2 s) from the first host to the last, the farthest in both topologies,
  - on tori, reroute: a switch-to-switch link on the path between two hosts taken down, then up again, while the
    first pings the other every 10 ms (ping -i 0.01 -D as root). For each change: the outage (the longest time
    without a reply from the change on; for link down, the change to the first reply after it) and the pings lost
    (sent after the last reply before the change, never answered). The pair: the hosts of the two ends of the link,
    whose only shortest path is that link (Weft); with STP, the first link whose ports both forward, so that the
    spanning tree's path between its ends is that link. Each change is watched for --reroute-give-up seconds at
    most, and --reroute-settle seconds after its first reply (a reroute after a delay, e.g. a link coming back
    into use, loses its pings then). If the ping is not steady before a change (20 answers within 5 s, 1 s after a
    link down never recovered from), the change is timed all the same, its pings lost not counted.
ovs-testcontroller (Debian's openvswitch-testcontroller, Mininet's default learning controller) floods on every port
and cannot forward on a topology with loops; on tori it runs as Mininet's documentation says to, with OVS's own STP
(failMode=standalone, stp=1). Weft runs as `bin/weft controller` (build first), its switches in fail-mode secure.
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from mininet.log import setLogLevel  # noqa: E402
from mininet.net import Mininet  # noqa: E402
from mininet.node import OVSSwitch, RemoteController  # noqa: E402
from mininet.topolib import TorusTopo, TreeTopo  # noqa: E402

from plain_check import OwnOvs, OwnWeft, Stop, free_ports, free_prefix, iperf_rate, on_signal, prefixed  # noqa: E402

PING = re.compile(r'^\[([0-9.]+)\] .*icmp_seq=(\d+) ')
FULL = [('tree,3,3', TreeTopo, dict(depth=3, fanout=3)), ('torus,4,4', TorusTopo, dict(x=4, y=4))]
TINY = [('tree,2,2', TreeTopo, dict(depth=2, fanout=2)), ('torus,3,3', TorusTopo, dict(x=3, y=3))]


class TestController:
    """ovs-testcontroller on a loopback port, with its log in DIR."""

    def __init__(self, work):
        self.port = free_ports(1)[0]
        log = open(os.path.join(work, 'testcontroller.log'), 'a')
        self.proc = subprocess.Popen(['ovs-testcontroller', 'ptcp:%d:127.0.0.1' % self.port], stdout=log,
                                     stderr=subprocess.STDOUT)
        log.close()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def replies(path):
    """{icmp_seq: time of its reply} from the output of ping -D so far."""
    found = {}
    with open(path) as out:
        for line in out:
            m = PING.match(line)
            if m:
                found.setdefault(int(m.group(2)), float(m.group(1)))
    return found


def link_change(src, dst, change, path, give_up, settle, answered_before=True):
    """src pings dst every 10 ms; once it has 20 answers (or after 5 s, 1 s if not answered_before), change() (a link
    down or up); watched until `settle` s after the first reply that follows, or `give_up` s. (outage in s or None if
    no reply came, pings lost or None if the ping was not steady before the change, a note on that or None)."""
    with open(path, 'w') as out:
        ping = src.popen(['ping', '-D', '-i', '0.01', dst.IP()], stdout=out, stderr=subprocess.STDOUT)
    try:
        wait = 5 if answered_before else 1
        steady = time.time() + wait
        while len(replies(path)) < 20 and time.time() < steady:
            time.sleep(0.02)
        answered = replies(path)
        # Fewer answers than that: the change is timed all the same, its pings lost not counted.
        note = None if len(answered) >= 20 else '%d answered in the %.0f s before' % (len(answered), wait)
        before = max(answered) if len(answered) >= 20 else None
        changed = time.time()
        change()
        end = changed + give_up
        while time.time() < end:
            after = [t for t in replies(path).values() if t > changed]
            if after:
                end = min(end, min(after) + settle)
            time.sleep(0.02)
    finally:
        ping.send_signal(signal.SIGINT)
        try:
            ping.wait(5)
        except subprocess.TimeoutExpired:
            ping.kill()
            ping.wait()
    answered = replies(path)
    with open(path) as out:
        transmitted = re.search(r'(\d+) packets transmitted', out.read())
    # The last ping sent may still be in flight when ping is stopped: it counts neither way.
    last = (int(transmitted.group(1)) if transmitted else max(answered, default=0)) - 1
    lost = None if before is None else sum(1 for seq in range(before + 1, last + 1) if seq not in answered)
    times = sorted(t for t in answered.values() if t > changed)
    if not times:
        return None, lost, note
    gaps = [b - a for a, b in zip([changed] + times, times + [min(end, time.time())])]
    return max(gaps), lost, note


def rerouted_link(net, switch_links, stp):
    """The first switch-to-switch link (whose ports both forward, with STP) and a host on each of its ends."""
    for a, b in switch_links:
        ports = net.get(a).connectionsTo(net.get(b))
        if stp and not all('forwarding' in intf.node.cmd('ovs-vsctl get Port', intf.name, 'status:stp_state')
                           for intf in ports[0]):
            continue
        hosts = [[h for h in net.hosts if h.connectionsTo(net.get(s))][0] for s in (a, b)]
        return a, b, hosts[0], hosts[1]
    return None


def reroute(net, switch_links, stp, work, give_up, settle):
    """{'down': (outage s, lost, note), 'up': ...} for a link on a ping's path going down, then up, or why not."""
    chosen = rerouted_link(net, switch_links, stp)
    if not chosen:
        return 'no link with both ports forwarding'
    a, b, src, dst = chosen
    print('reroute: link %s-%s, %s pings %s' % (a, b, src.name, dst.name), flush=True)
    path = os.path.join(work, 'reroute-ping.txt')
    down = link_change(src, dst, partial(net.configLinkStatus, a, b, 'down'), path, give_up, settle)
    # After a link down never recovered from, the ping is given 1 s before the link comes up (lost: not counted).
    up = link_change(src, dst, partial(net.configLinkStatus, a, b, 'up'), path, give_up, settle,
                     answered_before=down[0] is not None)
    return {'down': down, 'up': up}


# Who forwards, and what its switches offer it.
CONTROLLERS = {'weft': 'OpenFlow13', 'weft, OpenFlow 1.0 switches': 'OpenFlow10', 'ovs-testcontroller': 'OpenFlow13'}


def one_run(label, topo_class, params, index, prefix, controller, port, looped, give_up, work, reroute_bounds):
    """(seconds to 100% pingall or None, first pingall's loss %, iperf bits/s, reroute figures on tori or None)."""
    weft = controller.startswith('weft')
    switch = partial(OVSSwitch, datapath='user')
    if looped and not weft:
        switch = partial(OVSSwitch, datapath='user', failMode='standalone', stp=True)
    topo = prefixed(topo_class, prefix, (index + 1) << 8, lambda n: CONTROLLERS[controller])(**params)
    net = Mininet(topo=topo, switch=switch, controller=partial(RemoteController, ip='127.0.0.1', port=port),
                  autoSetMacs=True, waitConnected=False)
    try:
        started = time.time()
        net.start()
        for h in net.hosts:
            h.cmd('ethtool -K', h.defaultIntf(), 'tx off')
        first_loss = None
        reached = None
        while time.time() - started < give_up:
            loss = net.pingAll(timeout='1')
            first_loss = loss if first_loss is None else first_loss
            if loss == 0:
                reached = time.time() - started
                break
        rate, _ = iperf_rate(net.hosts[0], net.hosts[-1]) if reached else (0, None)
        rerouted = None
        if reached and looped:
            switch_links = [(a, b) for a, b in topo.links() if topo.isSwitch(a) and topo.isSwitch(b)]
            rerouted = reroute(net, switch_links, not weft, work, *reroute_bounds)
        return reached, first_loss, rate, rerouted
    finally:
        net.stop()


def reroute_cell(samples, status, give_up):
    """Each run's outage and pings lost for one link change, '-' where none was measured."""
    cells = []
    for sample in samples:
        if not sample[3] or isinstance(sample[3], str):
            cells += [sample[3]] if sample[3] else []
            continue
        outage, lost, note = sample[3][status]
        cells.append('%s, %s%s' % ('%.0f' % (outage * 1000) if outage is not None else 'no reply in %.0f s' % give_up,
                                   '-' if lost is None else lost, ' (%s)' % note if note else ''))
    return ' / '.join(cells) or '-'


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--tiny', action='store_true', help='tree,2,2 and torus,3,3, one run (a smoke test)')
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--give-up', type=float, default=180.0, help='seconds without a 100%% pingall')
    parser.add_argument('--reroute-give-up', type=float, help='seconds a link change is watched at most '
                        '(default 60, --tiny 1)')
    parser.add_argument('--reroute-settle', type=float, help='seconds watched after the first reply that follows a '
                        'link change (default 3, --tiny 0.5)')
    args = parser.parse_args()
    cases, runs = (TINY, 1) if args.tiny else (FULL, args.runs)
    reroute_bounds = (args.reroute_give_up or (1.0 if args.tiny else 60.0),
                      args.reroute_settle or (0.5 if args.tiny else 3.0))
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    setLogLevel('error')
    work = tempfile.mkdtemp(prefix='weft-bench-plain-')
    ovs = weft = None
    rows = []
    status = 0
    try:
        weft = OwnWeft(work)
        ovs = OwnOvs()
        prefix = free_prefix()
        index = 0
        for label, topo_class, params in cases:
            looped = label.startswith('torus')
            results = {controller: [] for controller in CONTROLLERS}
            for _ in range(runs):
                for controller in results:
                    index += 1
                    test = TestController(work) if not controller.startswith('weft') else None
                    try:
                        port = weft.openflow if test is None else test.port
                        results[controller].append(one_run(label, topo_class, params, index, prefix, controller,
                                                           port, looped, args.give_up, work,
                                                           reroute_bounds))
                    finally:
                        if test:
                            test.stop()
                    print('%s %s run: %s' % (label, controller, results[controller][-1]), flush=True)
            for controller, samples in results.items():
                reached = [s[0] for s in samples if s[0] is not None]
                rows.append((label, controller + (' (STP)' if looped and not controller.startswith('weft') else ''),
                             '%.1f' % statistics.median(reached) if reached else 'never',
                             '%d/%d' % (len(reached), len(samples)),
                             ' '.join('%.1f%%' % s[1] for s in samples if s[1] is not None),
                             '%.0f' % (statistics.median([s[2] for s in samples]) / 1e6),
                             reroute_cell(samples, 'down', reroute_bounds[0]),
                             reroute_cell(samples, 'up', reroute_bounds[0])))
                if controller.startswith('weft') and len(reached) < len(samples):
                    status = 1   # the figures are reported, not judged: only never reaching 100% fails
    except Stop as e:
        print('stopped by %s' % e)
        status = 1
    finally:
        if ovs:
            ovs.close()
        if weft:
            weft.stop()
        shutil.rmtree(work, ignore_errors=True)
    print('| topology | controller | s to 100% pingall (median) | reached | first pingall lost | iperf Mbit/s '
          '| link down: outage ms, pings lost | link up: outage ms, pings lost |')
    print('|---|---|---|---|---|---|---|---|')
    for r in rows:
        print('| %s |' % ' | '.join(r))
    return status


if __name__ == '__main__':
    sys.exit(main())
