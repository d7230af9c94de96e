"""Weft's topologies for Mininet's own command line.

    sudo WEFT_URL=http://127.0.0.1:8080 mn --custom test-topologies/weft.py --topo twosites --controller none
    sudo mn --custom test-topologies/weft.py --topo mesh,hosts=4,containers=2,networks=2 --controller none --test underlay

Hosts h1..hN are emulated Docker hosts (own ovsdb-server/ovs-vswitchd, userspace datapath): in the CLI,
`h1 ovs-vsctl show` and `h1 ovs-ofctl -O OpenFlow13 dump-flows br-int` talk to h1's own OVS (OVS_RUNDIR is
set in its shell). Containers c1..cM are Mininet hosts, so `c1 ping c2`, pingall, iperf and dump use them.

Weft: once the net is up, the CLI (this file replaces mn's CLI class, mn's documented hook for --custom files)
registers the hosts, networks and containers with Weft's REST API at $WEFT_URL (default
http://127.0.0.1:8080; WEFT_URL=off skips it) and withdraws them again when you leave the CLI. mn's command line
takes no custom flags, hence the environment variable. In the CLI: `weft` (status), `weft flows h1`,
`weft delete c1`, `weft add c1`, `weft announce`, `weft withdraw`.
Without the CLI: `--test weft+pingall+weftdown` (announce, Mininet's pingall, withdraw). With several
networks use `pingall 1` in the CLI: cross-network pairs are meant to time out.
Also replaced for this process: Mininet.iperf (no `killall -9 iperf`, no hang with iperf 2.1) and mn's cleanup
(mn -c would wipe every Mininet run on the machine; ours removes only this process's beds).
"""

import atexit
import glob
import os
import shutil
import signal
import sys
import tempfile
import time

# mn exec()s this file without __file__; the code object still knows where it came from.
_HERE = os.path.dirname(os.path.abspath(sys._getframe().f_code.co_filename))
sys.path.insert(0, os.path.join(_HERE, 'src', 'main', 'python'))

from mininet.cli import CLI as MininetCLI  # noqa: E402
from mininet.log import error, info, output, warn  # noqa: E402
from mininet.net import Mininet  # noqa: E402

from weftbed import topologies  # noqa: E402
from weftbed.nodes import OvsHost, kill_pid, pid_from  # noqa: E402
from weftcheck.registration import Registration, plan, warm_underlay  # noqa: E402
from weftcheck.rest import DEFAULT_URL, Weft, WeftError  # noqa: E402
from weftbed.topo import WeftTopo  # noqa: E402


_RUNDIRS = []  # the beds this mn process made, for cleanup after an unclean exit
_NETS = []     # nets registered with Weft, withdrawn at exit if the CLI did not


def _topo(name):
    def build(*args, **kwargs):
        if args:
            raise ValueError('%s takes key=value parameters only, e.g. mesh,hosts=4' % name)
        spec = topologies.NAMED[name](**kwargs) if kwargs else topologies.NAMED[name]()
        # Each OvsHost removes its own run dir when it stops, the last one also this parent.
        rundir = tempfile.mkdtemp(prefix='weftbed-mn-')
        _RUNDIRS.append(rundir)
        return WeftTopo(spec=spec, rundir=rundir)
    return build


topos = {name: _topo(name) for name in topologies.NAMED}


def weft_url():
    url = os.environ.get('WEFT_URL', DEFAULT_URL).strip()
    return None if url.lower() in ('', 'off', 'none', 'no') else url


