"""A small client of Weft's REST API (/api/v1), standard library only (urllib + json).

Errors come back as WeftError carrying the HTTP status and the problem+json body, so callers can tell a 409
(already there) from a 404 or a refused request.
"""

import json
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_URL = 'http://127.0.0.1:8080'


class WeftError(Exception):
    def __init__(self, method, path, status, body):
        self.method, self.path, self.status, self.body = method, path, status, body
        detail = body.get('detail') or body.get('title') if isinstance(body, dict) else body
        super().__init__('%s %s -> %s: %s' % (method, path, status, detail))


class Weft:
    """`Weft('http://127.0.0.1:8080')`; every call returns the decoded JSON reply (None for 204)."""

    def __init__(self, url=DEFAULT_URL, timeout=120):
        self.base = url.rstrip('/') + '/api/v1'
        self.timeout = timeout

    def request(self, method, path, body=None, wait=False, accept='application/json'):
        url = self.base + path + ('?wait=true' if wait else '')
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method, headers={'Accept': accept})
        if data is not None:
            req.add_header('Content-Type', 'application/json')
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read().decode()
                status = resp.status
                kind = resp.headers.get('Content-Type', '')
        except urllib.error.HTTPError as e:
            raw = e.read().decode(errors='replace')
            try:
                problem = json.loads(raw)
            except ValueError:
                problem = raw
            raise WeftError(method, path, e.code, problem) from None
        if not raw:
            return None
        reply = json.loads(raw) if 'json' in kind else raw
        if isinstance(reply, dict):
            reply.setdefault('_status', status)
        return reply

    # Health -----------------------------------------------------------------------------------------------
    def health(self):
        return self.request('GET', '/health')

    def topology(self):
        """The plain switches as discovered: {'switches': [...], 'links': [...], 'hosts': [...]}."""
        return self.request('GET', '/topology')

    def reachable(self):
        try:
            self.health()
            return True
        except (OSError, WeftError, ValueError):
            return False

    # Hosts ------------------------------------------------------------------------------------------------
    def add_host(self, name, tunnel_ip, ovsdb, datapath_type='netdev', openflow=None, wait=True):
        """openflow: optional passive target on the bridge (punix:PATH) that Weft connects to."""
        body = {'name': name, 'tunnelIp': tunnel_ip, 'ovsdb': ovsdb, 'datapathType': datapath_type}
        if openflow:
            body['openflow'] = openflow
        return self.request('POST', '/hosts', body, wait=wait)

    def host(self, name):
        return self.request('GET', '/hosts/' + quote(name))

    def hosts(self):
        return self.request('GET', '/hosts')

    def delete_host(self, name, wait=False):
        return self.request('DELETE', '/hosts/' + quote(name), wait=wait)

    def flows_text(self, host):
        return self.request('GET', '/hosts/%s/flows?format=text' % quote(host), accept='text/plain')

    # Networks ---------------------------------------------------------------------------------------------
    def add_network(self, name, subnets, encap='vxlan', vni=None, mtu=None, wait=True):
        body = {'name': name, 'subnets': subnets, 'encap': encap}
        if vni is not None:
            body['vni'] = vni
        if mtu is not None:
            body['mtu'] = mtu
        return self.request('POST', '/networks', body, wait=wait)

    def delete_network(self, name, wait=False):
        return self.request('DELETE', '/networks/' + quote(name), wait=wait)

    # Endpoints --------------------------------------------------------------------------------------------
    def add_endpoint(self, network, name, host, port, ip=None, mac=None, wait=True):
        body = {'name': name, 'host': host, 'port': port}
        if ip:
            body['ip'] = ip
        if mac:
            body['mac'] = mac
        return self.request('POST', '/networks/%s/endpoints' % quote(network), body, wait=wait)

    def delete_endpoint(self, network, name, wait=True):
        return self.request('DELETE', '/networks/%s/endpoints/%s' % (quote(network), quote(name)), wait=wait)


def quote(segment):
    return urllib.parse.quote(segment, safe='')
