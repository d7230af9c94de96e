"""What a running bed tells Weft: its hosts, the spec's networks and its containers as endpoints.

Shared by `mn --custom weft.py` and check.py. Containers already carry their IP and MAC (the bed configured
them), so endpoints are announced with exactly those: Weft's allocation then agrees with the namespaces.
"""

import collections
import os
import time

from weftbed.nodes import OvsHost
from weftcheck.probe import PARALLEL, PING_SCRIPT
from weftcheck.rest import WeftError
from weftbed.topo import host_intf


# ovs-vswitchd connects to a unix-socket controller only inside its own run dir ("Not connecting to socket
# controller ... due to possibility for remote exploit"), so a controller's single unix socket elsewhere is
# refused. Each host's br-int therefore listens on a socket in its run dir and Weft connects to it (the host's
# optional passive `openflow` target). WEFT_OPENFLOW=advertised leaves it out (Weft's advertised target).
OPENFLOW_SOCKET = 'br-int.weft'


def plan(net, spec, passive_openflow=None):
    """The REST bodies for a started Mininet net built from `spec` (a WeftTopo)."""
    if passive_openflow is None:
        passive_openflow = os.environ.get('WEFT_OPENFLOW', 'passive') != 'advertised'
    hosts = []
    for h in spec['hosts']:
        node = net[h['name']]
        assert isinstance(node, OvsHost), h['name']
        host = {'name': h['name'], 'tunnelIp': h['ip'].split('/')[0], 'ovsdb': 'unix:' + node.db_sock,
                'datapathType': 'netdev'}
        if passive_openflow:
            host['openflow'] = 'punix:' + node.path(OPENFLOW_SOCKET)
        hosts.append(host)
    networks = [{'name': n['name'], 'subnets': [{'cidr': s['cidr'], 'gateway': s['gateway']} for s in n['subnets']],
                 'encap': n.get('encapsulation', 'vxlan'), 'vni': n.get('vni'), 'mtu': n.get('mtu')}
                for n in spec['networks']]
    endpoints = []
    for c in spec['containers']:
        endpoints.append({'network': c['network'], 'name': c['name'], 'host': c['host'],
                          'port': host_intf(c['name']), 'ip': c['ip'].split('/')[0],
                          'mac': net[c['name']].defaultIntf().MAC()})
    return {'hosts': hosts, 'networks': networks, 'endpoints': endpoints}


# Copies the kernel's underlay neighbours (filled by the pings) into OVS's tunnel neighbour cache.
_NEIGH_TO_OVS = ('ip -4 neigh show dev br-phy | awk \'$2 == "lladdr" {print $1, $3}\' | while read ip mac; do '
                 'ovs-appctl -t %s tnl/neigh/set br-phy $ip $mac >/dev/null || echo "failed $ip"; done')


def warm_underlay(net, spec, wait_s=2):
    """Every host pings every other host's tunnel IP once over the underlay, then hands the neighbours its
    kernel learned to OVS (`ovs-appctl tnl/neigh/set`). Why: OVS's userspace tunnels resolve their next hop
    through their own neighbour cache (`tnl/neigh/show`), which learns only by snooping ARP replies on br-phy
    once tunnel ports exist; while it is cold, the first overlay packets toward a host are dropped (a Mininet
    `pingall` right after start fails). Real hosts' underlays are warm; the bed's start cold. Call it after the
    hosts are registered. Returns the pairs that did not answer (the underlay itself is broken then)."""
    failed = []
    procs = {}
    for a in spec['hosts']:
        targets = [b['ip'].split('/')[0] for b in spec['hosts'] if b is not a]
        if targets:
            procs[a['name']] = net[a['name']].popen(['sh', '-c', PING_SCRIPT % (' '.join(targets), PARALLEL, wait_s)])
    for name, proc in procs.items():
        out, _ = proc.communicate(timeout=wait_s + 30)
        failed += ['%s -> %s' % (name, line.split()[1]) for line in out.decode().splitlines()
                   if line.startswith('no ')]
    procs = {h['name']: net[h['name']].popen(['sh', '-c', _NEIGH_TO_OVS % net[h['name']].path('vswitchd.ctl')])
             for h in spec['hosts']}
    for name, proc in procs.items():
        out, _ = proc.communicate(timeout=30)
        failed += ['%s: tnl/neigh/set %s' % (name, line.split()[1]) for line in out.decode().splitlines()]
    return failed


# What `Registration.announce_and_warm` reports: writes not acknowledged in time, and the seconds each phase took.
Started = collections.namedtuple('Started', 'pending announce_s warm_s')


