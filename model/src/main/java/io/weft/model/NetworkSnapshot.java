package io.weft.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * Everything the compilers read, frozen at one revision: the intent (hosts, networks, endpoints) and what the
 * switches told us that the intent cannot know (the OpenFlow port number each port got on each host).
 *
 * <p>Snapshots are values: compile the same snapshot twice and you get the same flows.
 *
 * @param revision  the store revision this snapshot reflects
 * @param hosts     by name
 * @param networks  by name
 * @param endpoints by id
 * @param ofports   per host, per OVS port name, the ofport OVS assigned; a port missing here is not bound yet
 * @param index     the endpoints by host and port and by address, an index of {@code endpoints}
 *
 * <p>Building one is O(hosts): persistent maps are kept as they are, so that a reconciler can build a snapshot per
 * change. That every endpoint names a known host and network is checked with the compilers' other rules
 * ({@code SnapshotCheck}), not here.
 */
public record NetworkSnapshot(long revision,
                              SortedMap<String, Host> hosts,
                              SortedMap<String, Network> networks,
                              SortedMap<EndpointId, Endpoint> endpoints,
                              Map<String, Map<String, Integer>> ofports,
                              EndpointIndex index) {

    /** A snapshot whose index is built from {@code endpoints}: O(n), for tests and one-off compiles. */
    public NetworkSnapshot(long revision, SortedMap<String, Host> hosts, SortedMap<String, Network> networks,
                           SortedMap<EndpointId, Endpoint> endpoints, Map<String, Map<String, Integer>> ofports) {
        this(revision, hosts, networks, endpoints, ofports, EndpointIndex.of(endpoints.values()));
    }

    public NetworkSnapshot {
        hosts = unmodifiableSorted(hosts);
        networks = unmodifiableSorted(networks);
        endpoints = unmodifiableSorted(endpoints);
        ofports = persistentOfports(ofports);
    }

    private static PMap<String, Map<String, Integer>> persistentOfports(Map<String, Map<String, Integer>> ofports) {
        if (ofports instanceof PMap<String, Map<String, Integer>> p
                && p.values().stream().allMatch(m -> m instanceof PMap)) {
            return p;
        }
        PMap<String, Map<String, Integer>> copy = HashTreePMap.empty();
        for (Map.Entry<String, Map<String, Integer>> e : ofports.entrySet()) {
            copy = copy.plus(e.getKey(), HashTreePMap.from(e.getValue()));
        }
        return copy;
    }

    /** Persistent maps are kept as they are (immutable, and shared with the intent they came from); others copied. */
    private static <K extends Comparable<? super K>, V> SortedMap<K, V> unmodifiableSorted(SortedMap<K, V> map) {
        return map instanceof PSortedMap<K, V> persistent ? persistent : TreePMap.from(map);
    }

    public static NetworkSnapshot of(long revision, Collection<Host> hosts, Collection<Network> networks,
                                     Collection<Endpoint> endpoints, Map<String, Map<String, Integer>> ofports) {
        SortedMap<String, Host> h = new TreeMap<>();
        hosts.forEach(x -> h.put(x.name(), x));
        SortedMap<String, Network> n = new TreeMap<>();
        networks.forEach(x -> n.put(x.name(), x));
        SortedMap<EndpointId, Endpoint> e = new TreeMap<>();
        endpoints.forEach(x -> e.put(x.id(), x));
        return new NetworkSnapshot(revision, h, n, e, ofports);
    }

    public OptionalInt ofport(String host, String port) {
        Integer p = ofports.getOrDefault(host, Map.of()).get(port);
        return p == null ? OptionalInt.empty() : OptionalInt.of(p);
    }

    public Optional<Host> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    public Optional<Network> network(String name) {
        return Optional.ofNullable(networks.get(name));
    }

    public List<Endpoint> endpointsOn(String host) {
        return index.on(host);
    }

    /** The same intent with other ofports: what a reconciler builds as switches report their ports. O(1). */
    public NetworkSnapshot withOfports(Map<String, Map<String, Integer>> next) {
        return new NetworkSnapshot(revision, hosts, networks, endpoints, next, index);
    }
}
