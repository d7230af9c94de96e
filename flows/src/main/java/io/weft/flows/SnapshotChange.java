package io.weft.flows;

import io.weft.model.EndpointId;
import io.weft.model.NetworkSnapshot;
import io.weft.model.SortedMapDiff;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What differs between two snapshots, as far as flows are concerned. A reconciler knows it exactly from the commits
 * and port reports it applied; {@link #between} finds it by comparing (O(endpoints + ports)).
 *
 * @param topology  hosts or networks differ: every host is recompiled
 * @param endpoints endpoints added, removed or changed in the intent
 * @param rebound   per host, endpoints on it whose own port's ofport differs (bound, unbound, renumbered): they are
 *                  recomputed on that host only, since no other host's flows depend on them
 * @param tunnels   hosts whose other ports' ofports differ (tunnel ports): recompiled
 */
public record SnapshotChange(boolean topology, Set<EndpointId> endpoints, Map<String, Set<EndpointId>> rebound,
                             Set<String> tunnels) {

    public static final SnapshotChange NONE = new SnapshotChange(false, Set.of(), Map.of(), Set.of());

    public SnapshotChange {
        endpoints = Set.copyOf(endpoints);
        Map<String, Set<EndpointId>> copy = new TreeMap<>();
        rebound.forEach((host, ids) -> {
            if (!ids.isEmpty()) {
                copy.put(host, Set.copyOf(ids));
            }
        });
        rebound = Map.copyOf(copy);
        tunnels = Set.copyOf(tunnels);
    }

    public boolean isEmpty() {
        return !topology && endpoints.isEmpty() && rebound.isEmpty() && tunnels.isEmpty();
    }

    /** Everything that differs between {@code before} and {@code after}, found by comparing them. */
    public static SnapshotChange between(NetworkSnapshot before, NetworkSnapshot after) {
        boolean topology = !before.hosts().equals(after.hosts()) || !before.networks().equals(after.networks());
        Set<EndpointId> endpoints = SortedMapDiff.of(before.endpoints(), after.endpoints()).all();
        Map<String, Set<EndpointId>> rebound = new HashMap<>();
        Set<String> tunnels = new TreeSet<>();
        Set<String> hosts = new TreeSet<>(before.hosts().keySet());
        hosts.addAll(after.hosts().keySet());
        for (String host : hosts) {
            Map<String, Integer> b = before.ofports().getOrDefault(host, Map.of());
            Map<String, Integer> a = after.ofports().getOrDefault(host, Map.of());
            if (b == a || b.equals(a)) {
                continue;
            }
            for (String port : movedPorts(b, a)) {
                EndpointId id = endpointAt(before, after, host, port);
                if (id == null) {
                    tunnels.add(host);
                } else {
                    rebound.computeIfAbsent(host, h -> new HashSet<>()).add(id);
                }
            }
        }
        return new SnapshotChange(topology, endpoints, rebound, tunnels);
    }

    /** The ports whose ofport differs between two port maps of one host (added, removed or renumbered). */
    public static Set<String> movedPorts(Map<String, Integer> before, Map<String, Integer> after) {
        Set<String> ports = new HashSet<>();
        before.forEach((port, ofport) -> {
            if (!ofport.equals(after.get(port))) {
                ports.add(port);
            }
        });
        after.forEach((port, ofport) -> {
            if (!ofport.equals(before.get(port))) {
                ports.add(port);
            }
        });
        return ports;
    }

    private static EndpointId endpointAt(NetworkSnapshot before, NetworkSnapshot after, String host, String port) {
        EndpointId id = after.index().at(host, port).orElse(null);
        if (id == null) {
            id = before.index().at(host, port).orElse(null);
        }
        return id;
    }
}
