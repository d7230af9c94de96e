"""Topologies as plain data (the same JSON the Java TopologySpec builder writes).

A spec:
  segments:   [{name, cidr}]                                   underlay L2 segments
  routers:    [{name, interfaces: [{segment, ip: 'a/p'}], routes: [{dst, via}]}]
  hosts:      [{name, segment, ip: 'a/p', gateway?}]            emulated Docker hosts (tunnel IP on br-phy)
  networks:   [{name, vni, encapsulation, subnets: [{cidr, gateway}]}]
  containers: [{name, host, network, ip: 'a/p', gateway?, mac?}]

`named('mesh,hosts=4,containers=2')` returns the spec of a named topology.
"""

import ipaddress

from weftbed.nodes import CONTAINER_MTU

UNDERLAY_LANS = ['172.31.1.0/24', '192.168.1.0/24'] + ['172.31.%d.0/24' % i for i in range(2, 250)]


def mac_of(index):
    return '02:00:00:00:%02x:%02x' % (index >> 8 & 0xff, index & 0xff)


def _addr(cidr, host_part):
    net = ipaddress.ip_network(cidr)
    return '%s/%d' % (net.network_address + host_part, net.prefixlen)


def _net(name, vni, *cidrs):
    return {'name': name, 'vni': vni, 'encapsulation': 'vxlan', 'mtu': CONTAINER_MTU,
            'subnets': [{'cidr': c, 'gateway': _addr(c, 254).split('/')[0]} for c in cidrs]}


def _container(index, host, network, ip_cidr):
    return {'name': 'c%d' % index, 'host': host, 'network': network['name'], 'ip': ip_cidr,
            'gateway': _gateway_for(network, ip_cidr), 'mac': mac_of(index)}


def _gateway_for(network, ip_cidr):
    ip = ipaddress.ip_interface(ip_cidr).ip
    for s in network['subnets']:
        if ip in ipaddress.ip_network(s['cidr']):
            return s['gateway']
    raise ValueError('%s is in no subnet of network %s' % (ip_cidr, network['name']))


