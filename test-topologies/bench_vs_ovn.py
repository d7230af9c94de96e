#!/usr/bin/python3
"""The side-by-side bench of issue 11: announce -> first cross-host ping, and de-provision -> pings fail, for
OVN 23.03 and for Weft on two identical test beds at once, samples alternating OVN, Weft, OVN, Weft...

    test-topologies/bench-vs-ovn.sh [--cases empty,loaded] [--samples 30] [--empty-hosts 3]
                                    [--loaded-hosts 10] [--existing 2000] [--modes retry10,kernel,wait]
    test-topologies/bench-vs-ovn.sh --tiny      # 2 and 3 hosts, 6 existing endpoints, 1 sample: proves it runs

The wrapper builds Weft and passes --weft-bin; this script starts its own controller per case. Each case:
two beds of N emulated hosts (own ovsdb-server + ovs-vswitchd, userspace datapath, br-phy with the tunnel IP),
one driven by OVN (NB, SB, ovn-northd; ovn-controller on every host, VXLAN), one by Weft (VXLAN); one network;
a target container `ct` on h2 already up; the container `cn` on h1 is the one announced in every sample.
With existing endpoints, each host gets its share as internal ports on br-int with an iface-id, announced to
both systems (bound ports, like running containers) before sampling. The underlay's tunnel neighbours are
warmed (`tnl/neigh/set`) on both beds.

One sample (weftcheck/sidebyside.py says what the same work for both is): t0, cn's veth added to br-int with
its iface-id, the system told; cn pings ct every 10 ms (weftcheck/prober.py); t1 its first reply. Then the
endpoint is removed and the time until pings stop being answered is measured: pings every 1 ms from just before
the removal call, which starts the clock, to the last reply (0: within the 1 ms of the pings). Modes:
  retry10  cn sends from t0 on, and both containers retry ARP every 10 ms (neighbour retrans_time_ms=10):
           a lost first ARP costs 10 ms, not 1 s (the main figure)
  kernel   cn starts sending once the announce call returned, kernel ARP defaults (a lost ARP: 1 s retry)
  wait     the announce waits until the system says every host installed it (Weft ?wait=true; OVN
           --wait=hv and the port `up`, see weftcheck/ovn.py), then cn starts sending, kernel ARP defaults
Prints, per case and mode, both distributions (p50, p90, p99, max) and the ratio Weft/OVN, then Weft's
per-step breakdown from the `timeline` of its waited replies and the REST + store part of a plain POST.
Everything (beds, OVN daemons, controllers, run dirs) goes away at the end, also on errors and Ctrl-C.
"""

import argparse
import contextlib
import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'src', 'main', 'python'))

from mininet.log import setLogLevel  # noqa: E402

from weftbed.bed import Bed  # noqa: E402
from weftbed.nodes import check  # noqa: E402
from weftbed.topologies import sites  # noqa: E402
from weftbed.topo import host_intf  # noqa: E402
from weftcheck.ovn import OvnCentral, await_chassis, start_chassis  # noqa: E402
from weftcheck.registration import Registration, plan, warm_underlay  # noqa: E402
from weftcheck.rest import Weft  # noqa: E402
from weftcheck.sidebyside import OvnSystem, Prober, WeftSystem, last_reply  # noqa: E402

NETWORK = 'bench'
SUBNET = ipaddress.ip_network('10.65.0.0/16')
GATEWAY = '10.65.255.254'
MODES = ('retry10', 'kernel', 'wait')
# The kernel's neighbour settings per mode: ARP retried every 10 ms (for 10 s), or Linux's defaults.
ARP = {'retry10': (10, 1000), 'kernel': (1000, 3), 'wait': (1000, 3)}


class Stop(Exception):
    pass


def on_signal(signum, _frame):
    # Once: a second Ctrl-C must not cut the teardown short.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    raise Stop('signal %d' % signum)


def log(text):
    print('[bench %s] %s' % (time.strftime('%H:%M:%S'), text), flush=True)


# ---- the bed ------------------------------------------------------------------------------------------------

def container(name, host, index):
    return {'name': name, 'host': host, 'network': NETWORK, 'ip': '%s/16' % (SUBNET.network_address + index),
            'gateway': GATEWAY, 'mac': '02:00:00:00:00:%02x' % index}


