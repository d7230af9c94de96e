"""A running test bed: builds a WeftTopo with Mininet, describes it as JSON, changes it, tears it down."""

import os
import shutil
import signal
import tempfile
import time

from mininet.net import Mininet

from weftbed.nodes import OvsHost, Segment, check, kill_pid
from weftbed.topo import UNDERLAY_INTF, WeftTopo, host_intf


def netns_inode(pid):
    return os.readlink('/proc/%d/ns/net' % pid)


class Bed:
    def __init__(self, spec, base=None):
        self.spec = spec
        self.rundir = tempfile.mkdtemp(prefix='weftbed-', dir=base)  # base None: $TMPDIR, else /tmp
        self.net = None
        self.netns = {}  # node name -> 'net:[inode]' of its namespace, to find every process left inside

    def up(self):
        self.net = Mininet(topo=WeftTopo(spec=self.spec, rundir=self.rundir), controller=None, build=False,
                           autoSetMacs=False, waitConnected=False)
        self.net.build()
        for node in self.net.switches + self.net.hosts:
            self.netns[node.name] = netns_inode(node.pid)
        self.net.start()
        return self

    # Description -------------------------------------------------------------------------------------------
    def describe(self):
        net, spec = self.net, self.spec
        hosts = []
        for h in spec['hosts']:
            node = net[h['name']]
            ip, _, prefix = h['ip'].partition('/')
            hosts.append({
                'name': node.name, 'pid': node.pid, 'runDir': node.rundir,
                'ovsdbTarget': 'unix:' + node.db_sock, 'ovsdbCtl': node.path('ovsdb.ctl'),
                'vswitchdCtl': node.path('vswitchd.ctl'), 'ovsdbPid': node.ovsdb_pid(),
                'vswitchdPid': node.vswitchd_pid(), 'tunnelIp': ip, 'prefixLength': int(prefix),
                'underlayInterface': UNDERLAY_INTF, 'underlayBridge': 'br-phy', 'segment': h['segment'],
                'gateway': h.get('gateway'), 'datapathType': 'netdev'})
        containers = []
        for c in spec['containers']:
            node = net[c['name']]
            ip, _, prefix = c['ip'].partition('/')
            containers.append({
                'name': node.name, 'host': c['host'], 'pid': node.pid, 'interface': 'eth0',
                'hostInterface': host_intf(c['name']), 'ip': ip, 'prefixLength': int(prefix),
                'mac': node.defaultIntf().MAC(), 'gateway': c.get('gateway'), 'network': c.get('network')})
        routers = [{'name': r['name'], 'pid': net[r['name']].pid,
                    'interfaces': [{'name': 'eth%d' % i, 'segment': itf['segment'], 'ip': itf['ip']}
                                   for i, itf in enumerate(r['interfaces'])]} for r in spec['routers']]
        segments = []
        for s in spec['segments']:
            members = [h['name'] for h in spec['hosts'] if h['segment'] == s['name']] + \
                      [r['name'] for r in spec['routers'] if any(i['segment'] == s['name'] for i in r['interfaces'])]
            segments.append({'name': s['name'], 'pid': net[s['name']].pid, 'cidr': s['cidr'], 'bridge': 'br0',
                             'members': members})
        return {'runDir': self.rundir, 'launcherPid': os.getpid(), 'hosts': hosts, 'containers': containers,
                'routers': routers, 'segments': segments, 'networks': spec['networks']}

    # Changes -----------------------------------------------------------------------------------------------
    def link(self, a, b):
        """The veth link between two nodes (host or router and its segment, container and its host)."""
        for link in self.net.links:
            if {link.intf1.node.name, link.intf2.node.name} == {a, b}:
                return link
        raise ValueError('no link between %s and %s' % (a, b))

    def set_link(self, a, b, state):
        """Like pulling a cable: only one end goes admin-down (the segment's, else the host's), so the other end
        just loses carrier and keeps its addresses and routes, as a real NIC would."""
        link = self.link(a, b)
        ends = sorted((link.intf1, link.intf2), key=lambda i: (not isinstance(i.node, Segment),
                                                                 not isinstance(i.node, OvsHost)))
        check(ends[0].node, 'ip link set %s %s' % (ends[0].name, state))

    def ovs_host(self, name):
        node = self.net.get(name) if name in self.net else None
        if not isinstance(node, OvsHost):
            raise ValueError('%r is not a host of this bed' % name)
        return node

    # Teardown ----------------------------------------------------------------------------------------------
    def down(self):
        """Kill our daemons (by pidfile), then every process still inside one of our namespaces, then the
        nodes' shells; the namespaces and their veths die with their last process. Idempotent."""
        started = time.time()
        if self.net is not None:
            for node in self.net.switches + self.net.hosts:  # a build cut short has not recorded them all yet
                if node.shell and node.name not in self.netns:
                    try:
                        self.netns[node.name] = netns_inode(node.pid)
                    except OSError:
                        pass
            # Every host's daemons at once: one after another, ten hosts with hundreds of ports each took longer
            # than the bed's 30 s teardown on a loaded machine (ovs-vswitchd's exit --cleanup removes every port).
            hosts = [node for node in self.net.switches if isinstance(node, OvsHost)]
            stopping = [(node, node.begin_stopping_daemons()) for node in hosts]
            for node, stop in stopping:
                try:
                    node.await_daemons_stopped(stop)
                except Exception:  # keep tearing down
                    pass
            self.kill_namespace_processes()
            for node in self.net.switches + self.net.hosts:
                try:
                    node.terminate()
                except Exception:
                    pass
            self.net = None
        shutil.rmtree(self.rundir, ignore_errors=True)
        return time.time() - started

    def kill_namespace_processes(self):
        ours = set(self.netns.values())
        shells = {n.pid for n in self.net.switches + self.net.hosts}
        victims = []
        for entry in os.listdir('/proc'):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                if os.readlink('/proc/%s/ns/net' % entry) in ours and int(entry) not in shells:
                    victims.append(int(entry))
            except OSError:
                continue
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in victims:
            kill_pid(pid, grace=0)
