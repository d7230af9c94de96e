package io.weft.flows.bench;

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
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmark's scale: hosts, networks and endpoints spread at random (fixed seed) over hosts; networks alternate
 * vxlan and gre, every fifth has two routed subnets; every port is bound.
 */
public final class BenchTopology {

    public final List<Host> hosts = new ArrayList<>();
    public final List<Network> networks = new ArrayList<>();
    public final List<Endpoint> endpoints = new ArrayList<>();
    public final Map<String, Map<String, Integer>> ofports = new HashMap<>();
    private final Random random = new Random(42);
    private final int[] nextIp;

    public BenchTopology(int hostCount, int networkCount, int endpointCount) {
        for (int h = 0; h < hostCount; h++) {
            hosts.add(Host.of("h" + h, "172.16." + (h / 250) + "." + (1 + h % 250)));
        }
        for (int n = 0; n < networkCount; n++) {
            // 10.n.0.0/18 and, every fifth network, 10.n.64.0/18 too.
            List<Subnet> subnets = new ArrayList<>();
            subnets.add(Subnet.of("10." + n + ".0.0/18", "10." + n + ".0.1"));
            if (n % 5 == 0) {
                subnets.add(Subnet.of("10." + n + ".64.0/18", "10." + n + ".64.1"));
            }
            networks.add(new Network("net" + n, 1000 + n, n % 2 == 0 ? Encapsulation.VXLAN : Encapsulation.GRE,
                    1450, subnets));
        }
        nextIp = new int[networkCount];
        for (Host h : hosts) {
            Map<String, Integer> ports = new HashMap<>();
            int ofport = 1;
            for (Host peer : hosts) {
                if (!peer.equals(h)) {
                    for (Encapsulation e : Encapsulation.values()) {
                        ports.put(TunnelPort.portName(peer.name(), e), ofport++);
                    }
                }
            }
            ofports.put(h.name(), ports);
        }
        for (int i = 0; i < endpointCount; i++) {
            endpoints.add(newEndpoint(i % networkCount, hosts.get(random.nextInt(hostCount)).name()));
        }
    }

    /** A fresh endpoint of network {@code n} on {@code host}, its port bound. */
    public Endpoint newEndpoint(int n, String host) {
        Network network = networks.get(n);
        int k = nextIp[n]++;
        Subnet s = network.subnets().get(k % network.subnets().size());
        Ipv4Address ip = s.cidr().network().plus(2 + k);
        String port = "e" + n + "-" + k;
        Endpoint e = new Endpoint(new EndpointId(network.name(), "c" + k), host, port, MacAddress.fromIpv4(ip), ip);
        ofports.get(host).put(port, 10_000 + ofports.get(host).size());
        return e;
    }

    public NetworkSnapshot snapshot(long revision, List<Endpoint> eps) {
        Map<String, Map<String, Integer>> copy = new HashMap<>();
        ofports.forEach((h, p) -> copy.put(h, Map.copyOf(p)));
        return NetworkSnapshot.of(revision, hosts, networks, eps, copy);
    }
}