def announce(net, spec):
    """Register net's hosts (tunnel IP, unix OVSDB socket), spec['networks'] and the containers (with the IP
    and MAC the bed gave them) with Weft, each write with ?wait=true. Returns the Registration (kept on the net
    so that the CLI can withdraw it), or None when WEFT_URL is off or Weft does not answer."""
    url = weft_url()
    if url is None:
        return None
    if getattr(net, 'weft', None) is not None:
        return net.weft
    weft = Weft(url)
    if not weft.reachable():
        warn('*** Weft does not answer at %s/api/v1/health: containers will not talk until it does '
             '(start `bin/weft controller`, then type `weft announce`)\n' % url)
        return None
    reg = Registration(weft, plan(net, spec), log=lambda m: info(m + '\n'), tolerate_existing=True)
    info('*** Registering %d hosts, %d networks, %d endpoints with Weft at %s\n'
         % tuple([len(reg.plan[k]) for k in ('hosts', 'networks', 'endpoints')] + [url]))
    started = time.time()
    try:
        pending = reg.announce(wait=True)
    except (WeftError, OSError) as e:
        warn('*** Weft refused the registration: %s\n' % e)
        reg.withdraw()
        return None
    installed_ms, _ = reg.weft_share()
    for broken in warm_underlay(net, spec):  # after the tunnel ports exist: see warm_underlay
        warn('*** underlay: %s does not answer\n' % broken)
    for p in pending:
        warn('*** not yet installed: %s\n' % p)
    if pending:
        warn('*** Registered with Weft, but %d writes were not acknowledged by every host: see `weft`\n'
             % len(pending))
    else:
        info('*** Weft installed everything in %.2f s (installedInMs total %.0f)\n'
             % (time.time() - started, installed_ms))
    net.weft = reg
    _NETS.append(net)
    return reg


def withdraw(net):
    reg = getattr(net, 'weft', None)
    if reg is not None:
        info('*** Withdrawing endpoints, networks and hosts from Weft\n')
        for e in reg.withdraw():
            warn('*** %s\n' % e)
        net.weft = None


def _spec(net):
    return getattr(net.topo, 'spec', None)


def _started(net):
    """mn also builds a CLI for --pre scripts, before net.start(): only announce once the daemons run."""
    hosts = [s for s in net.switches if isinstance(s, OvsHost)]
    return bool(hosts) and all(h.vswitchd_pid() and os.path.exists(h.path('vswitchd.pid')) for h in hosts)


class WeftCLI(MininetCLI):
    """mn's CLI plus the Weft registration around it, and a `weft` command."""

    def __init__(self, mininet, *args, **kwargs):
        interactive = kwargs.get('script') is None
        if interactive and _spec(mininet) is not None and _started(mininet):
            announce(mininet, _spec(mininet))
        try:
            MininetCLI.__init__(self, mininet, *args, **kwargs)
        finally:
            if interactive:
                withdraw(mininet)  # also what `weft announce` registered by hand

    def do_weft(self, line):
        """weft [status | announce | withdraw | flows HOST | delete CONTAINER | add CONTAINER]
        Talk to Weft ($WEFT_URL) about this topology."""
        words = line.split()
        cmd, rest = (words[0], words[1:]) if words else ('status', [])
        net, reg = self.mn, getattr(self.mn, 'weft', None)
        try:
            if cmd == 'announce':
                announce(net, _spec(net))
            elif cmd == 'withdraw':
                withdraw(net)
            elif reg is None:
                error('not registered with Weft: `weft announce` first (WEFT_URL=%s)\n' % weft_url())
            elif cmd == 'status':
                for h in reg.plan['hosts']:
                    s = reg.weft.host(h['name']).get('status') or {}
                    output('%s: ovsdb %s, openflow %s, %s flows, revision %s%s\n' % (
                        h['name'], _yes(s.get('ovsdbConnected')), _yes(s.get('openflowConnected')),
                        s.get('flowsInstalled'), s.get('appliedRevision'),
                        ', last error: %s' % s['lastError'] if s.get('lastError') else ''))
            elif cmd == 'flows' and len(rest) == 1:
                output(reg.weft.flows_text(rest[0]))
            elif cmd in ('delete', 'add') and len(rest) == 1:
                e = next((e for e in reg.plan['endpoints'] if e['name'] == rest[0]), None)
                if e is None:
                    error('%s is not a container of this topology\n' % rest[0])
                    return
                reply = reg.delete_endpoint(e) if cmd == 'delete' else reg.add_endpoint(e)
                output('%s %s: %s\n' % (cmd, rest[0], {k: v for k, v in (reply or {}).items()
                                                       if k in ('ip', 'mac', 'installedInMs', 'installPending')}))
            else:
                error('usage: weft [status | announce | withdraw | flows HOST | delete C | add C]\n')
        except (WeftError, OSError) as e:
            error('%s\n' % e)


def _yes(flag):
    return 'up' if flag else 'DOWN'


