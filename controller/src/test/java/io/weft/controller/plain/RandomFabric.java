package io.weft.controller.plain;

import io.weft.model.MacAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A connected fabric for the properties: {@code switches} switches joined by a random tree plus {@code extraLinks}
 * more links (loops, parallel cables included), one host on each switch, every port settled, every host learned.
 */
record RandomFabric(Topology topology, List<LearnedHost> hosts, Map<Long, Set<Long>> neighbours) {

    static RandomFabric of(long seed, int switches, int extraLinks) {
        Random random = new Random(seed);
        List<Long> dpids = new ArrayList<>();
        for (int i = 0; i < switches; i++) {
            dpids.add(0x1000L * (i + 1) + random.nextInt(0x1000));
        }
        List<long[]> pairs = new ArrayList<>();
        for (int i = 1; i < switches; i++) {
            pairs.add(new long[] {dpids.get(random.nextInt(i)), dpids.get(i)});
        }
        for (int i = 0; i < extraLinks && switches > 1; i++) {
            int a = random.nextInt(switches);
            int b = (a + 1 + random.nextInt(switches - 1)) % switches;
            pairs.add(new long[] {dpids.get(a), dpids.get(b)});
        }
        return build(dpids, pairs);
    }

    /** The switches joined by a cable per pair, ports numbered in cabling order, then a host port each. */
    private static RandomFabric build(List<Long> dpids, List<long[]> pairs) {
        Map<Long, Integer> nextPort = new HashMap<>();
        List<PortRef[]> cables = new ArrayList<>();
        for (long[] p : pairs) {
            cables.add(cable(p[0], p[1], nextPort));
        }
        Map<Long, Set<Long>> neighbours = new HashMap<>();
        dpids.forEach(d -> neighbours.put(d, new HashSet<>()));
        for (PortRef[] c : cables) {
            neighbours.get(c[0].dpid()).add(c[1].dpid());
            neighbours.get(c[1].dpid()).add(c[0].dpid());
        }
        Topology t = Topology.EMPTY;
        List<PortRef> hostPorts = new ArrayList<>();
        for (long d : dpids) {
            PortRef hostPort = new PortRef(d, nextPort.merge(d, 1, Integer::sum));
            hostPorts.add(hostPort);
            Set<Long> up = new HashSet<>();
            for (int p = 1; p <= nextPort.get(d); p++) {
                up.add((long) p);
            }
            t = t.withSwitch(d, up);
        }
        for (PortRef[] c : cables) {
            t = t.withLink(c[0], c[1]);
        }
        List<LearnedHost> hosts = new ArrayList<>();
        for (int i = 0; i < hostPorts.size(); i++) {
            t = t.settled(hostPorts.get(i));
            MacAddress mac = new MacAddress(0x0200_0000_0000L + i + 1);
            t = t.withHost(mac, hostPorts.get(i), java.util.Optional.empty());
            hosts.add(t.host(mac).orElseThrow());
        }
        return new RandomFabric(t, hosts, neighbours);
    }

    /** Mininet's torus: a rows x columns grid whose rows and columns wrap around, one host per switch. */
    static RandomFabric torus(int rows, int columns) {
        List<Long> dpids = new ArrayList<>();
        List<long[]> pairs = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                dpids.add((long) (r * columns + c + 1));
                pairs.add(new long[] {r * columns + c + 1, r * columns + (c + 1) % columns + 1});
                pairs.add(new long[] {r * columns + c + 1, ((r + 1) % rows) * columns + c + 1});
            }
        }
        return build(dpids, pairs);
    }

    private static PortRef[] cable(long a, long b, Map<Long, Integer> nextPort) {
        return new PortRef[] {new PortRef(a, nextPort.merge(a, 1, Integer::sum)),
                new PortRef(b, nextPort.merge(b, 1, Integer::sum))};
    }

    /** Links between two switches on a shortest path, computed apart from {@link Paths}. */
    int distance(long from, long to) {
        Map<Long, Integer> d = new HashMap<>();
        java.util.ArrayDeque<Long> q = new java.util.ArrayDeque<>(List.of(from));
        d.put(from, 0);
        while (!q.isEmpty()) {
            long u = q.poll();
            for (long v : neighbours.get(u)) {
                if (d.putIfAbsent(v, d.get(u) + 1) == null) {
                    q.add(v);
                }
            }
        }
        return d.get(to);
    }
}
