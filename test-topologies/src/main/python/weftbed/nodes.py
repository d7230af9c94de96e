"""Mininet node classes of the test bed.

Every node lives in its own network namespace (Mininet's mnexec -n), so nothing is created in the root
namespace and interface names never collide between runs. Infrastructure nodes (OvsHost, Router, Segment)
are Mininet *switches* so that net.hosts, and with it Mininet's pingall/iperf, holds only containers.
"""

import os
import shutil
import signal
import subprocess
import time

from mininet.node import Host, Switch

# The start-up of an OVS host shared with the Java fixture (io.weft.testbed.OvsSandbox) and the shell benchmarks.
OVS_HOST = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ovs-host.sh')
CONTAINER_MTU = 1400
# Beyond ovs-host.sh's own worst case (ovs-appctl's 5 s, 5 s more, then SIGKILL).
STOP_TIMEOUT = 20


def quiet_ipv6(node):
    """IPv6 router/neighbour solicitations would only add noise on br-int and the underlay."""
    node.cmd('sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1')


# `ethtool -K IFACE tx off` without the ethtool binary (SIOCETHTOOL, ETHTOOL_STXCSUM=0x17), run in the node's
# namespace. Why: a veth hands OVS's userspace datapath (AF_PACKET) TCP/UDP packets whose checksum is only
# partial; OVS 3.1 forwards them as they are, through VXLAN/GRE too, and the receiving container drops them
# ("InCsumErrors"). Pings still work (ICMP is checksummed in software); TCP (iperf, Mininet's telnet probe) does
# not. With TX checksum offload off, the container's kernel writes full checksums.
TX_CHECKSUM_OFF = ('/usr/bin/python3 -S -c "import array,fcntl,socket,struct,sys; v=array.array(\'I\',[0x17,0]); '
                   's=socket.socket(); fcntl.ioctl(s.fileno(),0x8946,struct.pack(\'16sP\',sys.argv[1].encode(),'
                   'v.buffer_info()[0]))" %s')


def check(node, command):
    """Run a command in the node's shell and fail loudly when it fails."""
    out = node.cmd(command + '; echo "rc=$?"')
    body, _, rc = out.rstrip().rpartition('rc=')
    if rc.strip() != '0':
        raise RuntimeError('%s: `%s` failed (%s): %s' % (node.name, command, rc.strip(), body.strip()))
    return body


def pid_from(pidfile):
    try:
        with open(pidfile) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def kill_pid(pid, grace=1.0):
    """SIGTERM, then SIGKILL after `grace` seconds. Returns when the process is gone."""
    if pid is None or not alive(pid):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + grace
    while time.time() < deadline:
        if not alive(pid) or zombie(pid):
            return
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.time() + 2
    while alive(pid) and not zombie(pid) and time.time() < deadline:
        time.sleep(0.02)


def zombie(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] == 'Z'
    except OSError:
        return False


class InfraNode(Switch):
    """A namespaced infrastructure node (never a Mininet host, so pingall ignores it)."""

    def __init__(self, name, **params):
        params['inNamespace'] = True
        params.setdefault('dpid', '%x' % (abs(hash(name)) % (1 << 48) + 1))
        Switch.__init__(self, name, **params)

    def connected(self):
        return True

    def stop(self, deleteIntfs=False):
        Switch.stop(self, deleteIntfs)


class Segment(InfraNode):
    """An underlay L2 segment: a Linux bridge `br0` inside its own namespace, one veth per member."""

    def start(self, controllers=None):
        quiet_ipv6(self)
        check(self, 'ip link add br0 type bridge forward_delay 0 stp_state 0 && ip link set br0 up')
        for intf in self.intfList():
            if intf.name != 'lo':
                check(self, 'ip link set %s master br0 && ip link set %s up' % (intf.name, intf.name))


class Router(InfraNode):
    """A namespace with ip_forward joining underlay segments.

    params: addresses={intfName: 'ip/prefix'}, routes=[{'dst': cidr, 'via': ip}]
    """

    def start(self, controllers=None):
        quiet_ipv6(self)
        check(self, 'sysctl -qw net.ipv4.ip_forward=1')
        for name, cidr in self.params.get('addresses', {}).items():
            check(self, 'ip addr add %s dev %s && ip link set %s up' % (cidr, name, name))
        for route in self.params.get('routes', []):
            check(self, 'ip route replace %s via %s' % (route['dst'], route['via']))


