package io.weft.controller.store;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The intent at one revision; immutable. */
public record StoreState(long revision, SortedMap<String, Host> hosts, SortedMap<String, Network> networks,
                         SortedMap<EndpointId, Endpoint> endpoints) {

    public static final StoreState EMPTY = new StoreState(0, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());

    public StoreState {
        hosts = Collections.unmodifiableSortedMap(new TreeMap<>(hosts));
        networks = Collections.unmodifiableSortedMap(new TreeMap<>(networks));
        endpoints = Collections.unmodifiableSortedMap(new TreeMap<>(endpoints));
    }

    /** The state with {@code mutations} applied, at the next revision. Pure; stores build on it. */
    public StoreState apply(Iterable<Mutation> mutations) {
        TreeMap<String, Host> h = new TreeMap<>(hosts);
        TreeMap<String, Network> n = new TreeMap<>(networks);
        TreeMap<EndpointId, Endpoint> e = new TreeMap<>(endpoints);
        for (Mutation m : mutations) {
            if (m instanceof Mutation.PutHost p) {
                h.put(p.host().name(), p.host());
            } else if (m instanceof Mutation.DeleteHost d) {
                h.remove(d.name());
            } else if (m instanceof Mutation.PutNetwork p) {
                n.put(p.network().name(), p.network());
            } else if (m instanceof Mutation.DeleteNetwork d) {
                n.remove(d.name());
            } else if (m instanceof Mutation.PutEndpoint p) {
                e.put(p.endpoint().id(), p.endpoint());
            } else if (m instanceof Mutation.DeleteEndpoint d) {
                e.remove(d.id());
            }
        }
        return new StoreState(revision + 1, h, n, e);
    }

    /** The compilers' input: this intent plus the ofports the switches reported. */
    public NetworkSnapshot toSnapshot(Map<String, Map<String, Integer>> ofports) {
        return new NetworkSnapshot(revision, hosts, networks, endpoints, ofports);
    }
}
