"""OVN 23.03 (Debian's ovn-central and ovn-host) on a test bed, as the side-by-side reference for Weft.

`OvnCentral` runs the northbound and southbound ovsdb-servers and ovn-northd on unix sockets in a run dir of
their own, inside the namespace of one of the bed's nodes (so that the bed's teardown, which kills every
process left in its namespaces, reaps them even when this process dies first). `start_chassis` runs one
ovn-controller per emulated host, in the host's namespace, pointed at the host's own OVSDB; it creates br-int
itself (`ovn-bridge-datapath-type=netdev`) and its tunnels to the other chassis (`ovn-encap-type`).
`Northbound` changes the NB database over one OVSDB connection, as an orchestrator's library does.
"""

import os
import time

from weftbed.nodes import check, kill_pid, pid_from
from weftcheck.ovsdb import Ovsdb, named, oset

NB_SCHEMA = '/usr/share/ovn/ovn-nb.ovsschema'
SB_SCHEMA = '/usr/share/ovn/ovn-sb.ovsschema'


def _wait_for(condition, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError('OVN: %s not within %.0f s' % (what, timeout))
        time.sleep(0.05)


class OvnCentral:
    """NB + SB ovsdb-servers and ovn-northd; files nb.*, sb.*, northd.* in `rundir`."""

    def __init__(self, node, rundir):
        self.node = node
        self.rundir = rundir
        self.nb_sock = os.path.join(rundir, 'nb.sock')
        self.sb_sock = os.path.join(rundir, 'sb.sock')

    def path(self, leaf):
        return os.path.join(self.rundir, leaf)

    def start(self):
        os.makedirs(self.rundir, exist_ok=True)
        # ovn-northd and the OVN tools fall back to /var/run/ovn for files not named on their command line.
        os.makedirs('/var/run/ovn', exist_ok=True)
        env = 'OVS_RUNDIR=%s OVN_RUNDIR=%s' % (self.rundir, self.rundir)
        for db, schema in (('nb', NB_SCHEMA), ('sb', SB_SCHEMA)):
            check(self.node, 'ovsdb-tool create %s %s' % (self.path(db + '.db'), schema))
            check(self.node, '%s ovsdb-server %s --remote=punix:%s --pidfile=%s --unixctl=%s --log-file=%s '
                             '-vconsole:off --detach'
                  % (env, self.path(db + '.db'), self.path(db + '.sock'), self.path(db + '.pid'),
                     self.path(db + '.ctl'), self.path(db + '.log')))
        with Ovsdb(self.nb_sock, 'OVN_Northbound') as nb:  # as `ovn-nbctl init`, before northd could race us
            nb.transact({'op': 'insert', 'table': 'NB_Global', 'row': {}})
        check(self.node, '%s ovn-northd --ovnnb-db=unix:%s --ovnsb-db=unix:%s --pidfile=%s --unixctl=%s '
                         '--log-file=%s -vconsole:off --detach'
              % (env, self.nb_sock, self.sb_sock, self.path('northd.pid'), self.path('northd.ctl'),
                 self.path('northd.log')))
        return self

    def chassis(self):
        """Names of the chassis registered in the southbound database."""
        with Ovsdb(self.sb_sock, 'OVN_Southbound') as sb:
            rows = sb.transact({'op': 'select', 'table': 'Chassis', 'where': [], 'columns': ['name']})[0]['rows']
        return sorted(r['name'] for r in rows)

    def nb_cfg_by_chassis(self):
        """{chassis: the nb_cfg it last reported}, and under '' the SB's own (what northd copied from the NB)."""
        with Ovsdb(self.sb_sock, 'OVN_Southbound') as sb:
            rows, sb_global = sb.transact(
                {'op': 'select', 'table': 'Chassis_Private', 'where': [], 'columns': ['name', 'nb_cfg']},
                {'op': 'select', 'table': 'SB_Global', 'where': [], 'columns': ['nb_cfg']})
        out = {r['name']: r['nb_cfg'] for r in rows['rows']}
        out[''] = sb_global['rows'][0]['nb_cfg'] if sb_global['rows'] else None
        return out

    def stop(self):
        for daemon in ('northd', 'sb', 'nb'):
            kill_pid(pid_from(self.path(daemon + '.pid')))


def start_chassis(host, central, tunnel_ip, encap='vxlan'):
    """ovn-controller on bed host `host` (an OvsHost): tells its OVSDB where the SB is and how to tunnel, then
    starts the daemon in the host's namespace with the host's run dir (where it finds br-int's .mgmt socket)."""
    host.vsctl('set Open_vSwitch . external_ids:ovn-remote=unix:%s external_ids:ovn-encap-type=%s '
               'external_ids:ovn-encap-ip=%s external_ids:ovn-bridge-datapath-type=netdev'
               % (central.sb_sock, encap, tunnel_ip))
    d = host.rundir
    check(host, 'OVN_RUNDIR=%s ovn-controller unix:%s --pidfile=%s --log-file=%s -vconsole:off '
                '--detach' % (d, host.db_sock, host.path('ovn-controller.pid'),
                              host.path('ovn-controller.log')))


def stop_chassis(host):
    kill_pid(pid_from(host.path('ovn-controller.pid')))


def await_chassis(central, names, timeout=60.0):
    _wait_for(lambda: set(names) <= set(central.chassis()), 'chassis %s registered' % ', '.join(names), timeout)


class Northbound:
    """One logical switch's ports, over one connection to the NB database. Writes return once the NB server
    committed them (what `ovn-nbctl` without --wait waits for). `wait=True` returns once OVN says the change is
    in place everywhere: the transaction also bumps NB_Global.nb_cfg and the call waits until every chassis
    reported that it installed the flows of that configuration (NB_Global.hv_cfg, what `ovn-nbctl --wait=hv`
    waits for) and every port it added is `up` (its chassis claimed it and installed its flows: ovn-controller
    sets `ovn-installed`, ovn-northd copies that to the NB row; what CMSs such as Neutron wait for). hv_cfg
    alone comes back before the new port's own flows exist."""

    def __init__(self, central, timeout=60.0):
        self.db = Ovsdb(central.nb_sock, 'OVN_Northbound', timeout=timeout)
        self.timeout = timeout
        self.ports = {}  # name -> uuid
        self.up = set()  # names of ports that are up
        self.hv_cfg = 0
        self._seen(self.db.monitor({'NB_Global': ['hv_cfg'], 'Logical_Switch_Port': ['name', 'up']}))

    def close(self):
        self.db.close()

    def add_switch(self, name, wait=False):
        return self._write([{'op': 'insert', 'table': 'Logical_Switch', 'row': {'name': name}}], wait)

    def add_ports(self, switch, ports, wait=False):
        """ports: [(name, mac, ip)]; each gets addresses and port security "MAC IP" (Weft's endpoints are
        port-secured too)."""
        ops, refs = [], []
        for i, (name, mac, ip) in enumerate(ports):
            ref = 'p%d' % i
            address = '%s %s' % (mac, ip)
            ops.append({'op': 'insert', 'table': 'Logical_Switch_Port', 'uuid-name': ref,
                        'row': {'name': name, 'addresses': address, 'port_security': address}})
            refs.append(named(ref))
        ops.append({'op': 'mutate', 'table': 'Logical_Switch', 'where': [['name', '==', switch]],
                    'mutations': [['ports', 'insert', oset(*refs)]]})
        results, target = self._commit(ops, wait)
        for (name, _, _), r in zip(ports, results):
            self.ports[name] = r['uuid']
        if wait:
            self._await(target, [name for name, _, _ in ports])
        return results

    def delete_port(self, switch, name, wait=False):
        """Like `ovn-nbctl lsp-del`: the port row goes with its last reference."""
        uuid = self.ports.pop(name)
        return self._write([{'op': 'mutate', 'table': 'Logical_Switch', 'where': [['name', '==', switch]],
                             'mutations': [['ports', 'delete', oset(uuid)]]}], wait)

    def sync(self, ports=(), timeout=None):
        """Returns once every chassis has installed everything written so far (`ovn-nbctl --wait=hv sync`) and
        the named ports are up."""
        return self._write([], True, ports, timeout)

    def _write(self, ops, wait, ports=(), timeout=None):
        results, target = self._commit(ops, wait)
        if wait:
            self._await(target, ports, timeout)
        return results

    def _commit(self, ops, wait):
        """Runs the operations, with an nb_cfg bump when waiting; returns their results and the nb_cfg to await."""
        if not wait:
            return self.db.transact(*ops), None
        ops = ops + [{'op': 'mutate', 'table': 'NB_Global', 'where': [], 'mutations': [['nb_cfg', '+=', 1]]},
                     {'op': 'select', 'table': 'NB_Global', 'where': [], 'columns': ['nb_cfg']}]
        results = self.db.transact(*ops)
        return results[:-2], results[-1]['rows'][0]['nb_cfg']

    def _await(self, target, ports, timeout=None):
        timeout = timeout or self.timeout
        deadline = time.monotonic() + timeout
        while self.db.updates:
            self._seen(self.db.updates.pop(0))
        while self.hv_cfg < target or not self.up.issuperset(ports):
            update = self.db.wait_update(deadline)
            if update is None:
                raise RuntimeError('OVN: not in place within %.0f s: hv_cfg %d of %d, ports not up: %s'
                                   % (timeout, self.hv_cfg, target, ', '.join(sorted(set(ports) - self.up)[:5])))
            self._seen(update)

    def _seen(self, tables):
        for change in tables.get('NB_Global', {}).values():
            new = change.get('new')
            if new and 'hv_cfg' in new:
                self.hv_cfg = max(self.hv_cfg, new['hv_cfg'])
        for change in tables.get('Logical_Switch_Port', {}).values():
            old, new = change.get('old') or {}, change.get('new')
            name = (new or old).get('name')
            if new is None or name is None:
                self.up.discard(old.get('name'))
                continue
            if new.get('up') is True:
                self.up.add(name)
            else:
                self.up.discard(name)