def bench_spec(hosts):
    """`hosts` hosts on one LAN, one network, the announced container cn on h1 and the target ct on h2."""
    spec = sites(hosts=hosts, containers=0)
    spec['networks'] = [{'name': NETWORK, 'vni': 100, 'encapsulation': 'vxlan', 'mtu': 1400,
                         'subnets': [{'cidr': str(SUBNET), 'gateway': GATEWAY}]}]
    spec['containers'] = [container('cn', 'h1', 1), container('ct', 'h2', 2)]
    return spec


def endpoint(c):
    return {'name': c['name'], 'host': c['host'], 'port': host_intf(c['name']), 'ip': c['ip'].split('/')[0],
            'mac': c['mac']}


def existing_endpoints(count, hosts):
    """Endpoint k on host k mod N, on an internal port named and iface-id'd like it, from 10.65.1.1 on."""
    out = []
    for k in range(count):
        ip = SUBNET.network_address + 256 + k + 1
        out.append({'name': 'e%d' % k, 'host': 'h%d' % (k % hosts + 1), 'port': 'e%d' % k, 'ip': str(ip),
                    'mac': '02:00:%02x:%02x:%02x:%02x' % tuple(ip.packed)})
    return out


def arp_mode(node, mode):
    retrans, solicit = ARP[mode]
    check(node, 'sysctl -qw net.ipv4.neigh.eth0.retrans_time_ms=%d net.ipv4.neigh.eth0.mcast_solicit=%d '
                '&& ip neigh flush dev eth0' % (retrans, solicit))


# ---- Weft's controller --------------------------------------------------------------------------------------

