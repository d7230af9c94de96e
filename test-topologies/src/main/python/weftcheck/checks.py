"""The checks check.py runs on a bed registered with Weft: connectivity inside each network, isolation between
networks, de-provision, re-provision, ovs-vswitchd restart, underlay link down and up.

Each check returns an Outcome (pairs tested, passed, failed, seconds to converge); waits are bounded polls.
"""

import itertools
import os
import time

from weftcheck.probe import Outcome, ping_pairs, poll, poll_pings, traces_in_flows


class Checks:
    def __init__(self, bed, registration, timeout=30.0, diag_dir=None, log=print):
        self.bed, self.net, self.spec = bed, bed.net, bed.spec
        self.reg = registration
        self.timeout = timeout
        self.diag_dir = diag_dir
        self.log = log
        self.containers = {c['name']: dict(c, ip=c['ip'].split('/')[0], mac=self.net[c['name']].defaultIntf().MAC())
                           for c in self.spec['containers']}

    # Pairs ------------------------------------------------------------------------------------------------
    def same_network_pairs(self, involving=None, unordered=False):
        pairs = []
        combine = itertools.combinations if unordered else itertools.permutations
        for a, b in combine(self.containers.values(), 2):
            if a['network'] == b['network'] and (involving is None or involving in (a['name'], b['name'])):
                pairs.append((a['name'], b['name'], b['ip']))
        return pairs

    def cross_network_pairs(self):
        """Pairs in different networks, except targets whose IP also lives in the source's own network (such
        a ping rightly reaches the source network's owner of that IP; the neighbour check covers them)."""
        own_ips = {}
        for c in self.containers.values():
            own_ips.setdefault(c['network'], set()).add(c['ip'])
        return [(a['name'], b['name'], b['ip']) for a, b in itertools.permutations(self.containers.values(), 2)
                if a['network'] != b['network'] and b['ip'] not in own_ips[a['network']]]

    # Checks -----------------------------------------------------------------------------------------------
    def connectivity(self, name='connectivity', involving=None):
        pairs = self.same_network_pairs(involving)
        passed, failed, seconds = poll_pings(self.net, pairs, True, self.timeout)
        return self._outcome(name, len(pairs), passed, failed, seconds)

    def isolation(self):
        """No ping crosses networks, and no container ever learned the MAC of another network's container."""
        networks = {c['network'] for c in self.containers.values()}
        if len(networks) < 2:
            return Outcome.not_applicable('isolation', 'one network, nothing to be isolated from')
        pairs = self.cross_network_pairs()
        started = time.time()
        leaked = [p for p, ok in _ping_once(self.net, pairs).items() if ok]
        mac_network = {c['mac'].lower(): c for c in self.containers.values()}
        for c in self.containers.values():
            for line in self.net[c['name']].cmd('ip neigh show').splitlines():
                words = line.split()
                if 'lladdr' in words:
                    other = mac_network.get(words[words.index('lladdr') + 1].lower())
                    if other and other['network'] != c['network']:
                        leaked.append((c['name'], other['name'], 'neighbour %s' % words[0]))
        items = len(pairs) + len(self.containers)
        return self._outcome('isolation', items, items - len(leaked), leaked, time.time() - started)

    def victim(self):
        """A container whose IP no other container has (so its IP must vanish from every flow table), on the
        last host."""
        ips = [c['ip'] for c in self.containers.values()]
        cands = [c for c in self.containers.values() if ips.count(c['ip']) == 1] or list(self.containers.values())
        return sorted(cands, key=lambda c: (c['host'], c['name']))[-1]

    def endpoint_of(self, c):
        return next(e for e in self.reg.plan['endpoints'] if e['name'] == c['name'])

    def deprovision(self, v):
        started = time.time()
        self.reg.delete_endpoint(self.endpoint_of(v), wait=True)
        pairs = [p for p in self.same_network_pairs(v['name']) if p[1] == v['name']]
        passed, failed, _ = poll_pings(self.net, pairs, False, self.timeout)
        hosts = [h['name'] for h in self.spec['hosts']]

        def traces():
            found = []
            for h in hosts:
                for line in traces_in_flows(self.dump_flows(h), v['mac'], v['ip']):
                    found.append((h, v['name'], 'flow: ' + line))
            if self.host_intf(v) in self.br_int_ports(v['host']):
                found.append((v['host'], v['name'], 'port %s still on br-int' % self.host_intf(v)))
            return found

        left, _ = poll(traces, self.timeout)
        failed = failed + (left or [])
        items = len(pairs) + len(hosts)
        return self._outcome('deprovision', items, items - len(failed), failed, time.time() - started,
                             note='%s on %s' % (v['name'], v['host']))

    def reprovision(self, v):
        started = time.time()
        self.reg.add_endpoint(self.endpoint_of(v), wait=True)
        out = self.connectivity('reprovision', involving=v['name'])
        out.seconds = time.time() - started
        return out

    def vswitchd_restart(self, host):
        started = time.time()
        self.bed.ovs_host(host).restart_vswitchd()
        out = self.connectivity('vswitchd-restart')
        out.seconds, out.note = time.time() - started, host
        return out

    def link_flap(self):
        a, b, affected = self.flap_target()
        pairs = [p for p in self.same_network_pairs() if affected(p)]
        self.bed.set_link(a, b, 'down')
        try:
            passed_down, failed_down, _ = poll_pings(self.net, pairs, False, 10)
        finally:
            self.bed.set_link(a, b, 'up')
        started = time.time()
        out = self.connectivity('link-flap')
        out.seconds, out.note = time.time() - started, '%s-%s' % (a, b)
        if failed_down:
            out.note += ', %d pairs still answered while down' % len(failed_down)
            out.pairs, out.failed = out.pairs + len(failed_down), out.failed + len(failed_down)
            self._diag('link-flap-down', failed_down)
        return out

    def flap_target(self):
        """twosites: the r1-wan link (the routed underlay), else the last host's link to its segment.
        Returns (a, b, predicate on a pair: does the link carry it)."""
        host_of = {c['name']: c['host'] for c in self.containers.values()}
        if any(r['name'] == 'r1' for r in self.spec['routers']) and \
                any(i['segment'] == 'wan' for r in self.spec['routers'] for i in r['interfaces']):
            seg = {h['name']: h['segment'] for h in self.spec['hosts']}
            return 'r1', 'wan', lambda p: seg[host_of[p[0]]] != seg[host_of[p[1]]]
        last = self.spec['hosts'][-1]
        return last['name'], last['segment'], \
            lambda p: (host_of[p[0]] == last['name']) != (host_of[p[1]] == last['name'])

    # Host views -------------------------------------------------------------------------------------------
    def dump_flows(self, host):
        node = self.net[host]
        return node.cmd('ovs-ofctl -O OpenFlow13 dump-flows unix:%s 2>&1' % node.path('br-int.mgmt'))

    def br_int_ports(self, host):
        node = self.net[host]
        return node.cmd('ovs-vsctl --timeout=5 --db=unix:%s list-ports br-int 2>&1' % node.db_sock).split()

    @staticmethod
    def host_intf(c):
        return 've-' + c['name']

    # Reporting --------------------------------------------------------------------------------------------
    def _outcome(self, name, items, passed, failed, seconds, note=''):
        failed = list(failed)
        if failed:
            self._diag(name, failed)
        return Outcome(name, items, passed, len(failed), seconds, note)

    def _diag(self, name, failed):
        """What an engineer needs to see when a check fails: the failures, then each host's OVS state."""
        lines = ['# %s: %d failed' % (name, len(failed))] + ['  %s' % (f,) for f in failed[:50]]
        self.log('\n'.join(lines[:6]))
        if not self.diag_dir:
            return
        for h in self.spec['hosts']:
            node = self.net[h['name']]
            lines.append('\n## %s ovs-vsctl show\n%s' % (h['name'], node.cmd(
                'ovs-vsctl --timeout=5 --db=unix:%s show 2>&1' % node.db_sock)))
            lines.append('## %s dump-flows br-int\n%s' % (h['name'], self.dump_flows(h['name'])))
        os.makedirs(self.diag_dir, exist_ok=True)
        path = os.path.join(self.diag_dir, '%s.txt' % name)
        with open(path, 'a') as f:
            f.write('\n'.join(lines) + '\n')
        self.log('  (details: %s)' % path)


def _ping_once(net, pairs):
    return ping_pairs(net, pairs, 1) if pairs else {}
