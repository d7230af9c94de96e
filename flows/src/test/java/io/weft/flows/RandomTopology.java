package io.weft.flows;

import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.Subnet;
import io.weft.model.TunnelPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random snapshots for property tests, from a seed: 1-4 hosts, 1-3 networks often sharing subnets (and so IPs and
 * MACs, which derive from IPs), some with two routed subnets, vxlan or gre, up to 12 endpoints, most ports bound.
 */
final class RandomTopology {

    private static final List<List<Subnet>> SUBNET_CHOICES = List.of(
            List.of(Subnet.of("10.65.10.0/24", "10.65.10.1")),
            List.of(Subnet.of("10.65.10.0/24", "10.65.10.1"), Subnet.of("10.65.20.0/24", "10.65.20.1")),
            List.of(Subnet.of("10.1.1.0/24", "10.1.1.1"), Subnet.of("11.1.1.0/24", "11.1.1.1")));

    private final Random random;
    final List<Host> hosts = new ArrayList<>();
    final List<Network> networks = new ArrayList<>();
    final List<Endpoint> endpoints = new ArrayList<>();
    final Map<String, Map<String, Integer>> ofports = new HashMap<>();
    private int nextEndpoint;

    RandomTopology(long seed) {
        random = new Random(seed);
        int hostCount = 1 + random.nextInt(4);
        for (int i = 1; i <= hostCount; i++) {
            hosts.add(Host.of("h" + i, "172.31.1." + i));
        }
        int networkCount = 1 + random.nextInt(3);
        Set<Integer> vnis = new HashSet<>();
        for (int i = 0; i < networkCount; i++) {
            int vni;
            do {
                vni = 1 + random.nextInt(1000);
            } while (!vnis.add(vni));
            networks.add(new Network("n" + i, vni, random.nextBoolean() ? Encapsulation.VXLAN : Encapsulation.GRE,
                    1450, SUBNET_CHOICES.get(random.nextInt(SUBNET_CHOICES.size()))));
        }
        for (Host h : hosts) {
            Map<String, Integer> ports = new HashMap<>();
            int ofport = 1;
            for (Host peer : hosts) {
                for (Encapsulation e : Encapsulation.values()) {
                    if (!peer.equals(h)) {
                        ports.put(TunnelPort.portName(peer.name(), e), ofport++);
                    }
                }
            }
            ofports.put(h.name(), ports);
        }
        int endpointCount = random.nextInt(13);
        for (int i = 0; i < endpointCount; i++) {
            addEndpoint(random.nextInt(10) != 0);
        }
    }

    /** A new endpoint with an address unused in its network; bound or not. */
    Endpoint addEndpoint(boolean bound) {
        Network n = networks.get(random.nextInt(networks.size()));
        Subnet s = n.subnets().get(random.nextInt(n.subnets().size()));
        Ipv4Address ip;
        do {
            ip = s.cidr().network().plus(2 + random.nextInt(24)); // 24 > the most endpoints generated
        } while (usedIn(n, ip));
        String host = hosts.get(random.nextInt(hosts.size())).name();
        String port = "p" + nextEndpoint;
        Endpoint e = new Endpoint(new EndpointId(n.name(), "c" + nextEndpoint++), host, port,
                MacAddress.fromIpv4(ip), ip);
        endpoints.add(e);
        if (bound) {
            bind(e);
        }
        return e;
    }

    void bind(Endpoint e) {
        Map<String, Integer> ports = ofports.get(e.host());
        ports.put(e.port(), 100 + nextEndpoint + ports.size());
    }

    void unbind(Endpoint e) {
        ofports.get(e.host()).remove(e.port());
    }

    Endpoint removeRandomEndpoint() {
        Endpoint e = endpoints.remove(random.nextInt(endpoints.size()));
        unbind(e);
        return e;
    }

    Endpoint pick() {
        return endpoints.get(random.nextInt(endpoints.size()));
    }

    Random random() {
        return random;
    }

    private boolean usedIn(Network n, Ipv4Address ip) {
        return endpoints.stream().anyMatch(e -> e.network().equals(n.name()) && e.ip().equals(ip));
    }

    NetworkSnapshot snapshot(long revision) {
        Map<String, Map<String, Integer>> copy = new HashMap<>();
        ofports.forEach((h, p) -> copy.put(h, Map.copyOf(p)));
        return NetworkSnapshot.of(revision, hosts, networks, endpoints, copy);
    }
}
