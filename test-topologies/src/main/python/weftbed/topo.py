"""A topology spec (topologies.py) as a Mininet Topo, for the launcher and for `mn --custom`."""

import ipaddress
import os

from mininet.topo import Topo

from weftbed.nodes import Container, OvsHost, Router, Segment
from weftbed.topologies import validate

UNDERLAY_INTF = 'eth0'


def host_intf(container_name):
    """The container's peer veth in its host's namespace: short (<= 15 chars) and unique per host."""
    return 've-' + container_name


def segment_port(member_name):
    return 'p-' + member_name


class WeftTopo(Topo):
    """Infrastructure nodes are Mininet switches, containers are Mininet hosts (so pingall pings containers)."""

    def build(self, spec=None, rundir=None):
        spec = validate(spec)
        self.spec = spec
        seg_cidr = {s['name']: s['cidr'] for s in spec['segments']}
        for s in spec['segments']:
            self.addSwitch(s['name'], cls=Segment, kind='segment', cidr=s['cidr'])
        for r in spec['routers']:
            addresses = {'eth%d' % i: itf['ip'] for i, itf in enumerate(r['interfaces'])}
            self.addSwitch(r['name'], cls=Router, kind='router', addresses=addresses, routes=r.get('routes', []))
            for i, itf in enumerate(r['interfaces']):
                self.addLink(r['name'], itf['segment'], intfName1='eth%d' % i, intfName2=segment_port(r['name']))
        for h in spec['hosts']:
            routes = []
            if h.get('gateway'):
                own = ipaddress.ip_network(seg_cidr[h['segment']])
                routes = [{'dst': c, 'via': h['gateway']} for c in seg_cidr.values()
                          if not ipaddress.ip_network(c).overlaps(own)]
            self.addSwitch(h['name'], cls=OvsHost, kind='host', rundir=os.path.join(rundir, h['name']),
                           ip=h['ip'], underlay=UNDERLAY_INTF, routes=routes, segment=h['segment'],
                           gateway=h.get('gateway'))
            self.addLink(h['name'], h['segment'], intfName1=UNDERLAY_INTF, intfName2=segment_port(h['name']))
        for c in spec['containers']:
            self.addHost(c['name'], cls=Container, kind='container', ip=c['ip'], mac=c.get('mac'),
                         gateway=c.get('gateway'), network=c.get('network'), host=c['host'],
                         hostIntf=host_intf(c['name']))
            self.addLink(c['name'], c['host'], intfName1='eth0', intfName2=host_intf(c['name']))