def sites(hosts=2, site_count=1, containers=1, networks=1):
    """`hosts` hosts spread over `site_count` LANs (one router joins them when there are several),
    `containers` containers per host, container i on network i mod `networks`."""
    segments = [{'name': 'lan%d' % (s + 1), 'cidr': UNDERLAY_LANS[s]} for s in range(site_count)]
    spec = {'segments': segments, 'routers': [], 'hosts': [], 'networks': [], 'containers': []}
    if site_count > 1:
        spec['routers'].append({'name': 'r1', 'routes': [],
                                'interfaces': [{'segment': s['name'], 'ip': _addr(s['cidr'], 1)} for s in segments]})
    for h in range(hosts):
        seg = segments[h % site_count]
        host = {'name': 'h%d' % (h + 1), 'segment': seg['name'], 'ip': _addr(seg['cidr'], 11 + h // site_count)}
        if site_count > 1:
            host['gateway'] = _addr(seg['cidr'], 1).split('/')[0]
        spec['hosts'].append(host)
    spec['networks'] = [_net('net%d' % (k + 1), 100 + k, '10.65.%d.0/24' % (10 + k)) for k in range(networks)]
    index = 0
    for h in range(hosts):
        for _ in range(containers):
            index += 1
            network = spec['networks'][(index - 1) % networks]
            per_net = (index - 1) // networks + 1
            spec['containers'].append(_container(index, 'h%d' % (h + 1), network,
                                                 _addr(network['subnets'][0]['cidr'], per_net)))
    return spec


def twosites():
    """The seed: h1 on 172.31.1.0/24 behind r1, h2 on 192.168.1.0/24 behind r2, r1 and r2 joined by a WAN
    segment; one network `blue`, one container per host."""
    blue = _net('blue', 100, '10.65.10.0/24')
    return {
        'segments': [{'name': 'lan1', 'cidr': '172.31.1.0/24'}, {'name': 'lan2', 'cidr': '192.168.1.0/24'},
                     {'name': 'wan', 'cidr': '10.255.0.0/24'}],
        'routers': [
            {'name': 'r1', 'interfaces': [{'segment': 'lan1', 'ip': '172.31.1.1/24'},
                                          {'segment': 'wan', 'ip': '10.255.0.1/24'}],
             'routes': [{'dst': '192.168.1.0/24', 'via': '10.255.0.2'}]},
            {'name': 'r2', 'interfaces': [{'segment': 'lan2', 'ip': '192.168.1.1/24'},
                                          {'segment': 'wan', 'ip': '10.255.0.2/24'}],
             'routes': [{'dst': '172.31.1.0/24', 'via': '10.255.0.1'}]}],
        'hosts': [{'name': 'h1', 'segment': 'lan1', 'ip': '172.31.1.11/24', 'gateway': '172.31.1.1'},
                  {'name': 'h2', 'segment': 'lan2', 'ip': '192.168.1.12/24', 'gateway': '192.168.1.1'}],
        'networks': [blue],
        'containers': [_container(1, 'h1', blue, '10.65.10.1/24'), _container(2, 'h2', blue, '10.65.10.2/24')],
    }


def redgreen():
    """Two networks with the same subnet 10.65.10.0/24 on two hosts; c1 (red) and c3 (green) even share
    10.65.10.1 on h1. Pings cross no network boundary."""
    red, green = _net('red', 101, '10.65.10.0/24'), _net('green', 102, '10.65.10.0/24')
    spec = sites(hosts=2, containers=0)
    spec['networks'] = [red, green]
    spec['containers'] = [_container(1, 'h1', red, '10.65.10.1/24'), _container(2, 'h2', red, '10.65.10.2/24'),
                          _container(3, 'h1', green, '10.65.10.1/24'), _container(4, 'h2', green, '10.65.10.3/24')]
    return spec


def routed():
    """One network with two subnets routed by Weft's distributed gateway (.254 of each)."""
    net = _net('net1', 100, '10.65.10.0/24', '10.65.20.0/24')
    spec = sites(hosts=2, containers=0)
    spec['networks'] = [net]
    spec['containers'] = [_container(1, 'h1', net, '10.65.10.1/24'), _container(2, 'h2', net, '10.65.20.2/24'),
                          _container(3, 'h2', net, '10.65.10.3/24')]
    return spec


def _ints(args, **defaults):
    out = dict(defaults)
    for k, v in args.items():
        if k not in defaults:
            raise ValueError('unknown parameter %r (known: %s)' % (k, ', '.join(sorted(defaults))))
        out[k] = int(v)
    return out


def onelan(**args):
    p = _ints(args, hosts=2, containers=1, networks=1)
    return sites(hosts=p['hosts'], containers=p['containers'], networks=p['networks'])


def mesh(**args):
    p = _ints(args, hosts=3, containers=2, networks=2, sites=1)
    return sites(hosts=p['hosts'], site_count=p['sites'], containers=p['containers'], networks=p['networks'])


NAMED = {'twosites': twosites, 'onelan': onelan, 'redgreen': redgreen, 'routed': routed, 'mesh': mesh}


def named(text):
    """'mesh,hosts=4,containers=2,networks=2' -> spec."""
    name, *rest = [p.strip() for p in text.split(',') if p.strip()]
    if name not in NAMED:
        raise ValueError('unknown topology %r (known: %s)' % (name, ', '.join(sorted(NAMED))))
    args = {}
    for part in rest:
        if '=' not in part:
            raise ValueError('topology parameter %r is not key=value' % part)
        k, v = part.split('=', 1)
        args[k.strip()] = v.strip()
    fn = NAMED[name]
    if args and fn in (twosites, redgreen, routed):
        raise ValueError('topology %s takes no parameters' % name)
    return fn(**args)


def validate(spec):
    """Clear errors for bad specs, before anything is created."""
    for key in ('segments', 'routers', 'hosts', 'networks', 'containers'):
        spec.setdefault(key, [])
        if not isinstance(spec[key], list):
            raise ValueError('%s must be a list' % key)
    names = {}
    for kind in ('segments', 'routers', 'hosts', 'containers'):
        for item in spec[kind]:
            n = item.get('name')
            if not n or not isinstance(n, str) or len(n) > 12 or not n.replace('-', '').isalnum():
                raise ValueError('%s name %r must be 1-12 letters, digits or dashes' % (kind, n))
            if n in names:
                raise ValueError('name %r used twice' % n)
            names[n] = kind
    segs = {s['name']: ipaddress.ip_network(s['cidr']) for s in spec['segments']}
    for item in spec['hosts'] + [i for r in spec['routers'] for i in r.get('interfaces', [])]:
        seg = item.get('segment')
        if seg not in segs:
            raise ValueError('%s refers to unknown segment %r' % (item.get('name', 'router interface'), seg))
        if ipaddress.ip_interface(item['ip']).ip not in segs[seg]:
            raise ValueError('%s is not inside segment %s (%s)' % (item['ip'], seg, segs[seg]))
    hosts = {h['name'] for h in spec['hosts']}
    nets = {n['name'] for n in spec['networks']}
    for c in spec['containers']:
        if c.get('host') not in hosts:
            raise ValueError('container %s is on unknown host %r' % (c['name'], c.get('host')))
        if nets and c.get('network') not in nets:
            raise ValueError('container %s is on unknown network %r' % (c['name'], c.get('network')))
        ipaddress.ip_interface(c['ip'])
    return spec
