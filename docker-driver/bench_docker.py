#!/usr/bin/python3
"""Docker with Weft's driver against Docker's own swarm overlay, in the same run on the same emulated hosts.

Bed: 2 hosts on one underlay LAN (test-topologies' `onelan,hosts=2,containers=0`), each with its own dockerd
(scripts/docker-host.sh, swarm mode, so without --live-restore) and Weft agent (bin/weft docker-plugin); one Weft
controller. Swarm: h1 initialises (data path on UDP 4790: OVS's userspace VXLAN owns 4789 on the same address), h2
joins; an attachable overlay `sw` and a Weft network `wf` (VXLAN) on one subnet each.

1. docker run to first cross-host ping: on h2, `docker run -d --network NET busybox:local sh -c 'until ping -c 1
   -W 1 TARGET; do :; done'`, then `docker wait`: from the start of `docker run` to the container's exit, i.e. its
   first answered ping to a container on h1. Alternating Weft and swarm, N each; p50, p99 (nearest rank), max, ratio.
2. Throughput: iperf3 between a container on h1 (server) and one on h2 (client, -t SECONDS), run from each
   container's network namespace with the host's /usr/bin/iperf3 (nsenter --net=/proc/PID/ns/net): the image has no
   iperf3.

As root:  docker-driver/bench.sh [--n 30] [--seconds 10] [--tiny]
"""
import argparse, json, os, shutil, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WEFT = os.path.join(ROOT, 'bin', 'weft')
DOCKER_HOST = os.path.join(ROOT, 'scripts', 'docker-host.sh')
LAUNCHER = os.path.join(ROOT, 'test-topologies', 'src', 'main', 'python', 'weftbed', 'launcher.py')


