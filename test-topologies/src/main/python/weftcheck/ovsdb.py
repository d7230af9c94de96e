"""A minimal OVSDB (RFC 7047) client over a unix socket, standard library only.

For benches that must talk to an ovsdb-server the way an orchestrator does, in process: one `transact` costs a
round trip on an open connection, where spawning `ovs-vsctl` or `ovn-nbctl` costs a process start (10-30 ms on
a loaded machine) that would then be counted as the system's time.
"""

import json
import socket
import time


class OvsdbError(Exception):
    pass


class Ovsdb:
    """`Ovsdb('/run/x/db.sock', 'Open_vSwitch')`: one connection, requests answered in order (no pipelining),
    the server's echo requests answered while waiting, table updates of `monitor` collected."""

    def __init__(self, path, database, timeout=30.0):
        self.database = database
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buffer = ''
        self.decoder = json.JSONDecoder()
        self.next_id = 0
        self.updates = []  # params of "update" notifications, oldest first

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    # Requests -----------------------------------------------------------------------------------------------
    def transact(self, *operations):
        """Runs the operations as one transaction; returns their results. An operation's error (or one the
        server appends after the last operation, e.g. a constraint violation) raises OvsdbError."""
        results = self.call('transact', [self.database] + list(operations))
        for i, r in enumerate(results):
            if isinstance(r, dict) and 'error' in r:
                what = operations[i] if i < len(operations) else 'commit'
                raise OvsdbError('%s: %s (%s)' % (r['error'], r.get('details', ''), json.dumps(what)[:300]))
        return results

    def monitor(self, tables, monitor_id='m'):
        """Starts a monitor of {table: [column...]}; returns the initial contents {table: {uuid: {'new': row}}}
        (later changes arrive as updates, see wait_update)."""
        return self.call('monitor', [self.database, monitor_id,
                                     {table: {'columns': columns} for table, columns in tables.items()}])

    def call(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self._send({'method': method, 'params': params, 'id': rid})
        deadline = time.monotonic() + self.timeout
        while True:
            msg = self._receive(deadline)
            if msg.get('id') == rid and 'result' in msg:
                if msg.get('error'):
                    raise OvsdbError('%s: %s' % (method, msg['error']))
                return msg['result']
            self._handle(msg)

    def wait_update(self, deadline):
        """Blocks until the next table update (or the monotonic `deadline`); returns it or None at timeout."""
        while not self.updates:
            try:
                self._handle(self._receive(deadline))
            except socket.timeout:
                return None
        return self.updates.pop(0)

    # Wire ---------------------------------------------------------------------------------------------------
    def _handle(self, msg):
        if msg.get('method') == 'echo':
            self._send({'result': msg.get('params', []), 'error': None, 'id': msg.get('id')})
        elif msg.get('method') == 'update':
            self.updates.append(msg['params'][1])
        elif 'error' in msg and msg.get('error'):
            raise OvsdbError('unexpected error reply: %s' % msg)

    def _send(self, obj):
        self.sock.sendall(json.dumps(obj).encode())

    def _receive(self, deadline):
        while True:
            text = self.buffer.lstrip()
            if text:
                try:
                    obj, end = self.decoder.raw_decode(text)
                    self.buffer = text[end:]
                    return obj
                except ValueError:
                    pass  # incomplete: read more
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout('no complete OVSDB message in time')
            self.sock.settimeout(left)
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise OvsdbError('the server closed the connection')
            self.buffer += chunk.decode()


def named(name):
    return ['named-uuid', name]


def oset(*items):
    return ['set', list(items)]


def omap(mapping):
    return ['map', [[k, v] for k, v in sorted(mapping.items())]]
