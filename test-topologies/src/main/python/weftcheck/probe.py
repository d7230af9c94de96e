"""Pings between containers, all sources at once, and polling helpers that wait for a condition with a
deadline instead of sleeping."""

import re
import time

# At most PARALLEL pings at a time per source, so that a big mesh does not fork thousands of processes at once.
PARALLEL = 16
PING_SCRIPT = ('printf "%%s\\n" %s | xargs -P %d -I@ sh -c '
               '"if ping -n -q -c 1 -W %d @ >/dev/null 2>&1; then echo ok @; else echo no @; fi"')


def ping_pairs(net, pairs, wait_s=1):
    """pairs: [(src container name, dst container name, dst ip)]. Every source pings all its targets in
    parallel, all sources at once. Returns {pair: True/False}."""
    by_src = {}
    for p in pairs:
        by_src.setdefault(p[0], []).append(p)
    procs = {src: net[src].popen(['sh', '-c', PING_SCRIPT % (' '.join(sorted({p[2] for p in ps})), PARALLEL,
                                                              wait_s)])
             for src, ps in by_src.items()}
    result = {}
    for src, proc in procs.items():
        out, _ = proc.communicate(timeout=wait_s + 30)
        ok = {line.split()[1] for line in out.decode().splitlines() if line.startswith('ok ')}
        for p in by_src[src]:
            result[p] = p[2] in ok
    return result


class Outcome:
    def __init__(self, name, pairs, passed, failed, seconds, note='', applicable=True):
        self.name, self.pairs, self.passed, self.failed, self.seconds, self.note = \
            name, pairs, passed, failed, seconds, note
        self.applicable = applicable

    @classmethod
    def not_applicable(cls, name, why):
        """A check this topology gives nothing to test: shown as such, counted neither passed nor failed."""
        return cls(name, 0, 0, 0, 0.0, 'not applicable: ' + why, applicable=False)

    @property
    def ok(self):
        return not self.applicable or (self.failed == 0 and self.pairs > 0)


def poll_pings(net, pairs, expect=True, timeout=30.0, wait_s=1):
    """Ping until every pair answers (expect=True) or none does (expect=False), or until `timeout`.
    Pairs that reached the expected state are not pinged again. Returns (passed, failed pairs, seconds)."""
    started = time.time()
    todo = list(pairs)
    while True:
        result = ping_pairs(net, todo, wait_s) if todo else {}
        todo = [p for p in todo if result[p] != expect]
        elapsed = time.time() - started
        if not todo or elapsed > timeout:
            return len(pairs) - len(todo), todo, elapsed


def poll(condition, timeout=30.0, interval=0.2):
    """Call condition() until it returns a falsy 'problems' value (empty list/None) or timeout. Returns
    (problems of the last call, seconds)."""
    started = time.time()
    while True:
        problems = condition()
        elapsed = time.time() - started
        if not problems or elapsed > timeout:
            return problems, elapsed
        time.sleep(interval)


def traces_in_flows(dump, mac, ip=None):
    """Flow lines of an `ovs-ofctl dump-flows` text that mention this MAC (colon or hex form) or, when given,
    this IPv4 address (dotted or hex form)."""
    words = [re.escape(mac.lower()), r'0x0*' + format(int(mac.replace(':', ''), 16), 'x') + r'(?![0-9a-f])']
    if ip:
        a = [int(x) for x in ip.split('.')]
        words.append(r'(?<![\d.])' + re.escape(ip) + r'(?![\d])')
        words.append(r'0x0*' + format(a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3], 'x') + r'(?![0-9a-f])')
    pattern = re.compile('|'.join(words), re.IGNORECASE)
    return [line.strip() for line in dump.splitlines() if pattern.search(line)]
