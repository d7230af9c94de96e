"""Drives one test bed for the Java side (or a person).

Usage: /usr/bin/python3 launcher.py [SPEC]
SPEC is a named topology ('twosites', 'mesh,hosts=4,containers=2,networks=2') or a JSON spec
(topologies.py). Without an argument the first line of stdin is the spec.

Prints ONE line: {"ok": true, "bed": {...description...}} (or {"ok": false, "error": ...} and exits 1),
then reads commands, one per line, answering one JSON line each:
  down | link-down A B | link-up A B | restart-vswitchd H | restart-ovsdb H | describe
Tears everything down on `down`, stdin EOF (the JVM died), SIGTERM/SIGINT/SIGHUP, and on errors.
"""

import json
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from mininet.log import setLogLevel  # noqa: E402

from weftbed.bed import Bed  # noqa: E402
from weftbed.topologies import named, validate  # noqa: E402


class Stop(Exception):
    pass


def on_signal(signum, _frame):
    raise Stop('signal %d' % signum)


def parse_spec(text):
    text = text.strip()
    if not text:
        raise ValueError('empty topology spec')
    if text.startswith('{'):
        spec = json.loads(text)
        if 'topology' in spec and len(spec) == 1:
            return named(spec['topology'])
        return validate(spec)
    return named(text)


def reply(obj):
    sys.stdout.write(json.dumps(obj, separators=(',', ':')) + '\n')
    sys.stdout.flush()


def handle(bed, words):
    cmd, args = words[0], words[1:]

    def need(n):
        if len(args) != n:
            raise ValueError('%s takes %d argument(s)' % (cmd, n))

    if cmd == 'link-down' or cmd == 'link-up':
        need(2)
        bed.set_link(args[0], args[1], 'down' if cmd == 'link-down' else 'up')
        return {}
    if cmd == 'restart-vswitchd':
        need(1)
        host = bed.ovs_host(args[0])
        host.restart_vswitchd()
        return {'pid': host.vswitchd_pid()}
    if cmd == 'restart-ovsdb':
        need(1)
        host = bed.ovs_host(args[0])
        host.restart_ovsdb()
        return {'pid': host.ovsdb_pid()}
    if cmd == 'describe':
        return {'bed': bed.describe()}
    raise ValueError('unknown command %r (down, link-down A B, link-up A B, restart-vswitchd H, '
                     'restart-ovsdb H, describe)' % cmd)


def main(argv):
    setLogLevel(os.environ.get('WEFTBED_LOG', 'warning'))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    bed = None
    try:
        spec = parse_spec(argv[1] if len(argv) > 1 else sys.stdin.readline())
        bed = Bed(spec)
        bed.up()
        reply({'ok': True, 'bed': bed.describe()})
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            if words[0] == 'down':
                break
            try:
                reply(dict(ok=True, **handle(bed, words)))
            except (ValueError, RuntimeError) as e:
                reply({'ok': False, 'error': str(e)})
        seconds = bed.down()
        bed = None
        reply({'ok': True, 'down': True, 'seconds': round(seconds, 3)})
        return 0
    except Stop:
        return 0
    except Exception as e:  # the bed is torn down below; the Java side gets the reason
        try:
            reply({'ok': False, 'error': '%s: %s' % (type(e).__name__, e)})
        except Exception:
            pass
        return 1
    finally:
        if bed is not None:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            bed.down()


if __name__ == '__main__':
    sys.exit(main(sys.argv))
