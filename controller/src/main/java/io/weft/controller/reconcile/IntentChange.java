package io.weft.controller.reconcile;

import io.weft.controller.store.Mutation;
import io.weft.controller.store.StoreChange;
import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.SortedMapDiff;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two intents: which hosts need a new port plan, which endpoints the compiler must look at.
 * Pure.
 *
 * @param topology whether hosts or networks changed: every host's tunnels or flows may change
 * @param written  endpoints added or changed
 * @param deleted  endpoints removed
 * @param ports    the ports of the endpoints written or deleted (before and after), by host: what a host's port
 *                 plan must look at again
 */
record IntentChange(boolean topology, Set<EndpointId> written, Set<EndpointId> deleted,
                    Map<String, Set<String>> ports) {

    /** Hosts of the endpoints written or deleted (before and after). */
    Set<String> hosts() {
        return ports.keySet();
    }

    private static void touch(Map<String, Set<String>> ports, Endpoint e) {
        if (e != null) {
            ports.computeIfAbsent(e.host(), h -> new HashSet<>()).add(e.port());
        }
    }

    /** From one commit's mutations: O(mutations). */
    static IntentChange of(StoreChange change) {
        boolean topology = false;
        Set<EndpointId> written = new HashSet<>();
        Set<EndpointId> deleted = new HashSet<>();
        Map<String, Set<String>> ports = new HashMap<>();
        for (Mutation m : change.mutations()) {
            if (m instanceof Mutation.PutEndpoint put) {
                written.add(put.endpoint().id());
                deleted.remove(put.endpoint().id());
                touch(ports, put.endpoint());
                touch(ports, change.before().endpoints().get(put.endpoint().id()));
            } else if (m instanceof Mutation.DeleteEndpoint d) {
                written.remove(d.id());
                Endpoint old = change.before().endpoints().get(d.id());
                if (old != null) {
                    deleted.add(d.id());
                    touch(ports, old);
                }
            } else {
                topology = true; // a host or a network
            }
        }
        return new IntentChange(topology, Set.copyOf(written), Set.copyOf(deleted), ports);
    }

    /** By comparing whole intents: O(endpoints), for when commits were not seen one by one. */
    static IntentChange between(StoreState before, StoreState after) {
        boolean topology = !before.hosts().equals(after.hosts()) || !before.networks().equals(after.networks());
        SortedMapDiff<EndpointId> diff = SortedMapDiff.of(before.endpoints(), after.endpoints());
        Set<EndpointId> written = new HashSet<>(diff.added());
        written.addAll(diff.changed());
        Map<String, Set<String>> ports = new HashMap<>();
        diff.removed().forEach(id -> touch(ports, before.endpoints().get(id)));
        diff.changed().forEach(id -> touch(ports, before.endpoints().get(id)));
        written.forEach(id -> touch(ports, after.endpoints().get(id)));
        return new IntentChange(topology, Set.copyOf(written), Set.copyOf(diff.removed()), ports);
    }
}
