package io.weft.controller.reconcile;

import io.weft.controller.events.ControllerEvent;
import io.weft.controller.events.EventPublisher;
import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Publishes {@code endpoint-bound} and {@code endpoint-removed} when they become true: once every host the write (or
 * the removal) concerns has acknowledged it, as {@link InstallWaiters} judges for a client's {@code ?wait}. One watch
 * per endpoint: a newer write replaces the older one's watch (that state never was installed everywhere). Past
 * {@link #MAX_WATCHED} endpoints waiting at once (hosts that cannot take them), the watches are given up and a
 * {@link ControllerEvent.Resync} published instead. Confined to the reconciler's thread.
 */
final class EndpointFacts {

    static final int MAX_WATCHED = 10_000;

    private final InstallWaiters waiters;
    private final EventPublisher events;
    private final Clock clock;
    private final Map<EndpointId, CompletableFuture<Void>> watched = new HashMap<>();

    EndpointFacts(InstallWaiters waiters, EventPublisher events, Clock clock) {
        this.waiters = waiters;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Watches the endpoints {@code change} wrote or removed at {@code after}'s revision.
     *
     * @param before the intent before the change (where removed endpoints are read)
     * @param intent the reconciler's intent when a watch completes, and when each endpoint was last written
     */
    void committed(IntentChange change, StoreState before, StoreState after, Supplier<StoreState> intent,
                   Map<EndpointId, Long> writtenAt, Supplier<Collection<? extends InstallWaiters.HostProgress>> hosts) {
        if (change.written().isEmpty() && change.deleted().isEmpty()) {
            return;
        }
        long revision = after.revision();
        Collection<? extends InstallWaiters.HostProgress> progress = hosts.get();
        for (EndpointId id : change.written()) {
            watch(id, revision, progress, () -> {
                Endpoint e = intent.get().endpoints().get(id);
                if (e != null && writtenAt.getOrDefault(id, -1L) == revision) {
                    events.publish(new ControllerEvent.EndpointBound(clock.instant(), id.network(), id.name(),
                            e.host(), e.ip().toString(), e.mac().toString()));
                }
            });
        }
        for (EndpointId id : change.deleted()) {
            Endpoint gone = before.endpoints().get(id);
            if (gone != null) {
                watch(id, revision, progress, () -> events.publish(new ControllerEvent.EndpointRemoved(clock.instant(),
                        id.network(), id.name(), gone.host())));
            }
        }
        if (watched.size() > MAX_WATCHED) {
            watched.values().forEach(f -> f.cancel(false));
            watched.clear();
            events.publish(new ControllerEvent.Resync(clock.instant()));
        }
    }

    private void watch(EndpointId id, long revision, Collection<? extends InstallWaiters.HostProgress> hosts,
                       Runnable fact) {
        CompletableFuture<Void> installed = new CompletableFuture<>();
        CompletableFuture<Void> older = watched.put(id, installed);
        if (older != null) {
            older.cancel(false);
        }
        // Completed by the waiters' check, on this thread: the fact is published in the reconciler's order.
        installed.thenRun(() -> {
            watched.remove(id, installed);
            fact.run();
        });
        waiters.watch(revision, installed, hosts);
    }

    /** How many endpoints wait for their hosts. */
    int watching() {
        return watched.size();
    }
}