# mn --custom: a global named CLI replaces mn's CLI class (see /usr/bin/mn, "--custom files can set CLI").
CLI = WeftCLI  # noqa: F811


def cleanup():
    """Replaces mn's `cleanup` (any global of a --custom file replaces mn's). mn calls it on Ctrl-C outside the
    CLI and on any exception, and for `mn -c`: the stock one kills every Mininet process and OVS bridge on the
    machine, including other people's test beds. This one removes only what this process made: Weft
    registrations, our ovsdb-server/ovs-vswitchd (by pidfile) and our run dirs; our nodes' shells and namespaces
    die with mn itself."""
    for net in list(_NETS):
        withdraw(net)
    _NETS.clear()
    for rundir in list(_RUNDIRS):
        for pidfile in glob.glob(os.path.join(rundir, '*', '*.pid')):
            kill_pid(pid_from(pidfile))
        shutil.rmtree(rundir, ignore_errors=True)
    _RUNDIRS.clear()


def _iperf(self, hosts=None, l4Type='TCP', udpBw='10M', fmt=None, seconds=5, port=5001):
    """Mininet 2.3.0's Mininet.iperf without its two problems on this machine: it runs `killall -9 iperf` (every
    iperf on the machine, other people's too) and, for TCP, waits for a second '/sec' server line that iperf 2.1
    never prints for its telnet probe connection (`iperf` hangs forever). Here the server's socket is awaited
    with `ss` (no probe connection) and only our server is interrupted."""
    hosts = hosts or [self.hosts[0], self.hosts[-1]]
    assert len(hosts) == 2
    client, server = hosts
    output('*** Iperf: testing', l4Type, 'bandwidth between', client, 'and', server, '\n')
    if l4Type not in ('TCP', 'UDP'):
        raise Exception('Unexpected l4 type: %s' % l4Type)
    args = 'iperf -p %d ' % port + ('-u ' if l4Type == 'UDP' else '') + ('-f %s ' % fmt if fmt else '')
    server.sendCmd(args + '-s')
    deadline = time.time() + 10
    listing = ['ss', '-H', '-ln' + ('u' if l4Type == 'UDP' else 't'), 'sport = :%d' % port]
    while not server.popen(listing).communicate()[0].strip():
        if time.time() > deadline:
            server.sendInt()
            server.waitOutput()
            raise Exception('iperf server on %s did not listen on port %d' % (server, port))
        time.sleep(0.05)
    cliout = client.cmd(args + '-t %d -c %s ' % (seconds, server.IP()) + ('-b %s ' % udpBw if l4Type == 'UDP' else ''))
    servout = ''
    deadline = time.time() + seconds + 10
    while '/sec' not in servout and time.time() < deadline:
        servout += server.monitor(timeoutms=1000)
    server.sendInt()
    servout += server.waitOutput()
    result = [self._parseIperf(servout), self._parseIperf(cliout)]
    if l4Type == 'UDP':
        result.insert(0, udpBw)
    output('*** Results: %s\n' % result)
    return result


Mininet.iperf = _iperf


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)  # runs atexit (cleanup), unlike mn's default death by SIGTERM/SIGHUP


atexit.register(cleanup)
signal.signal(signal.SIGTERM, _exit_on_signal)
signal.signal(signal.SIGHUP, _exit_on_signal)


def weft_test(net):
    """`--test weft`: announce (for scripted runs without the CLI)."""
    if announce(net, _spec(net)) is None:
        raise SystemExit('Weft registration failed or WEFT_URL is off')


def underlay(net):
    """`--test underlay`: every emulated host reaches every other host's tunnel IP over the underlay."""
    hosts = [s for s in net.switches if isinstance(s, OvsHost)]
    failed = 0
    for a in hosts:
        for b in hosts:
            if a is not b:
                ip = b.tunnel_cidr.split('/')[0]
                ok = ' 0% packet loss' in a.cmd('ping -n -q -c 1 -W 1 %s' % ip)
                failed += not ok
                print('%s -> %s (%s): %s' % (a.name, b.name, ip, 'ok' if ok else 'FAILED'))
    print('%d passed, %d failed' % (len(hosts) * (len(hosts) - 1) - failed, failed))
    if failed:
        raise SystemExit(1)


tests = {'underlay': underlay, 'weft': weft_test, 'weftdown': withdraw}
