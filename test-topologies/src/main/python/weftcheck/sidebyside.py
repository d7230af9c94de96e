"""The two systems of the side-by-side bench (bench_vs_ovn.py), driven through the same steps.

An announce is the same work for both: the container's host-side veth is added to br-int with
`external_ids:iface-id=<endpoint>` (one OVSDB transaction on the host's database, answered by ovsdb-server), then
the system is told: OVN by one NB transaction inserting the logical switch port with addresses and port
security "MAC IP" (`ovn-nbctl lsp-add` + `lsp-set-addresses` + `lsp-set-port-security`), Weft by
`POST /networks/NET/endpoints` naming the port, which Weft binds by its iface-id. Both clients keep one
connection open, as an orchestrator's library does. A de-provision is the reverse: the logical port deleted /
`DELETE` of the endpoint; the port leaves br-int afterwards, untimed.
"""

import http.client
import json
import os
import select
import subprocess
import threading
import time

from weftcheck.ovn import Northbound
from weftcheck.ovsdb import Ovsdb, named, omap, oset

PROBER = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'prober.py')


class HostPorts:
    """Adds and removes br-int ports on the bed's hosts over one OVSDB connection per host."""

    def __init__(self, bed):
        self.conns = {h['name']: Ovsdb(bed.net[h['name']].db_sock, 'Open_vSwitch') for h in bed.spec['hosts']}
        self.ports = {}  # (host, port) -> Port uuid

    def add(self, host, port, iface_id, kind=None):
        self.add_many(host, [(port, iface_id)], kind)

    def add_many(self, host, ports, kind=None):
        """ports: [(port name, iface-id)], all in one transaction; `kind` the Interface type (e.g. internal)."""
        ops, refs = [], []
        for i, (port, iface_id) in enumerate(ports):
            interface = {'name': port, 'external_ids': omap({'iface-id': iface_id})}
            if kind:
                interface['type'] = kind
            ops.append({'op': 'insert', 'table': 'Interface', 'uuid-name': 'i%d' % i, 'row': interface})
            ops.append({'op': 'insert', 'table': 'Port', 'uuid-name': 'p%d' % i,
                        'row': {'name': port, 'interfaces': named('i%d' % i)}})
            refs.append(named('p%d' % i))
        ops.append({'op': 'mutate', 'table': 'Bridge', 'where': [['name', '==', 'br-int']],
                    'mutations': [['ports', 'insert', oset(*refs)]]})
        results = self.conns[host].transact(*ops)
        if results[-1].get('count') != 1:
            raise RuntimeError('%s has no br-int to add ports to' % host)
        for i, (port, _) in enumerate(ports):
            self.ports[(host, port)] = results[2 * i + 1]['uuid']

    def await_bridge(self, timeout=60.0):
        """Until every host has br-int (OVN's chassis and Weft make it once they manage the host)."""
        deadline = time.monotonic() + timeout
        for host, conn in self.conns.items():
            while not conn.transact({'op': 'select', 'table': 'Bridge', 'where': [['name', '==', 'br-int']],
                                     'columns': ['name']})[0]['rows']:
                if time.monotonic() > deadline:
                    raise RuntimeError('%s: no br-int after %.0f s' % (host, timeout))
                time.sleep(0.05)

    def remove(self, host, port):
        uuid = self.ports.pop((host, port))
        self.conns[host].transact({'op': 'mutate', 'table': 'Bridge', 'where': [['name', '==', 'br-int']],
                                   'mutations': [['ports', 'delete', oset(uuid)]]})

    def close(self):
        for c in self.conns.values():
            c.close()


class Announce:
    """What one announce or removal returned: when the system's call returned, its reply (Weft's HTTP status
    and JSON)."""

    def __init__(self, attached, returned, status=None, reply=None):
        self.attached, self.returned, self.status, self.reply = attached, returned, status, reply

    @property
    def call_ms(self):
        """The system's own call alone (NB transaction / REST round trip), measured by the client."""
        return (self.returned - self.attached) * 1000


