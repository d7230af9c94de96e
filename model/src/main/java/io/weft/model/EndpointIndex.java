package io.weft.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.pcollections.ConsPStack;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.PStack;
import org.pcollections.TreePMap;

/**
 * The endpoints of an intent by host and port and by network address, as a persistent index: adding or removing one
 * endpoint costs O(log n) and shares the rest, so every revision of the intent carries it. It answers "which endpoint
 * does port P of host H carry", "which endpoints are on host H", "who holds IP or MAC A in network N" and "is network
 * N present on host H" without scanning the endpoints, which keeps an announce's checks and a compiler delta
 * independent of the size of the network.
 *
 * <p>A key maps to all its holders: one, unless the endpoints are inconsistent (the intent refuses that, a damaged
 * store may hold it). So the index stays exact as twins come and go, and a check can name both twins.
 */
public final class EndpointIndex {

    public static final EndpointIndex EMPTY = new EndpointIndex(HashTreePMap.empty(), HashTreePMap.empty());

    /** One network's addresses (with their holders, and as runs), and how many of its endpoints each host has. */
    private record InNetwork(PSortedMap<Ipv4Address, PStack<Endpoint>> ips, AddressRuns held,
                             PMap<MacAddress, PStack<Endpoint>> macs, PMap<String, Integer> endpointsPerHost) {

        static final InNetwork EMPTY = new InNetwork(TreePMap.empty(), AddressRuns.EMPTY, HashTreePMap.empty(),
                HashTreePMap.empty());

        InNetwork plus(Endpoint e) {
            return new InNetwork(withHolder(ips, e.ip(), e), held.plus(e.ip()), withHolder(macs, e.mac(), e),
                    endpointsPerHost.plus(e.host(), endpointsPerHost.getOrDefault(e.host(), 0) + 1));
        }

        InNetwork minus(Endpoint e) {
            int onHost = endpointsPerHost.getOrDefault(e.host(), 0);
            PSortedMap<Ipv4Address, PStack<Endpoint>> otherIps = withoutHolder(ips, e.ip(), e);
            return new InNetwork(otherIps, otherIps.containsKey(e.ip()) ? held : held.minus(e.ip()),
                    withoutHolder(macs, e.mac(), e),
                    onHost <= 1 ? endpointsPerHost.minus(e.host()) : endpointsPerHost.plus(e.host(), onHost - 1));
        }
    }

    private final PMap<String, PSortedMap<String, PStack<Endpoint>>> byHost;
    private final PMap<String, InNetwork> byNetwork;

    private EndpointIndex(PMap<String, PSortedMap<String, PStack<Endpoint>>> byHost,
                          PMap<String, InNetwork> byNetwork) {
        this.byHost = byHost;
        this.byNetwork = byNetwork;
    }

    public static EndpointIndex of(Iterable<Endpoint> endpoints) {
        EndpointIndex index = EMPTY;
        for (Endpoint e : endpoints) {
            index = index.plus(e);
        }
        return index;
    }

    /** With {@code e}; callers remove the endpoint's earlier version first. */
    public EndpointIndex plus(Endpoint e) {
        PSortedMap<String, PStack<Endpoint>> ports = byHost.getOrDefault(e.host(), TreePMap.empty());
        InNetwork network = byNetwork.getOrDefault(e.network(), InNetwork.EMPTY);
        return new EndpointIndex(byHost.plus(e.host(), withHolder(ports, e.port(), e)),
                byNetwork.plus(e.network(), network.plus(e)));
    }

    /** Without {@code e} (as it was added). */
    public EndpointIndex minus(Endpoint e) {
        PSortedMap<String, PStack<Endpoint>> ports = byHost.get(e.host());
        InNetwork network = byNetwork.get(e.network());
        if (ports == null || network == null) {
            return this;
        }
        PSortedMap<String, PStack<Endpoint>> otherPorts = withoutHolder(ports, e.port(), e);
        InNetwork rest = network.minus(e);
        return new EndpointIndex(otherPorts.isEmpty() ? byHost.minus(e.host()) : byHost.plus(e.host(), otherPorts),
                rest.endpointsPerHost().isEmpty() ? byNetwork.minus(e.network()) : byNetwork.plus(e.network(), rest));
    }

