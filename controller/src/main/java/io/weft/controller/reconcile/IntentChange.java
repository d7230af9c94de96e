package io.weft.controller.reconcile;

import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
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
        Set<EndpointId> written = new HashSet<>();
        Set<EndpointId> deleted = new HashSet<>();
        Set<String> hosts = new HashSet<>();
        // Both maps are sorted by id: one merge, and unchanged endpoints are the same instances across revisions.
        Iterator<Map.Entry<EndpointId, Endpoint>> bi = before.endpoints().entrySet().iterator();
        Iterator<Map.Entry<EndpointId, Endpoint>> ai = after.endpoints().entrySet().iterator();
        Map.Entry<EndpointId, Endpoint> b = bi.hasNext() ? bi.next() : null;
        Map.Entry<EndpointId, Endpoint> a = ai.hasNext() ? ai.next() : null;
        while (b != null || a != null) {
            int c = b == null ? 1 : a == null ? -1 : b.getKey().compareTo(a.getKey());
            if (c < 0) {
                deleted.add(b.getKey());
                hosts.add(b.getValue().host());
                b = bi.hasNext() ? bi.next() : null;
            } else if (c > 0) {
                written.add(a.getKey());
                hosts.add(a.getValue().host());
                a = ai.hasNext() ? ai.next() : null;
            } else {
                if (b.getValue() != a.getValue() && !b.getValue().equals(a.getValue())) {
                    written.add(a.getKey());
                    hosts.add(b.getValue().host());
                    hosts.add(a.getValue().host());
                }
                b = bi.hasNext() ? bi.next() : null;
                a = ai.hasNext() ? ai.next() : null;
            }
        }
        return new IntentChange(topology, Set.copyOf(written), Set.copyOf(deleted), Set.copyOf(hosts));
    }
}
