package io.weft.controller.reconcile;

import io.weft.controller.store.StoreState;
import io.weft.model.EndpointId;
import io.weft.model.SortedMapDiff;
import java.util.HashSet;
import java.util.Set;

/**
 * What changed between two intents, as far as deciding which hosts need a port pass. Pure.
 *
 * @param topology whether hosts or networks changed: every host's tunnels or flows may change
 * @param written  endpoints added or changed
 * @param deleted  endpoints removed
 * @param hosts    hosts of the endpoints written or deleted (before and after)
 */
record IntentChange(boolean topology, Set<EndpointId> written, Set<EndpointId> deleted, Set<String> hosts) {

    static IntentChange between(StoreState before, StoreState after) {
        boolean topology = !before.hosts().equals(after.hosts()) || !before.networks().equals(after.networks());
        SortedMapDiff<EndpointId> diff = SortedMapDiff.of(before.endpoints(), after.endpoints());
        Set<EndpointId> written = new HashSet<>(diff.added());
        written.addAll(diff.changed());
        Set<String> hosts = new HashSet<>();
        diff.removed().forEach(id -> hosts.add(before.endpoints().get(id).host()));
        diff.changed().forEach(id -> hosts.add(before.endpoints().get(id).host()));
        written.forEach(id -> hosts.add(after.endpoints().get(id).host()));
        Set<EndpointId> deleted = diff.removed();
        return new IntentChange(topology, Set.copyOf(written), Set.copyOf(deleted), Set.copyOf(hosts));
    }
}