class OvsHost(InfraNode):
    """An emulated Docker host: its own ovsdb-server and ovs-vswitchd in its namespace and run dir.

    params: rundir, ip ('a.b.c.d/prefix' tunnel IP), underlay (interface name), routes=[{'dst','via'}].
    Builds br-phy (netdev, standalone, NORMAL) holding the underlay veth, with the tunnel IP on br-phy's
    internal port as OVS userspace tunnelling requires. Does not create br-int: that is Weft's job.
    """

    def __init__(self, name, **params):
        InfraNode.__init__(self, name, **params)
        self.rundir = params['rundir']
        self.tunnel_cidr = params['ip']
        self.underlay = params.get('underlay', 'eth0')
        self.routes = params.get('routes', [])

    # Paths ---------------------------------------------------------------------------------------------
    def path(self, leaf):
        return os.path.join(self.rundir, leaf)

    @property
    def db_sock(self):
        return self.path('db.sock')

    def ovsdb_pid(self):
        return pid_from(self.path('ovsdb.pid'))

    def vswitchd_pid(self):
        return pid_from(self.path('vswitchd.pid'))

    def vsctl(self, args):
        return check(self, 'ovs-vsctl --timeout=10 --db=unix:%s %s' % (self.db_sock, args))

    # Lifecycle -----------------------------------------------------------------------------------------
    def start(self, controllers=None):
        os.makedirs(self.rundir, exist_ok=True)
        quiet_ipv6(self)
        # Exported in the node's shell so `h1 ovs-vsctl show` in Mininet's CLI reaches this host's OVS.
        d = self.rundir
        self.cmd('export OVS_RUNDIR=%s OVS_LOGDIR=%s OVS_DBDIR=%s' % (d, d, d))
        # ovs-appctl looks for ovs-vswitchd.pid/.ctl; ours are vswitchd.pid/.ctl: point it there unless -t is given.
        self.cmd('ovs-appctl() { case "$1" in -t|--target|--target=*) command ovs-appctl "$@";; '
                 '*) command ovs-appctl -t %s "$@";; esac; }' % self.path('vswitchd.ctl'))
        self.start_ovsdb()
        self.start_vswitchd()
        # br-phy takes the underlay NIC's MAC, as OVS's userspace-tunnelling setups do: otherwise the host
        # answers ARP with br-phy's MAC but OVS's own tunnel ARP goes out with eth0's, peers' tunnel neighbour
        # caches (tnl/neigh) can learn the wrong one, and tunnels toward this host stay black-holed.
        mac = self.intf(self.underlay).MAC()
        self.vsctl('add-br br-phy -- set Bridge br-phy datapath_type=netdev fail_mode=standalone'
                   ' other_config:hwaddr=\\"%s\\" -- add-port br-phy %s' % (mac, self.underlay))
        check(self, 'ip link set %s up' % self.underlay)
        self.configure_underlay_ip()

    def start_ovsdb(self):
        """Creates conf.db on the first start; a restart keeps it. TLS files come from the SSL table
        (`ovs-vsctl set-ssl`), as ovs-ctl starts ovsdb-server: unused until set."""
        check(self, 'sh %s start-ovsdb %s --system-id=%s --private-key=db:Open_vSwitch,SSL,private_key'
                    ' --certificate=db:Open_vSwitch,SSL,certificate --ca-cert=db:Open_vSwitch,SSL,ca_cert'
              % (OVS_HOST, self.rundir, self.name))

    def start_vswitchd(self):
        check(self, 'sh %s start-vswitchd %s' % (OVS_HOST, self.rundir))

    def configure_underlay_ip(self):
        """The IP lives on br-phy's internal (tap) port, which vanishes with ovs-vswitchd: redo after restarts."""
        deadline = time.time() + 10
        while 'br-phy' not in self.cmd('ip -o link show br-phy 2>/dev/null'):
            if time.time() > deadline:
                raise RuntimeError('%s: br-phy internal port did not appear' % self.name)
            time.sleep(0.02)
        check(self, 'ip link set br-phy up && ip addr replace %s dev br-phy' % self.tunnel_cidr)
        for route in self.routes:
            check(self, 'ip route replace %s via %s dev br-phy' % (route['dst'], route['via']))

    def restart_vswitchd(self):
        kill_pid(self.vswitchd_pid())
        self.start_vswitchd()
        # A write without --no-wait returns once ovs-vswitchd applied it: the restarted daemon is up.
        self.vsctl('set Open_vSwitch . external_ids:system-id=%s' % self.name)
        self.configure_underlay_ip()

    def restart_ovsdb(self):
        kill_pid(self.ovsdb_pid())
        self.start_ovsdb()

    def stop(self, deleteIntfs=False):
        """Mininet's stop (mn): daemons, node, then this host's run dir and, once empty, the bed's."""
        self.stop_daemons()
        InfraNode.stop(self, deleteIntfs)
        shutil.rmtree(self.rundir, ignore_errors=True)
        try:
            os.rmdir(os.path.dirname(self.rundir))
        except OSError:
            pass  # another host's dir is still there

    def stop_daemons(self):
        self.await_daemons_stopped(self.begin_stopping_daemons())

    def begin_stopping_daemons(self):
        """Starts `ovs-host.sh stop` in this host's namespace, without waiting (None if that cannot start)."""
        try:
            return self.popen(['sh', OVS_HOST, 'stop', self.rundir], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        except Exception:
            return None

    def await_daemons_stopped(self, stopping):
        """Waits for begin_stopping_daemons' stop; if it failed or hung, kills the daemons by pidfile."""
        if stopping is not None:
            try:
                if stopping.wait(timeout=STOP_TIMEOUT) == 0:
                    return
            except subprocess.TimeoutExpired:
                stopping.kill()
                stopping.wait()
        kill_pid(self.vswitchd_pid())   # the node's shell is gone (a start cut short), or the stop failed
        kill_pid(self.ovsdb_pid())


class Container(Host):
    """A container: a namespace with eth0 (MTU 1400). Its peer veth stays in the OvsHost's namespace,
    up, on no bridge: Weft adds it to br-int.

    params (besides Mininet's ip/mac): gateway, network, host, hostIntf.
    """

    def config(self, **params):
        r = Host.config(self, **params)
        quiet_ipv6(self)
        intf = self.defaultIntf()
        check(self, 'ip link set %s mtu %d up' % (intf.name, CONTAINER_MTU))
        check(self, TX_CHECKSUM_OFF % intf.name)
        gateway = params.get('gateway')
        if gateway:
            check(self, 'ip route replace default via %s dev %s' % (gateway, intf.name))
        peer = intf.link.intf2 if intf.link.intf1 is intf else intf.link.intf1
        check(peer.node, 'ip link set %s mtu %d up' % (peer.name, CONTAINER_MTU))
        return r
