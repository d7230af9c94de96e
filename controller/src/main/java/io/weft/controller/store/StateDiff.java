package io.weft.controller.store;

import io.weft.model.EndpointId;
import io.weft.model.SortedMapDiff;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutations that turn one intent into another: what a store tells its listeners when it learnt a new state
 * without seeing the commits that led to it (an etcd watch that fell behind a compaction and read everything again).
 * Pure; {@code before.apply(between(before, after))} holds what {@code after} holds.
 */
public final class StateDiff {

    private StateDiff() {
    }

    /** Deletions first, then puts: endpoints, networks and hosts in the order a writer would make them. */
    public static List<Mutation> between(StoreState before, StoreState after) {
        List<Mutation> mutations = new ArrayList<>();
        SortedMapDiff<EndpointId> endpoints = SortedMapDiff.of(before.endpoints(), after.endpoints());
        SortedMapDiff<String> networks = SortedMapDiff.of(before.networks(), after.networks());
        SortedMapDiff<String> hosts = SortedMapDiff.of(before.hosts(), after.hosts());
        endpoints.removed().forEach(id -> mutations.add(new Mutation.DeleteEndpoint(id)));
        networks.removed().forEach(n -> mutations.add(new Mutation.DeleteNetwork(n)));
        hosts.removed().forEach(h -> mutations.add(new Mutation.DeleteHost(h)));
        hosts.added().forEach(h -> mutations.add(new Mutation.PutHost(after.hosts().get(h))));
        hosts.changed().forEach(h -> mutations.add(new Mutation.PutHost(after.hosts().get(h))));
        networks.added().forEach(n -> mutations.add(new Mutation.PutNetwork(after.networks().get(n))));
        networks.changed().forEach(n -> mutations.add(new Mutation.PutNetwork(after.networks().get(n))));
        endpoints.added().forEach(id -> mutations.add(new Mutation.PutEndpoint(after.endpoints().get(id))));
        endpoints.changed().forEach(id -> mutations.add(new Mutation.PutEndpoint(after.endpoints().get(id))));
        return List.copyOf(mutations);
    }
}
