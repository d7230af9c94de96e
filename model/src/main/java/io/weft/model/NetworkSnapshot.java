package io.weft.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;
import java.util.stream.Collectors;

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
 */
public record NetworkSnapshot(long revision,
                              SortedMap<String, Host> hosts,
                              SortedMap<String, Network> networks,
                              SortedMap<EndpointId, Endpoint> endpoints,
                              Map<String, Map<String, Integer>> ofports) {

    public NetworkSnapshot {
        hosts = unmodifiableSorted(hosts);
        networks = unmodifiableSorted(networks);
        endpoints = unmodifiableSorted(endpoints);
        ofports = ofports.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
        for (Endpoint e : endpoints.values()) {
            if (!networks.containsKey(e.network())) {
                throw new IllegalArgumentException("endpoint " + e.id() + " refers to unknown network " + e.network());
            }
            if (!hosts.containsKey(e.host())) {
                throw new IllegalArgumentException("endpoint " + e.id() + " refers to unknown host " + e.host());
            }
        }
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

    public List<Endpoint> endpointsOf(String network) {
        return endpoints.values().stream().filter(e -> e.network().equals(network)).toList();
    }

    public List<Endpoint> endpointsOn(String host) {
        return endpoints.values().stream().filter(e -> e.host().equals(host)).toList();
    }
}