def sh(*argv, check=True, timeout=120):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)
    if check and r.returncode != 0:
        raise RuntimeError('%s: %s %s' % (' '.join(argv), r.stdout.strip(), r.stderr.strip()))
    return r


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def percentile(xs, p):
    xs = sorted(xs)
    return xs[max(0, min(len(xs) - 1, int(-(-p * len(xs) // 100)) - 1))]


class Bench:
    def __init__(self, work):
        self.work = work
        self.procs = []
        self.launcher = None
        self.hosts = {}

    def docker(self, host, *args, check=True, timeout=120):
        return sh('/usr/bin/docker', '-H', 'unix://%s/docker.sock' % self.ddir(host), *args, check=check,
                  timeout=timeout)

    def ddir(self, host):
        return os.path.join(self.work, host, 'docker')

    def up(self):
        self.launcher = subprocess.Popen(['/usr/bin/python3', LAUNCHER, 'onelan,hosts=2,containers=0'],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        bed = json.loads(self.launcher.stdout.readline())
        if not bed.get('ok'):
            raise RuntimeError('bed: %s' % bed)
        self.hosts = {h['name']: h for h in bed['bed']['hosts']}
        port = free_port()
        self.url = 'http://127.0.0.1:%d' % port
        log = open(os.path.join(self.work, 'controller.log'), 'w')
        self.procs.append(subprocess.Popen([WEFT, 'controller', '--rest-listen', '127.0.0.1:%d' % port,
                                            '--openflow-listen', 'unix:%s/of.sock' % self.work,
                                            '--data-dir', os.path.join(self.work, 'data')],
                                           stdout=log, stderr=subprocess.STDOUT))
        for _ in range(300):
            if sh('curl', '-fs', self.url + '/api/v1/health', check=False).returncode == 0:
                break
            time.sleep(0.2)
        for name, h in self.hosts.items():
            body = {'name': name, 'tunnelIp': h['tunnelIp'], 'ovsdb': h['ovsdbTarget'], 'datapathType': 'netdev',
                    'openflow': 'punix:%s/br-int.weft' % h['runDir']}
            sh('curl', '-fsS', '-X', 'POST', '-H', 'Content-Type: application/json', '-d', json.dumps(body),
               self.url + '/api/v1/hosts')
        self.warm()
        for name, h in self.hosts.items():
            os.makedirs(os.path.join(self.work, name), exist_ok=True)
            sh(DOCKER_HOST, 'start', str(h['pid']), self.ddir(name), 'swarm', timeout=300)
            log = open(os.path.join(self.work, name, 'agent.log'), 'w')
            self.procs.append(subprocess.Popen([WEFT, 'docker-plugin', '--controller', self.url, '--host', name,
                                                '--socket', os.path.join(self.ddir(name), 'plugins', 'weft.sock'),
                                                '--docker', os.path.join(self.ddir(name), 'docker.sock'),
                                                '--netns', '/proc/%d/ns/net' % h['pid'],
                                                '--state-dir', os.path.join(self.work, name, 'agent')],
                                               stdout=log, stderr=subprocess.STDOUT))
        h1, h2 = self.hosts['h1'], self.hosts['h2']
        self.docker('h1', 'swarm', 'init', '--advertise-addr', h1['tunnelIp'], '--data-path-port', '4790')
        token = self.docker('h1', 'swarm', 'join-token', '-q', 'worker').stdout.strip()
        self.docker('h2', 'swarm', 'join', '--token', token, '--advertise-addr', h2['tunnelIp'],
                    h1['tunnelIp'] + ':2377')
        self.docker('h1', 'network', 'create', '-d', 'overlay', '--attachable', '--subnet', '10.90.0.0/24', 'sw')
        for _ in range(100):
            if self.docker('h1', 'network', 'create', '-d', 'weft', '--ipam-driver', 'weft', '--subnet',
                           '10.91.0.0/24', 'wf', check=False).returncode == 0:
                break
            time.sleep(0.2)  # the agent is still starting
        for _ in range(100):
            if 'wf' in self.docker('h2', 'network', 'ls', '--format', '{{.Name}}').stdout.split():
                break
            time.sleep(0.1)

    def warm(self):
        """Pings between the hosts' underlay addresses, copied into OVS's tunnel neighbour cache (see the bed's
        README: the bed's underlay starts cold, real hosts' do not)."""
        for name, h in self.hosts.items():
            ns = '--net=/proc/%d/ns/net' % h['pid']
            for other in self.hosts.values():
                if other is not h:
                    sh('nsenter', ns, 'ping', '-c', '1', '-W', '2', other['tunnelIp'])
            for line in sh('nsenter', ns, 'ip', '-4', 'neigh', 'show', 'dev', 'br-phy').stdout.splitlines():
                f = line.split()
                if len(f) >= 3 and f[1] == 'lladdr':
                    sh('nsenter', ns, 'ovs-appctl', '-t', os.path.join(h['runDir'], 'vswitchd.ctl'), 'tnl/neigh/set',
                       'br-phy', f[0], f[2])

    def target(self, network, name):
        self.docker('h1', 'run', '-d', '--name', name, '--network', network, 'busybox:local', 'sleep', '3600')
        ip = self.docker('h1', 'inspect', '-f', '{{(index .NetworkSettings.Networks "%s").IPAddress}}' % network,
                         name).stdout.strip()
        return ip

    def run_to_ping(self, network, ip):
        t0 = time.monotonic()
        cid = self.docker('h2', 'run', '-d', '--network', network, 'busybox:local', 'sh', '-c',
                          'until ping -c 1 -W 1 %s >/dev/null 2>&1; do :; done' % ip).stdout.strip()
        self.docker('h2', 'wait', cid)
        ms = (time.monotonic() - t0) * 1000
        self.docker('h2', 'rm', '-f', cid)
        return ms

    def pid(self, host, name):
        return self.docker(host, 'inspect', '-f', '{{.State.Pid}}', name).stdout.strip()

    def iperf(self, network, target_ip, seconds):
        server_pid = self.pid('h1', network + '-target')
        self.docker('h2', 'run', '-d', '--name', network + '-client', '--network', network, 'busybox:local', 'sleep',
                    '3600')
        client_pid = self.pid('h2', network + '-client')
        server = subprocess.Popen(['nsenter', '--net=/proc/%s/ns/net' % server_pid, 'iperf3', '-s', '-1'],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(50):
                out = sh('nsenter', '--net=/proc/%s/ns/net' % server_pid, 'ss', '-ltn').stdout
                if ':5201' in out:
                    break
                time.sleep(0.1)
            r = sh('nsenter', '--net=/proc/%s/ns/net' % client_pid, 'iperf3', '-c', target_ip, '-t', str(seconds),
                   '-J', '--connect-timeout', '5000', timeout=seconds + 60)
            return json.loads(r.stdout)['end']['sum_received']['bits_per_second'] / 1e9
        finally:
            server.kill()
            server.wait()

    def down(self):
        for name in self.hosts:
            self.docker(name, 'swarm', 'leave', '--force', check=False, timeout=60)
            sh(DOCKER_HOST, 'stop', self.ddir(name), check=False, timeout=300)
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        if self.launcher:
            self.launcher.stdin.close()
            self.launcher.wait(timeout=120)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=30, help='containers per driver (default 30)')
    ap.add_argument('--seconds', type=int, default=10, help='iperf3 duration (default 10)')
    ap.add_argument('--tiny', action='store_true', help='3 containers each, 1 s of iperf3: proves the command runs')
    a = ap.parse_args()
    if a.tiny:
        a.n, a.seconds = 3, 1
    work = tempfile.mkdtemp(prefix='wb')
    b = Bench(work)
    try:
        b.up()
        targets = {'wf': b.target('wf', 'wf-target'), 'sw': b.target('sw', 'sw-target')}
        times = {'wf': [], 'sw': []}
        for i in range(a.n):
            for net in (('wf', 'sw') if i % 2 == 0 else ('sw', 'wf')):
                times[net].append(b.run_to_ping(net, targets[net]))
        label = {'wf': 'Weft driver', 'sw': 'swarm overlay'}
        print('docker run -> first cross-host ping, n=%d each (ms):' % a.n)
        print('%-14s %8s %8s %8s' % ('', 'p50', 'p99', 'max'))
        for net in ('wf', 'sw'):
            xs = times[net]
            print('%-14s %8.0f %8.0f %8.0f' % (label[net], statistics.median(xs), percentile(xs, 99), max(xs)))
        print('ratio Weft/swarm: p50 %.2f, p99 %.2f' % (
            statistics.median(times['wf']) / statistics.median(times['sw']),
            percentile(times['wf'], 99) / percentile(times['sw'], 99)))
        print('iperf3 h2 -> h1 container to container, %d s (Gbit/s):' % a.seconds)
        for net in ('wf', 'sw'):
            print('%-14s %8.2f' % (label[net], b.iperf(net, targets[net], a.seconds)))
    except Exception:
        for name in ('h1', 'h2'):
            log = os.path.join(work, name, 'agent.log')
            if os.path.exists(log):
                print('--- agent log of %s (last 20 lines)' % name, file=sys.stderr)
                print(''.join(open(log).readlines()[-20:]), file=sys.stderr)
        raise
    finally:
        b.down()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