    /** The endpoint whose port on {@code host} is {@code port} (with twins, the last added). */
    public Optional<EndpointId> at(String host, String port) {
        PSortedMap<String, PStack<Endpoint>> ports = byHost.get(host);
        PStack<Endpoint> holders = ports == null ? null : ports.get(port);
        return holders == null ? Optional.empty() : Optional.of(holders.get(0).id());
    }

    /** The endpoints whose port on {@code host} is {@code port}: one, none, or twins (the last added first). */
    public List<Endpoint> holdersAt(String host, String port) {
        PSortedMap<String, PStack<Endpoint>> ports = byHost.get(host);
        PStack<Endpoint> holders = ports == null ? null : ports.get(port);
        return holders == null ? List.of() : holders;
    }

    /** The endpoints on {@code host}, in the order of their port names. */
    public List<Endpoint> on(String host) {
        List<Endpoint> endpoints = new ArrayList<>();
        byHost.getOrDefault(host, TreePMap.empty()).values().forEach(endpoints::addAll);
        return endpoints;
    }

    /** The endpoints of {@code network} that hold {@code ip}. */
    public List<Endpoint> holdersOf(String network, Ipv4Address ip) {
        InNetwork n = byNetwork.get(network);
        return n == null ? List.of() : n.ips.getOrDefault(ip, ConsPStack.empty());
    }

    /** The endpoints of {@code network} that hold {@code mac}. */
    public List<Endpoint> holdersOf(String network, MacAddress mac) {
        InNetwork n = byNetwork.get(network);
        return n == null ? List.of() : n.macs.getOrDefault(mac, ConsPStack.empty());
    }

    /** The addresses held in {@code network}, sorted, each with its holders. */
    public SortedMap<Ipv4Address, ? extends List<Endpoint>> addresses(String network) {
        InNetwork n = byNetwork.get(network);
        return n == null ? TreePMap.empty() : n.ips;
    }

    /** The addresses held in {@code network}, as runs: where the free ones are. */
    public AddressRuns held(String network) {
        InNetwork n = byNetwork.get(network);
        return n == null ? AddressRuns.EMPTY : n.held;
    }

    /** How many endpoints {@code network} has. */
    public int size(String network) {
        InNetwork n = byNetwork.get(network);
        return n == null ? 0 : n.endpointsPerHost.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** True when at least one endpoint of {@code network} is placed on {@code host}, bound or not. */
    public boolean isPresent(String network, String host) {
        InNetwork n = byNetwork.get(network);
        return n != null && n.endpointsPerHost.containsKey(host);
    }

    private static <K, M extends PMap<K, PStack<Endpoint>>> M withHolder(M map, K key, Endpoint e) {
        return narrow(map.plus(key, map.getOrDefault(key, ConsPStack.empty()).plus(e)));
    }

    private static <K, M extends PMap<K, PStack<Endpoint>>> M withoutHolder(M map, K key, Endpoint e) {
        PStack<Endpoint> holders = map.get(key);
        if (holders == null) {
            return map;
        }
        PStack<Endpoint> rest = holders.minus(e);
        return narrow(rest.isEmpty() ? map.minus(key) : map.plus(key, rest));
    }

    /** PMap.plus and minus return PMap; a PSortedMap's return a PSortedMap, which the caller passed in. */
    @SuppressWarnings("unchecked")
    private static <K, M extends PMap<K, PStack<Endpoint>>> M narrow(PMap<K, PStack<Endpoint>> map) {
        return (M) map;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndpointIndex other && byHost.equals(other.byHost) && byNetwork.equals(other.byNetwork);
    }

    @Override
    public int hashCode() {
        return byHost.hashCode();
    }

    @Override
    public String toString() {
        return "EndpointIndex" + byHost;
    }
}