class System:
    """The steps both systems share; each tells its own system in `tell` (announce) and `untell` (remove),
    returning (HTTP status, reply) or (None, None)."""

    def __init__(self, bed):
        self.bed = bed
        self.ports = HostPorts(bed)

    def announce(self, e, wait=False):
        """Returns when it began and what the system's call did (timed apart from the port's transaction)."""
        t = time.monotonic()
        self.ports.add(e['host'], e['port'], e['name'])
        attached = time.monotonic()
        status, reply = self.tell(e, wait)
        return t, Announce(attached, time.monotonic(), status, reply)

    def remove(self, e):
        t = time.monotonic()
        status, reply = self.untell(e)
        return t, Announce(t, time.monotonic(), status, reply)

    def detach(self, e):
        """The port off br-int, after a removal (untimed)."""
        self.ports.remove(e['host'], e['port'])

    def close(self):
        self.ports.close()


class OvnSystem(System):
    name = 'OVN'

    def __init__(self, bed, central, switch):
        System.__init__(self, bed)
        self.central, self.switch = central, switch
        self.nb = Northbound(central)
        self.stalls = 0  # syncs that had to be asked again (see settle)

    def bulk(self, endpoints):
        """Announces many endpoints (ports already on br-int) and returns once every chassis installed them."""
        self.nb.add_ports(self.switch, [(e['name'], e['mac'], e['ip']) for e in endpoints])
        self.settle([e['name'] for e in endpoints], within=600)

    def tell(self, e, wait):
        self.nb.add_ports(self.switch, [(e['name'], e['mac'], e['ip'])], wait=wait)
        return None, None

    def untell(self, e):
        self.nb.delete_port(self.switch, e['name'])
        return None, None

    def settle(self, ports=(), within=120):
        """Until every chassis installed everything written so far and `ports` are up. Seen with OVN 23.03 here:
        chassis whose OpenFlow connection dropped while they installed the flows of 2,000 ports (their main
        loop stalled for seconds) never reported that nb_cfg, though all ports came up, and reported a later
        one at once; so a sync that stalls for a minute is asked again (counted in `stalls`)."""
        deadline = time.monotonic() + within
        while True:
            try:
                self.nb.sync(ports, timeout=60)
                return
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                self.stalls += 1

    def diagnose(self, lines=12):
        """What each chassis last reported, and the end of the log of those behind the SB's nb_cfg."""
        cfg = self.central.nb_cfg_by_chassis()
        sb = cfg.pop('')
        out = ['OVN: SB nb_cfg %s; chassis: %s' % (sb, ', '.join('%s %s' % kv for kv in sorted(cfg.items())))]
        for name, reported in sorted(cfg.items()):
            if sb is not None and reported < sb:
                with open(self.bed.net[name].path('ovn-controller.log'), errors='replace') as f:
                    out.append('%s: ovn-controller.log ends:\n%s' % (name, ''.join(f.readlines()[-lines:])))
        return '\n'.join(out)

    def close(self):
        System.close(self)
        self.nb.close()


class WeftHttp:
    """Weft's REST API over one kept-alive HTTP connection (urllib would open one per request)."""

    def __init__(self, url, timeout=120):
        host, _, port = url.split('//', 1)[1].rstrip('/').partition(':')
        self.host, self.port, self.timeout = host, int(port or 80), timeout
        self.conn = None

    def call(self, method, path, body=None):
        """Returns (status, decoded JSON or None)."""
        data = None if body is None else json.dumps(body)
        headers = {'Accept': 'application/json'}
        if data is not None:
            headers['Content-Type'] = 'application/json'
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, '/api/v1' + path, data, headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw else None)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise

    def expect(self, status, method, path, body=None):
        got, reply = self.call(method, path, body)
        if got != status:
            raise RuntimeError('Weft: %s %s -> %d, expected %d: %s' % (method, path, got, status, reply))
        return reply

    def close(self):
        if self.conn is not None:
            self.conn.close()


