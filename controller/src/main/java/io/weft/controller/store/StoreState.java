package io.weft.controller.store;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import java.util.Map;
import java.util.SortedMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/** The intent at one revision; immutable. */
public record StoreState(long revision, SortedMap<String, Host> hosts, SortedMap<String, Network> networks,
                         SortedMap<EndpointId, Endpoint> endpoints) {

    public static final StoreState EMPTY = new StoreState(0, TreePMap.empty(), TreePMap.empty(), TreePMap.empty());

    /** The maps are persistent: a revision shares everything but the changed entries with the one before. */
    public StoreState {
        hosts = persistent(hosts);
        networks = persistent(networks);
        endpoints = persistent(endpoints);
    }

    /** The state with {@code mutations} applied, at the next revision: O(log n) per mutation. Pure. */
    public StoreState apply(Iterable<Mutation> mutations) {
        PSortedMap<String, Host> h = persistent(hosts);
        PSortedMap<String, Network> n = persistent(networks);
        PSortedMap<EndpointId, Endpoint> e = persistent(endpoints);
        for (Mutation m : mutations) {
            if (m instanceof Mutation.PutHost p) {
                h = h.plus(p.host().name(), p.host());
            } else if (m instanceof Mutation.DeleteHost d) {
                h = h.minus(d.name());
            } else if (m instanceof Mutation.PutNetwork p) {
                n = n.plus(p.network().name(), p.network());
            } else if (m instanceof Mutation.DeleteNetwork d) {
                n = n.minus(d.name());
            } else if (m instanceof Mutation.PutEndpoint p) {
                e = e.plus(p.endpoint().id(), p.endpoint());
            } else if (m instanceof Mutation.DeleteEndpoint d) {
                e = e.minus(d.id());
            }
        }
        return new StoreState(revision + 1, h, n, e);
    }

    private static <K extends Comparable<? super K>, V> PSortedMap<K, V> persistent(SortedMap<K, V> map) {
        return map instanceof PSortedMap<K, V> p ? p : TreePMap.from(map);
    }

    /** The compilers' input: this intent plus the ofports the switches reported. */
    public NetworkSnapshot toSnapshot(Map<String, Map<String, Integer>> ofports) {
        return new NetworkSnapshot(revision, hosts, networks, endpoints, ofports);
    }
}
