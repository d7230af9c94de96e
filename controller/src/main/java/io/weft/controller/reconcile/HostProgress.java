package io.weft.controller.reconcile;

import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import java.util.Collection;
import java.util.Map;

/** One host as the install waiters see it: what changed there, what OVS confirmed, what its switch holds. */
record HostProgress(HostState h, StoreState intent, Map<EndpointId, Long> writtenAt)
        implements InstallWaiters.HostProgress {

    @Override
    public String name() {
        return h.name;
    }

    @Override
    public long changedAt() {
        return h.changedAt;
    }

    /** The endpoints written up to {@code revision} are confirmed by OVS or failed; one deleted since holds none up. */
    @Override
    public boolean settled(long revision) {
        Collection<EndpointId> waitingFor = h.hasPlan() ? h.plan.unconfirmed()
                : intent.index().on(h.name).stream().map(Endpoint::id).toList();
        return waitingFor.stream().allMatch(id -> writtenAt.getOrDefault(id, Long.MAX_VALUE) > revision);
    }

    @Override
    public boolean binding(long after, long revision) {
        Collection<EndpointId> unbound = h.hasPlan() ? h.plan.unconfirmed()
                : intent.index().on(h.name).stream().map(Endpoint::id).toList();
        return unbound.stream().anyMatch(id -> {
            long at = writtenAt.getOrDefault(id, Long.MAX_VALUE);
            return at > after && at <= revision;
        });
    }

    @Override
    public boolean portsCaughtUpTo(long generation) {
        return h.hasPlan() && h.portsCaughtUpTo(generation);
    }

    @Override
    public boolean flowsCaughtUpTo(long generation) {
        return h.hasPlan() && h.flows.caughtUpTo(generation);
    }

    @Override
    public String pendingReason() {
        if (h.unusable.isPresent()) {
            return h.unusable.get();
        }
        if (!h.ovsdb.connected()) {
            return "OVSDB not connected";
        }
        if (!h.plan.unconfirmed().isEmpty()) {
            return "waiting for OVS to make port(s) " + h.plan.unconfirmed().stream().map(intent.endpoints()::get)
                    .filter(e -> e != null).map(e -> e.port() + " (" + e.id() + ")").sorted().toList();
        }
        if (h.sw == null) {
            return "OpenFlow not connected";
        }
        return h.lastError().orElse("installing");
    }
}
