package io.weft.controller.reconcile;

import io.weft.controller.store.Mutation;
import io.weft.controller.store.StoreChange;
import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.SortedMapDiff;
import java.util.HashSet;
import java.util.Set;

/**
 * What changed between two intents: which hosts need a new port plan, which endpoints the compiler must look at.
 * Pure.
 *
 * @param topology whether hosts or networks changed: every host's tunnels or flows may change
 * @param written  endpoints added or changed
 * @param deleted  endpoints removed
 * @param hosts    hosts of the endpoints written or deleted (before and after)
 */
record IntentChange(boolean topology, Set<EndpointId> written, Set<EndpointId> deleted, Set<String> hosts) {

    /** From one commit's mutations: O(mutations). */
    static IntentChange of(StoreChange change) {
        boolean topology = false;
        Set<EndpointId> written = new HashSet<>();
        Set<EndpointId> deleted = new HashSet<>();
        Set<String> hosts = new HashSet<>();
        for (Mutation m : change.mutations()) {
            if (m instanceof Mutation.PutEndpoint put) {
                written.add(put.endpoint().id());
                deleted.remove(put.endpoint().id());
                hosts.add(put.endpoint().host());
                Endpoint old = change.before().endpoints().get(put.endpoint().id());
                if (old != null) {
                    hosts.add(old.host());
                }
            } else if (m instanceof Mutation.DeleteEndpoint d) {
                written.remove(d.id());
                Endpoint old = change.before().endpoints().get(d.id());
                if (old != null) {
                    deleted.add(d.id());
                    hosts.add(old.host());
                }
            } else {
                topology = true; // a host or a network
            }
        }
        return new IntentChange(topology, Set.copyOf(written), Set.copyOf(deleted), Set.copyOf(hosts));
    }

    /** By comparing whole intents: O(endpoints), for when commits were not seen one by one. */
    static IntentChange between(StoreState before, StoreState after) {
        boolean topology = !before.hosts().equals(after.hosts()) || !before.networks().equals(after.networks());
        SortedMapDiff<EndpointId> diff = SortedMapDiff.of(before.endpoints(), after.endpoints());
        Set<EndpointId> written = new HashSet<>(diff.added());
        written.addAll(diff.changed());
        Set<String> hosts = new HashSet<>();
        diff.removed().forEach(id -> hosts.add(before.endpoints().get(id).host()));
        diff.changed().forEach(id -> hosts.add(before.endpoints().get(id).host()));
        written.forEach(id -> hosts.add(after.endpoints().get(id).host()));
        return new IntentChange(topology, Set.copyOf(written), Set.copyOf(diff.removed()), Set.copyOf(hosts));
    }
}
