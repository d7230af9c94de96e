package io.weft.controller.store;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.EndpointIndex;
import io.weft.model.Host;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import java.util.Map;
import java.util.SortedMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * The intent at one revision; immutable. Revisions grow with every commit, by one in the embedded store and by
 * etcd's revision (which other keys also move) in the etcd store: compare them, never count on {@code + 1}.
 *
 * @param index the endpoints by host and port and by address, kept with the endpoints so that "what is on host H",
 *              "who holds port P" and "who holds address A" never scan the whole intent
 */
public record StoreState(long revision, SortedMap<String, Host> hosts, SortedMap<String, Network> networks,
                         SortedMap<EndpointId, Endpoint> endpoints, EndpointIndex index) {

    public static final StoreState EMPTY = new StoreState(0, TreePMap.empty(), TreePMap.empty(), TreePMap.empty());

    /** A state whose index is built from {@code endpoints}: O(n), for loading and tests. */
    public StoreState(long revision, SortedMap<String, Host> hosts, SortedMap<String, Network> networks,
                      SortedMap<EndpointId, Endpoint> endpoints) {
        this(revision, hosts, networks, endpoints, EndpointIndex.of(endpoints.values()));
    }

    /** The maps are persistent: a revision shares everything but the changed entries with the one before. */
    public StoreState {
        hosts = persistent(hosts);
        networks = persistent(networks);
        endpoints = persistent(endpoints);
    }

    /** The state with {@code mutations} applied, at the next revision (the embedded store's numbering). Pure. */
    public StoreState apply(Iterable<Mutation> mutations) {
        return apply(mutations, revision + 1);
    }

    /**
     * The state with {@code mutations} applied, at {@code next} (etcd numbers a commit with the cluster's revision,
     * which other keys also move): O(log n) per mutation. Pure.
     */
    public StoreState apply(Iterable<Mutation> mutations, long next) {
        if (next <= revision) {
            throw new IllegalArgumentException("revision " + next + " does not follow " + revision);
        }
        PSortedMap<String, Host> h = persistent(hosts);
        PSortedMap<String, Network> n = persistent(networks);
        PSortedMap<EndpointId, Endpoint> e = persistent(endpoints);
        EndpointIndex byEndpoint = index;
        for (Mutation m : mutations) {
            if (m instanceof Mutation.PutHost p) {
                h = h.plus(p.host().name(), p.host());
            } else if (m instanceof Mutation.DeleteHost d) {
                h = h.minus(d.name());
            } else if (m instanceof Mutation.PutNetwork p) {
                n = n.plus(p.network().name(), p.network());
            } else if (m instanceof Mutation.DeleteNetwork d) {
                n = n.minus(d.name());
            } else if (m instanceof Mutation.PutEndpoint put) {
                Endpoint old = e.get(put.endpoint().id());
                if (old != null) {
                    byEndpoint = byEndpoint.minus(old);
                }
                e = e.plus(put.endpoint().id(), put.endpoint());
                byEndpoint = byEndpoint.plus(put.endpoint());
            } else if (m instanceof Mutation.DeleteEndpoint d) {
                Endpoint old = e.get(d.id());
                if (old != null) {
                    byEndpoint = byEndpoint.minus(old);
                    e = e.minus(d.id());
                }
            }
        }
        return new StoreState(next, h, n, e, byEndpoint);
    }

    private static <K extends Comparable<? super K>, V> PSortedMap<K, V> persistent(SortedMap<K, V> map) {
        return map instanceof PSortedMap<K, V> p ? p : TreePMap.from(map);
    }

    /** The compilers' input: this intent plus the ofports the switches reported. */
    public NetworkSnapshot toSnapshot(Map<String, Map<String, Integer>> ofports) {
        return new NetworkSnapshot(revision, hosts, networks, endpoints, ofports, index);
    }
}
