package io.weft.routing;

import io.weft.model.Endpoint;
import io.weft.model.Ipv4Address;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the endpoints of one network live: endpoint IP to endpoint (and so to host).
 *
 * @param network the network
 * @param byIp    its endpoints by IP, bound or not
 */
public record Placement(Network network, SortedMap<Ipv4Address, Endpoint> byIp) {

    public Placement {
        byIp = Collections.unmodifiableSortedMap(new TreeMap<>(byIp));
    }

    /** @throws IllegalArgumentException for an unknown network or two endpoints with one IP */
    public static Placement of(NetworkSnapshot snapshot, String network) {
        Network n = snapshot.network(network)
                .orElseThrow(() -> new IllegalArgumentException("network " + network + " is unknown"));
        SortedMap<Ipv4Address, Endpoint> byIp = new TreeMap<>();
        for (Endpoint e : NetworkEndpoints.of(snapshot, network)) {
            Endpoint other = byIp.put(e.ip(), e);
            if (other != null) {
                throw new IllegalArgumentException("network " + network + ": IP " + e.ip() + " is held by both "
                        + other.id() + " and " + e.id());
            }
        }
        return new Placement(n, byIp);
    }

    public Optional<Endpoint> endpointAt(Ipv4Address ip) {
        return Optional.ofNullable(byIp.get(ip));
    }

    public Optional<String> hostOf(Ipv4Address ip) {
        return endpointAt(ip).map(Endpoint::host);
    }

    /** The hosts holding at least one endpoint of the network, sorted. */
    public SortedSet<String> hosts() {
        SortedSet<String> hosts = new TreeSet<>();
        byIp.values().forEach(e -> hosts.add(e.host()));
        return hosts;
    }
}