class Controller:
    """`bin/weft controller` on a free loopback port, OpenFlow on a unix socket, state and log in `work`."""

    def __init__(self, weft_bin, work):
        self.work = work
        os.makedirs(work, exist_ok=True)
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        self.url = 'http://127.0.0.1:%d' % port
        self.log_path = os.path.join(work, 'controller.log')
        with open(self.log_path, 'w') as out:
            self.proc = subprocess.Popen([weft_bin, 'controller', '--rest-listen', '127.0.0.1:%d' % port,
                                          '--openflow-listen', 'unix:%s/of.sock' % work,
                                          '--data-dir', os.path.join(work, 'data'), '--log-level', 'info'],
                                         stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while not Weft(self.url, timeout=5).reachable():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError('the controller did not come up; its log %s ends:\n%s'
                                   % (self.log_path, self.tail()))
            time.sleep(0.2)

    def tail(self, lines=40):
        with open(self.log_path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---- CPU ----------------------------------------------------------------------------------------------------

DAEMONS = ('ovs-vswitchd', 'ovsdb-server', 'ovn-controller', 'ovn-northd')


def cpu_seconds(bed, extra=None):
    """CPU seconds used so far by the daemons in the bed's namespaces, by program; the NB and SB ovsdb-servers
    (in the LAN's namespace) apart from the hosts'; `extra` {label: pid} added as they are."""
    hz = os.sysconf('SC_CLK_TCK')
    lan = bed.netns.get('lan1')
    ours = set(bed.netns.values())
    out = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            ns = os.readlink('/proc/%s/ns/net' % entry)
            if ns not in ours:
                continue
            with open('/proc/%s/stat' % entry) as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index('(') + 1:stat.rindex(')')]
        if comm not in DAEMONS:
            continue
        label = comm + (' (NB + SB)' if ns == lan and comm == 'ovsdb-server' else '')
        fields = stat[stat.rindex(')') + 2:].split()
        out[label] = out.get(label, 0.0) + (int(fields[11]) + int(fields[12])) / hz
    for label, pid in (extra or {}).items():
        try:
            with open('/proc/%d/stat' % pid) as f:
                fields = f.read().rsplit(')', 1)[1].split()
            out[label] = (int(fields[11]) + int(fields[12])) / hz
        except OSError:
            pass
    return out


def machine_ticks():
    """(busy, total) clock ticks of all CPUs so far, from /proc/stat."""
    with open('/proc/stat') as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


# ---- one case -----------------------------------------------------------------------------------------------

class Case:
    def __init__(self, name, hosts, existing):
        self.name, self.hosts, self.existing = name, hosts, existing
        self.samples = {}  # (system, mode) -> [sample dict]
        self.failures = []  # (system, mode, what)
        self.load = []      # 1-minute load average at each sample
        self.setup_s = 0.0
        self.sampling_s = 0.0
        self.weft_errors = []
        self.cpu = {}      # system -> {program: CPU seconds during sampling}
        self.busy = None   # share of the machine's CPU time busy during sampling (all processes)
        self.notes = []    # what the set-up saw that a reader should know
        self.aborted = None  # why sampling stopped early
    def title(self):
        return '%s: %d hosts, %d existing endpoints' % (self.name, self.hosts, self.existing)


def run_case(case, args, stack):
    started = time.monotonic()
    spec = bench_spec(case.hosts)
    beds = {}
    for system in ('OVN', 'Weft'):
        bed = Bed(spec, base=args.work)
        stack.callback(bed.down)
        bed.up()
        beds[system] = bed
    log('%s: two beds of %d hosts up' % (case.name, case.hosts))

    # OVN: central daemons in the namespace of the bed's LAN (reaped with the bed), a chassis on every host.
    ovn_bed = beds['OVN']
    central = OvnCentral(ovn_bed.net['lan1'], os.path.join(ovn_bed.rundir, 'ovn-central'))
    stack.callback(central.stop)
    central.start()
    for h in spec['hosts']:
        start_chassis(ovn_bed.net[h['name']], central, h['ip'].split('/')[0], encap=args.ovn_encap)
    await_chassis(central, [h['name'] for h in spec['hosts']])
    ovn = OvnSystem(ovn_bed, central, NETWORK)
    stack.callback(ovn.close)
    ovn.nb.add_switch(NETWORK)
    ovn.ports.await_bridge()

    # Weft: a controller of its own, the bed's hosts and the network registered as the bed registers them.
    controller = Controller(args.weft_bin, os.path.join(args.work, 'weft-' + case.name))
    stack.callback(controller.stop)
    weft_plan = plan(beds['Weft'].net, spec)
    weft_plan['endpoints'] = []
    pending = Registration(Weft(controller.url), weft_plan, log=log).announce(wait=True)
    if pending:
        raise RuntimeError('Weft did not acknowledge: %s' % '; '.join(pending))
    weft = WeftSystem(beds['Weft'], controller.url, NETWORK)
    case.weft_errors = weft.errors  # kept also when the case ends early
    stack.callback(weft.close)
    weft.ports.await_bridge()
    systems = {'OVN': ovn, 'Weft': weft}

    if case.existing:
        existing = existing_endpoints(case.existing, case.hosts)
        for system, s in systems.items():
            t = time.monotonic()
            for h in spec['hosts']:
                s.ports.add_many(h['name'], [(e['port'], e['name']) for e in existing if e['host'] == h['name']],
                                 kind='internal')
            s.bulk(existing)
            log('%s: %s: %d existing endpoints on internal ports, announced and installed in %.1f s'
                % (case.name, system, len(existing), time.monotonic() - t))
    target = endpoint(spec['containers'][1])
    for system, s in systems.items():
        s.announce(target, wait=True)
        s.settle()
        cold = warm_underlay(beds[system].net, spec)
        if cold:
            raise RuntimeError('%s bed: the underlay does not answer: %s' % (system, ', '.join(cold)))
    case.setup_s = time.monotonic() - started
    log('%s: set up in %.0f s; sampling %d x %s, alternating OVN, Weft' % (
        case.name, case.setup_s, args.samples, ','.join(args.modes)))

    announced = endpoint(spec['containers'][0])
    target_ip = target['ip']
    extra = {'OVN': {}, 'Weft': {'weft controller (JVM)': controller.proc.pid}}
    cpu_before = {system: cpu_seconds(beds[system], extra[system]) for system in systems}
    sampling = time.monotonic()
    ticks = machine_ticks()
    warmed = time.monotonic()
    try:
        for i in range(args.samples):
            if time.monotonic() - warmed > 300:  # OVS's tunnel neighbour entries age out after a while idle
                for system in systems:
                    warm_underlay(beds[system].net, spec)
                warmed = time.monotonic()
            for mode in args.modes:
                for system, s in systems.items():
                    case.load.append(os.getloadavg()[0])
                    result = sample(s, beds[system], mode, announced, target_ip, args)
                    if 'failed' in result:
                        case.failures.append((system, mode, result['failed']))
                        log('%s sample %d %s %s FAILED: %s' % (case.name, i, system, mode, result['failed']))
                    case.samples.setdefault((system, mode), []).append(result)
            if (i + 1) % 5 == 0 or i + 1 == args.samples:
                log('%s: %d/%d samples' % (case.name, i + 1, args.samples))
    except RuntimeError as error:  # a system that cannot settle: report what was measured, and why it stopped
        case.aborted = '%s\n%s' % (error, ovn.diagnose() if str(error).startswith('OVN') else '')
        log('%s: stopped early: %s' % (case.name, case.aborted))
    case.sampling_s = time.monotonic() - sampling
    busy, total = (a - b for a, b in zip(machine_ticks(), ticks))
    case.busy = busy / total if total else None
    for system in systems:
        after = cpu_seconds(beds[system], extra[system])
        case.cpu[system] = {k: v - cpu_before[system].get(k, 0.0) for k, v in sorted(after.items())}
    if ovn.stalls:
        case.notes.append('OVN: %d sync(s) (nb_cfg bumped, waiting for hv_cfg) saw no progress for a minute and '
                          'were asked again (see OvnSystem.settle)' % ovn.stalls)


def sample(system, bed, mode, e, target_ip, args):
    """One announce and one de-provision of `e` on `system`; times in ms since the announce began. A failure is
    recorded in the result; the bed is then put back as it was (an exception, e.g. Ctrl-C, leaves that to the
    teardown)."""
    cn, ct = bed.net[e['name']], bed.net['ct']
    arp_mode(cn, mode)
    arp_mode(ct, mode)
    out = {}
    done = set()  # of 'announced', 'removed'
    prober = Prober(cn, target_ip, interval=0.01, quiet=args.quiet)
    try:
        measure(system, prober, mode, e, args, out, done)
    finally:
        prober.kill()
    if 'announced' in done and 'removed' not in done:
        system.remove(e)
    if 'announced' in done:
        system.detach(e)
    system.settle()
    return out


def measure(system, prober, mode, e, args, out, done):
    if mode == 'retry10':
        prober.go()
    try:
        t0, call = system.announce(e, wait=(mode == 'wait'))
    except RuntimeError as error:  # OVN's wait timed out
        done.add('announced')
        out['failed'] = 'the announce failed: %s' % error
        return
    done.add('announced')
    if mode != 'retry10':
        prober.go()
    out.update(call_ms=call.call_ms, attach_ms=(call.attached - t0) * 1000, status=call.status, reply=call.reply)
    try:
        out['announce_ms'] = (prober.expect('first', args.timeout) - t0) * 1000
    except TimeoutError:
        out['failed'] = 'no reply within %.0f s of the announce' % args.timeout
        return
    system.settle()
    # The de-provision is timed to the millisecond, not to the 10 ms of the retries: pings every 1 ms, shown to be
    # answered, before the removal.
    prober.interval(0.001)
    try:
        prober.expect('paced', args.timeout)
    except TimeoutError:
        out['failed'] = 'pings stopped being answered before the removal'
        return
    t_del, call = system.remove(e)
    done.add('removed')
    out['remove_call_ms'] = call.call_ms
    try:
        prober.expect('quiet', args.timeout)
    except TimeoutError:
        out['failed'] = 'pings still answered %.0f s after the removal' % args.timeout
        return
    # A last reply a hair before the call began (the next echo, 1 ms later, already unanswered) counts as 0.
    out['deprovision_ms'] = max(0.0, (last_reply(prober.stop()) - t_del) * 1000)


# ---- the report ---------------------------------------------------------------------------------------------

def percentile(values, p):
    """Nearest rank."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))]


def dist(values):
    if not values:
        return None
    return {p: percentile(values, p) for p in (50, 90, 99)} | {
        'max': max(values), 'n': len(values), 'slow': sum(1 for v in values if v >= 1000)}


def fmt(d):
    """p50 / p90 / p99 / max, the count, and how many took a second or more (a lost ARP retried by the kernel)."""
    if d is None:
        return '-'
    return '%.0f / %.0f / %.0f / %.0f (n=%d%s)' % (d[50], d[90], d[99], d['max'], d['n'],
                                                  ', %d >= 1 s' % d['slow'] if d['slow'] else '')


def ratio(a, b, key=50):
    """a / b, unless b is below the 1 ms the probes resolve."""
    return '-' if a is None or b is None or b[key] < 1 else '%.2f' % (a[key] / b[key])


MODE_ROWS = {'retry10': 'announce -> first reply, ARP retried every 10 ms',
             'kernel': 'announce -> first reply, kernel ARP (container starts when the call returns)',
             'wait': 'announce with wait -> first reply (container starts after the reply)'}


def report(cases, args):
    lines = []
    add = lines.append
    for case in cases:
        add('')
        add('### %s' % case.title())
        add('')
        add('Set-up %.0f s; sampling %.0f s, during which the 1-minute load average was %s and the machine\'s %d '
            'CPUs were %s busy (all processes, this bench\'s included).' % (
                case.setup_s, case.sampling_s,
                '%.1f-%.1f' % (min(case.load), max(case.load)) if case.load else '-', os.cpu_count(),
                '-' if case.busy is None else '%.0f%%' % (100 * case.busy)))
        add('')
        add('| ms: p50 / p90 / p99 / max | OVN 23.03 | Weft | Weft/OVN p50 | Weft p99 / OVN p50 |')
        add('|---|---|---|---|---|')
        rows = [(MODE_ROWS[m], m, 'announce_ms') for m in args.modes]
        if 'retry10' in args.modes:
            rows.append(('de-provision -> pings fail (retry10 samples)', 'retry10', 'deprovision_ms'))
        for label, mode, key in rows:
            o = dist(values(case, 'OVN', mode, key))
            w = dist(values(case, 'Weft', mode, key))
            add('| %s | %s | %s | %s | %s |' % (label, fmt(o), fmt(w), ratio(w, o),
                                               ratio({50: w[99]} if w else None, o)))
        add('')
        add('| ms: p50 / p90 / p99 / max | OVN 23.03 | Weft |')
        add('|---|---|---|')
        plain = [m for m in args.modes if m != 'wait']
        add('| the system\'s call alone, no wait (NB transaction / POST round trip) | %s | %s |' % (
            fmt(dist(sum((values(case, 'OVN', m, 'call_ms') for m in plain), []))),
            fmt(dist(sum((values(case, 'Weft', m, 'call_ms') for m in plain), [])))))
        if 'wait' in args.modes:
            add('| the call with wait (--wait=hv / ?wait=true) | %s | %s |' % (
                fmt(dist(values(case, 'OVN', 'wait', 'call_ms'))), fmt(dist(values(case, 'Weft', 'wait', 'call_ms')))))
        add('| removal call (NB transaction / DELETE round trip) | %s | %s |' % (
            fmt(dist(sum((values(case, 'OVN', m, 'remove_call_ms') for m in args.modes), []))),
            fmt(dist(sum((values(case, 'Weft', m, 'remove_call_ms') for m in args.modes), [])))))
        add('| port onto br-int (OVSDB transaction, same for both) | %s | %s |' % (
            fmt(dist(sum((values(case, 'OVN', m, 'attach_ms') for m in args.modes), []))),
            fmt(dist(sum((values(case, 'Weft', m, 'attach_ms') for m in args.modes), [])))))
        if 'wait' in args.modes:
            add('')
            add('Weft, one announce with ?wait=true step by step (ms since the request arrived, from the reply\'s '
                '`timeline`; p50 / p90 / p99 / max):')
            add('')
            add('| step | ms |')
            add('|---|---|')
            for label, ms in breakdown(case):
                add('| %s | %s |' % (label, fmt(dist(ms))))
        if case.cpu:
            add('')
            add('CPU seconds used during the %.0f s of sampling (both beds run all along; each system worked '
                'during its own samples):' % case.sampling_s)
            add('')
            add('| system | program | CPU s |')
            add('|---|---|---|')
            for system, programs in case.cpu.items():
                for program, seconds in programs.items():
                    add('| %s | %s | %.1f |' % (system, program, seconds))
        for note in case.notes:
            add('')
            add(note)
        if case.aborted:
            add('')
            add('Sampling STOPPED EARLY:')
            add('```')
            add(case.aborted)
            add('```')
        if case.failures:
            add('')
            add('Failed samples (left out above):')
            for system, mode, what in case.failures:
                add('- %s %s: %s' % (system, mode, what))
        if case.weft_errors:
            add('')
            add('Weft answered with errors:')
            for e in case.weft_errors[:10]:
                add('- %s' % e)
    return '\n'.join(lines)


def values(case, system, mode, key):
    return [s[key] for s in case.samples.get((system, mode), []) if key in s]


def breakdown(case):
    """The timeline of Weft's waited announces: committed, compiled, then per host ports and flows; the
    endpoint's own host (h1) apart from the slowest other host."""
    rows = {k: [] for k in ('committed (intent durable)', 'compiled (every host\'s change computed)',
                            'h1: ports applied (OVSDB confirmed, ofport known)', 'h1: flows acknowledged',
                            'slowest other host: flows acknowledged', 'installedInMs (reply)',
                            'client round trip')}
    keys = list(rows)
    for s in case.samples.get(('Weft', 'wait'), []):
        reply = s.get('reply') or {}
        tl = reply.get('timeline') or {}
        hosts = tl.get('hosts') or {}
        for key, value in ((keys[0], tl.get('committedMs')), (keys[1], tl.get('compiledMs')),
                           (keys[2], hosts.get('h1', {}).get('portsMs')),
                           (keys[3], hosts.get('h1', {}).get('flowsMs')),
                           (keys[4], max((h.get('flowsMs', 0) for n, h in hosts.items() if n != 'h1'),
                                         default=None)),
                           (keys[5], reply.get('installedInMs')), (keys[6], s.get('call_ms'))):
            if value is not None:
                rows[key].append(value)
    return rows.items()


# ---- main ---------------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--weft-bin', required=True, help='the bin/weft command of a built tree')
    parser.add_argument('--cases', default='empty,loaded', help='empty, loaded or both')
    parser.add_argument('--samples', type=int, default=30, help='samples per case, mode and system')
    parser.add_argument('--modes', default=','.join(MODES), help='of %s' % ', '.join(MODES))
    parser.add_argument('--empty-hosts', type=int, default=3)
    parser.add_argument('--loaded-hosts', type=int, default=10)
    parser.add_argument('--existing', type=int, default=2000, help='endpoints in the network of the loaded case')
    parser.add_argument('--ovn-encap', default='vxlan', choices=('vxlan', 'geneve'))
    parser.add_argument('--timeout', type=float, default=10.0, help='seconds a sample may take per phase')
    parser.add_argument('--quiet', type=float, default=0.5,
                        help='seconds without a reply after which pings count as stopped')
    parser.add_argument('--results', help='also write the result tables to this file')
    parser.add_argument('--raw', help='also write every sample (with Weft\'s replies) to this JSON file')
    parser.add_argument('--tiny', action='store_true',
                        help='2 hosts empty, 3 hosts with 6 existing, 1 sample: proves the bench runs')
    args = parser.parse_args()
    if args.tiny:
        args.empty_hosts, args.loaded_hosts, args.existing, args.samples = 2, 3, 6, 1
    args.modes = [m for m in args.modes.split(',') if m]
    unknown = [m for m in args.modes if m not in MODES]
    if unknown:
        parser.error('unknown mode(s) %s' % ', '.join(unknown))
    wanted = [c for c in args.cases.split(',') if c]
    if set(wanted) - {'empty', 'loaded'}:
        parser.error('cases are empty and loaded')
    if min(args.empty_hosts, args.loaded_hosts) < 2:
        parser.error('a case needs at least 2 hosts (the target container is on h2)')
    if args.ovn_encap == 'vxlan' and args.existing + 2 > 2047:
        parser.error('OVN in VXLAN mode has at most 2047 ports per logical switch (12-bit port keys)')
    setLogLevel(os.environ.get('WEFTBED_LOG', 'warning'))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    args.work = tempfile.mkdtemp(prefix='weft-vs-ovn-')
    cases = []
    status = 0
    try:
        for name in wanted:
            case = Case(name, args.empty_hosts, 0) if name == 'empty' else \
                Case(name, args.loaded_hosts, args.existing)
            cases.append(case)
            with contextlib.ExitStack() as stack:
                run_case(case, args, stack)
                log('%s: tearing down' % case.name)
            if case.failures or case.weft_errors or case.aborted:
                status = 1
    except Stop as e:
        log('stopped (%s)' % e)
        status = 130
    except Exception:
        import traceback
        traceback.print_exc()
        status = 2
    finally:
        shutil.rmtree(args.work, ignore_errors=True)
    text = report([c for c in cases if c.samples], args)
    print('\n## Announce -> reachable, OVN 23.03 (%s) and Weft (VXLAN) side by side, %d samples per mode and system'
          % (args.ovn_encap.upper(), args.samples))
    print(text)
    if args.results:
        with open(args.results, 'w') as f:
            f.write(text + '\n')
    if args.raw:
        with open(args.raw, 'w') as f:
            json.dump([{'case': c.title(), 'cpu': c.cpu, 'load': c.load, 'failures': c.failures,
                        'aborted': c.aborted, 'weftErrors': c.weft_errors,
                        'samples': [{'system': k[0], 'mode': k[1], 'samples': v} for k, v in c.samples.items()]}
                       for c in cases], f, indent=1)
    return status


if __name__ == '__main__':
    sys.exit(main())
