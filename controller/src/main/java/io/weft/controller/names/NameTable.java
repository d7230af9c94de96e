package io.weft.controller.names;

import io.weft.model.Endpoint;
import io.weft.model.Ipv4Address;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The names of one snapshot, per network: each endpoint's name, aliases and hostname to its address (several endpoints
 * may share an alias), and each endpoint's address back to its hostname, or its name when it has none (so that a
 * reverse lookup's answer resolves to the address again). Nothing here crosses networks: red's table never
 * holds green's names, even equal ones. Names are kept in lower case (DNS compares without case).
 */
public final class NameTable {

    /** One network's names. */
    public record Zone(Network network, Map<String, List<Ipv4Address>> addresses, Map<Ipv4Address, String> names) {

        /** Whether {@code ip} is in one of the network's subnets: its reverse name is this zone's to answer. */
        public boolean holds(Ipv4Address ip) {
            return network.subnetOf(ip).isPresent();
        }
    }

    private final Map<String, Zone> zones;

    private NameTable(Map<String, Zone> zones) {
        this.zones = zones;
    }

    public static NameTable of(NetworkSnapshot snapshot) {
        Map<String, Map<String, List<Ipv4Address>>> addresses = new HashMap<>();
        Map<String, Map<Ipv4Address, String>> names = new HashMap<>();
        for (Endpoint e : snapshot.endpoints().values()) {
            Map<String, List<Ipv4Address>> byName = addresses.computeIfAbsent(e.network(), n -> new HashMap<>());
            String own = e.id().name().toLowerCase(Locale.ROOT);
            add(byName, own, e.ip());
            e.aliases().forEach(alias -> add(byName, alias, e.ip()));
            e.hostname().ifPresent(hostname -> add(byName, hostname, e.ip()));
            names.computeIfAbsent(e.network(), n -> new HashMap<>()).put(e.ip(), e.hostname().orElse(own));
        }
        Map<String, Zone> zones = new HashMap<>();
        for (Network n : snapshot.networks().values()) {
            // A network without endpoints has no names: a mutable empty map (Map.of() refuses replaceAll).
            Map<String, List<Ipv4Address>> byName = addresses.getOrDefault(n.name(), new HashMap<>());
            byName.replaceAll((k, v) -> List.copyOf(v.stream().distinct().sorted().toList()));
            zones.put(n.name(), new Zone(n, Map.copyOf(byName), Map.copyOf(names.getOrDefault(n.name(), Map.of()))));
        }
        return new NameTable(Map.copyOf(zones));
    }

    private static void add(Map<String, List<Ipv4Address>> byName, String name, Ipv4Address ip) {
        byName.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(ip);
    }

    public Optional<Zone> zone(String network) {
        return Optional.ofNullable(zones.get(network));
    }
}
