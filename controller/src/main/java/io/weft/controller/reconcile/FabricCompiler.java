package io.weft.controller.reconcile;

import io.weft.controller.store.StoreState;
import io.weft.flows.FlowCompiler;
import io.weft.flows.FlowDelta;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.NetworkSnapshot;
import java.util.HashMap;
import java.util.Map;

/**
 * The desired flows of the whole fabric, advanced step by step with {@link FlowCompiler#delta}: each step builds the
 * compiler's snapshot from the intent and what the hosts published about their ports, and yields every host's change
 * since the previous step. One container starting costs the compiler a few flows per host, not a recompile of every
 * host (the flows module proves the deltas equal full compiles).
 *
 * <p>Not thread-safe: owned by the reconciler's single compile pass.
 */
final class FabricCompiler {

    private NetworkSnapshot compiled = StoreState.EMPTY.toSnapshot(Map.of());
    private long generation;

    /**
     * One step.
     *
     * @param generation    grows by one per step
     * @param revision      the intent revision the step compiled
     * @param deltas        the hosts whose flows changed, with their change
     * @param oldestUnbound per host, the oldest revision at which one of its endpoints was written that is neither
     *                      bound to a port nor failed; hosts without such endpoints are absent
     */
    record Step(long generation, long revision, Map<String, FlowDelta> deltas, Map<String, Long> oldestUnbound) {

        static final Step NONE = new Step(0, 0, Map.of(), Map.of());

        /** Whether this step holds everything written up to {@code revision} that can be bound on {@code host}. */
        boolean covers(long revision, String host) {
            return this.revision >= revision && oldestUnbound.getOrDefault(host, Long.MAX_VALUE) > revision;
        }
    }

    /** The snapshot of the last step. */
    NetworkSnapshot compiled() {
        return compiled;
    }

    /**
     * @param published what each host's last port pass found
     * @param writtenAt the revision at which each endpoint was last written
     * @throws IllegalArgumentException if the compiler refuses the snapshot (the intent service validates every write
     *                                  against the same checks, so this is a bug)
     */
    Step advance(StoreState intent, Map<String, PortBindings> published, Map<EndpointId, Long> writtenAt) {
        Map<String, Map<String, Integer>> ofports = new HashMap<>();
        published.forEach((host, bindings) -> {
            if (intent.hosts().containsKey(host)) {
                ofports.put(host, new HashMap<>(bindings.tunnelOfports()));
            }
        });
        Map<String, Long> oldestUnbound = new HashMap<>();
        for (Endpoint e : intent.endpoints().values()) {
            PortBindings bindings = published.get(e.host());
            Integer ofport = bindings == null ? null : bindings.endpointOfports().get(e.port());
            if (ofport != null) {
                ofports.get(e.host()).put(e.port(), ofport);
            } else if (bindings == null || !bindings.failed().containsKey(e)) {
                oldestUnbound.merge(e.host(), writtenAt.getOrDefault(e.id(), 0L), Math::min);
            }
        }
        NetworkSnapshot next = intent.toSnapshot(ofports);
        Map<String, FlowDelta> deltas = FlowCompiler.delta(compiled, next);
        compiled = next;
        generation++;
        return new Step(generation, intent.revision(), deltas, Map.copyOf(oldestUnbound));
    }
}
