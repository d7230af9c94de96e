package io.weft.controller.reconcile;

import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The intent's endpoints grouped by host, updated from each {@link IntentChange} by copying only the lists of the
 * hosts it names: a host's port pass reads its own couple of hundred endpoints instead of scanning thousands. Pure.
 */
record EndpointsByHost(StoreState state, Map<String, List<Endpoint>> byHost) {

    static final EndpointsByHost EMPTY = new EndpointsByHost(StoreState.EMPTY, Map.of());

    static EndpointsByHost of(StoreState state) {
        Map<String, List<Endpoint>> byHost = new HashMap<>();
        state.endpoints().values().forEach(e -> byHost.computeIfAbsent(e.host(), h -> new ArrayList<>()).add(e));
        byHost.replaceAll((host, list) -> List.copyOf(list));
        return new EndpointsByHost(state, Map.copyOf(byHost));
    }

    /** The index of {@code next}, which {@code change} leads to from this index's state. */
    EndpointsByHost next(StoreState next, IntentChange change) {
        if (change.topology()) {
            return of(next);
        }
        Map<String, List<Endpoint>> byHost = new HashMap<>(this.byHost);
        for (String host : change.hosts()) {
            List<Endpoint> list = new ArrayList<>();
            for (Endpoint e : this.byHost.getOrDefault(host, List.of())) {
                EndpointId id = e.id();
                if (!change.deleted().contains(id) && !change.written().contains(id)) {
                    list.add(e);
                }
            }
            for (EndpointId id : change.written()) {
                Endpoint e = next.endpoints().get(id);
                if (e.host().equals(host)) {
                    list.add(e);
                }
            }
            if (list.isEmpty()) {
                byHost.remove(host);
            } else {
                byHost.put(host, List.copyOf(list));
            }
        }
        return new EndpointsByHost(next, Map.copyOf(byHost));
    }

    List<Endpoint> on(String host) {
        return byHost.getOrDefault(host, List.of());
    }
}