class Registration:
    """Announces a plan to Weft and withdraws it again. `timings` collects, per write, the wall time of the
    REST call and Weft's own `installedInMs` (the change acknowledged by every host)."""

    def __init__(self, weft, the_plan, log=print, tolerate_existing=False):
        self.weft = weft
        self.plan = the_plan
        self.log = log
        self.tolerate_existing = tolerate_existing
        self.done = {'hosts': [], 'networks': [], 'endpoints': []}  # what we created, withdrawn in reverse
        self.timings = []  # (kind, name, wall seconds, installedInMs or None, pending message or None)

    def announce(self, wait=True):
        """Hosts, then networks, then endpoints; each with ?wait=true so the reply means 'installed'.
        Returns the list of writes that were not acknowledged in time (empty when all went through)."""
        pending = []
        for h in self.plan['hosts']:
            self._write('hosts', h['name'], lambda h=h: self.weft.add_host(
                h['name'], h['tunnelIp'], h['ovsdb'], h['datapathType'], h.get('openflow'), wait=wait), pending)
        for n in self.plan['networks']:
            self._write('networks', n['name'], lambda n=n: self.weft.add_network(
                n['name'], n['subnets'], n['encap'], n['vni'], n['mtu'], wait=wait), pending)
        for e in self.plan['endpoints']:
            self.add_endpoint(e, wait=wait, pending=pending)
        return pending

    def announce_and_warm(self, net, spec):
        """What a script does once its bed is up: announce everything with ?wait=true, then warm the underlay
        (see warm_underlay). Raises RuntimeError when the underlay itself does not answer."""
        t = time.time()
        pending = self.announce(wait=True)
        announce_s = time.time() - t
        t = time.time()
        cold = warm_underlay(net, spec)
        if cold:
            raise RuntimeError('the underlay itself is broken: %s' % ', '.join(cold))
        return Started(pending, announce_s, time.time() - t)

    def add_endpoint(self, e, wait=True, pending=None):
        return self._write('endpoints', (e['network'], e['name']), lambda: self.weft.add_endpoint(
            e['network'], e['name'], e['host'], e['port'], e['ip'], e['mac'], wait=wait), pending)

    def delete_endpoint(self, e, wait=True):
        started = time.time()
        reply = self.weft.delete_endpoint(e['network'], e['name'], wait=wait)
        key = (e['network'], e['name'])
        if key in self.done['endpoints']:
            self.done['endpoints'].remove(key)
        self.timings.append(('endpoint-delete', key, time.time() - started, _installed(reply), _pending(reply)))
        return reply

    def _write(self, kind, name, call, pending):
        started = time.time()
        try:
            reply = call()
        except WeftError as e:
            if e.status == 409 and self.tolerate_existing:
                self._check_existing(kind, name)
                self.log('weft: %s %s is already registered as this bed has it, keeping it'
                         % (kind[:-1], _name(name)))
                return None
            raise
        self.done[kind].append(name)
        self.timings.append((kind, name, time.time() - started, _installed(reply), _pending(reply)))
        if _pending(reply) is not None and pending is not None:
            pending.append('%s %s: %s' % (kind[:-1], _name(name), _pending(reply)))
        return reply

    def _check_existing(self, kind, name):
        """A 409 is fine only if Weft holds exactly what this bed would register (e.g. `weft announce` twice);
        a leftover of another bed (other sockets, IPs or MACs) must not be silently reused."""
        if kind == 'hosts':
            want = next(h for h in self.plan['hosts'] if h['name'] == name)
            have = self.weft.host(name)
            fields = ('tunnelIp', 'ovsdb', 'openflow')
            path = '/hosts/' + name
        elif kind == 'networks':
            want = next(n for n in self.plan['networks'] if n['name'] == name)
            have = self.weft.request('GET', '/networks/' + name)
            fields = ('vni', 'subnets')
            path = '/networks/' + name
        else:
            want = next(e for e in self.plan['endpoints'] if (e['network'], e['name']) == name)
            have = self.weft.request('GET', '/networks/%s/endpoints/%s' % name)
            fields = ('host', 'port', 'ip', 'mac')
            path = '/networks/%s/endpoints/%s' % name
        diff = ['%s=%s (this bed: %s)' % (f, have.get(f), want.get(f)) for f in fields
                if want.get(f) is not None and have.get(f) != want.get(f)]
        if diff:
            raise WeftError('POST', path, 409, {'detail': '%s %s is already registered differently, probably by '
                                                          'another bed: %s; DELETE %s first' % (
                                                              kind[:-1], _name(name), ', '.join(diff), path)})

    def withdraw(self):
        """Endpoints, networks, hosts we created, newest first; keeps going past errors and returns them."""
        errors = []
        for network, name in reversed(self.done['endpoints']):
            errors += _try(lambda: self.weft.delete_endpoint(network, name, wait=False))
        for name in reversed(self.done['networks']):
            errors += _try(lambda: self.weft.delete_network(name))
        for name in reversed(self.done['hosts']):
            errors += _try(lambda: self.weft.delete_host(name))
        self.done = {'hosts': [], 'networks': [], 'endpoints': []}
        return errors

    def weft_share(self):
        """(sum of installedInMs, wall seconds of all REST writes)."""
        return (sum(t[3] or 0 for t in self.timings), sum(t[2] for t in self.timings))


def _installed(reply):
    return reply.get('installedInMs') if isinstance(reply, dict) else None


def _pending(reply):
    return reply.get('installPending') if isinstance(reply, dict) else None


def _name(name):
    return '/'.join(name) if isinstance(name, tuple) else name


def _try(call):
    try:
        call()
        return []
    except WeftError as e:
        return [] if e.status == 404 else [str(e)]
    except OSError as e:
        return [str(e)]