class WeftSystem(System):
    name = 'Weft'

    def __init__(self, bed, url, network):
        System.__init__(self, bed)
        self.url, self.network = url, network
        self.http = WeftHttp(url)
        self.errors = []  # what Weft answered that it should not have

    def bulk(self, endpoints, threads=4):
        """POSTs (no wait) from a few client threads, then waits until every host applied the last revision."""
        failures = []

        def post(chunk):
            client = WeftHttp(self.url)
            for e in chunk:
                status, reply = client.call('POST', '/networks/%s/endpoints' % self.network, _body(e))
                if status != 201:
                    failures.append('%s: %d %s' % (e['name'], status, reply))
            client.close()
        workers = [threading.Thread(target=post, args=(endpoints[i::threads],)) for i in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        if failures:
            raise RuntimeError('Weft refused %d existing endpoints, e.g. %s' % (len(failures), failures[0]))
        self.settle(timeout=600)

    def tell(self, e, wait):
        t = time.monotonic()
        status, reply = self.http.call('POST', '/networks/%s/endpoints%s' % (self.network, '?wait=true' if wait
                                                                              else ''), _body(e))
        if status != 201:
            self.errors.append('POST endpoint %s (wait=%s) -> %d after %.0f ms: %s' % (
                e['name'], wait, status, (time.monotonic() - t) * 1000, _brief(reply)))
        return status, reply

    def untell(self, e):
        status, reply = self.http.call('DELETE', '/networks/%s/endpoints/%s' % (self.network, e['name']))
        if status not in (200, 204):
            self.errors.append('DELETE endpoint %s -> %d %s' % (e['name'], status, reply))
        return status, reply

    def settle(self, timeout=60):
        """Until every host applied the controller's current revision (GET /health, then each host's status)."""
        revision = self.http.expect(200, 'GET', '/health')['revision']
        deadline = time.monotonic() + timeout
        for h in self.bed.spec['hosts']:
            while True:
                status = self.http.expect(200, 'GET', '/hosts/' + h['name']).get('status', {})
                if status.get('appliedRevision', -1) >= revision:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError('Weft: %s did not apply revision %d within %d s: %s'
                                       % (h['name'], revision, timeout, status))
                time.sleep(0.01)

    def close(self):
        System.close(self)
        self.http.close()


def _brief(reply):
    if not isinstance(reply, dict):
        return reply
    keys = ('detail', 'acknowledgedBy', 'pending', 'installPending', 'installedInMs', 'timeline')
    return {k: reply[k] for k in keys if k in reply}


def _body(e):
    return {'name': e['name'], 'host': e['host'], 'port': e['port'], 'ip': e['ip'], 'mac': e['mac']}


class Prober:
    """The orchestrator's side of prober.py, started in a container's namespace (see there)."""

    def __init__(self, node, target, interval=0.01, quiet=0.5, timeout=10.0):
        self.proc = node.popen(['/usr/bin/python3', '-S', PROBER, target, str(interval), str(quiet)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buffer = b''
        self.expect('ready', timeout)

    def go(self):
        self._say('go')

    def interval(self, seconds):
        self._say('interval=%g' % seconds)

    def _say(self, command):
        self.proc.stdin.write(command.encode() + b'\n')
        self.proc.stdin.flush()

    def expect(self, word, timeout):
        """Waits for the line starting with `word`; returns its number (or None), raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            line = self._line(deadline)
            if line is None:
                raise TimeoutError('prober: no "%s" within %.1f s' % (word, timeout))
            parts = line.split()
            if parts and parts[0] == word:
                return float(parts[1]) if len(parts) > 1 else None

    def stop(self):
        """Ends the prober; returns its record of sends and replies."""
        try:
            self._say('stop')
            deadline = time.monotonic() + 10
            while True:
                line = self._line(deadline)
                if line is None:
                    raise TimeoutError('prober did not report')
                if line.startswith('{'):
                    return json.loads(line)
        finally:
            self.kill()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            f.close()

    def _line(self, deadline):
        fd = self.proc.stdout.fileno()
        while b'\n' not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            readable, _, _ = select.select([fd], [], [], left)
            if readable:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    err = self.proc.stderr.read().decode(errors='replace')
                    raise RuntimeError('prober exited: %s' % err.strip()[-500:])
                self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b'\n')
        return line.decode()


def last_reply(record):
    """When the last echo reply arrived (pings stop being answered after it)."""
    return max(t for _, t in record['replies'])
