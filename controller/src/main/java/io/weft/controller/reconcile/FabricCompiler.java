package io.weft.controller.reconcile;

import io.weft.controller.store.StoreState;
import io.weft.flows.FlowCompiler;
import io.weft.flows.FlowDelta;
import io.weft.flows.HostFlows;
import io.weft.flows.SnapshotChange;
import io.weft.model.EndpointId;
import io.weft.model.NetworkSnapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * The desired flows of the whole fabric, advanced one step per batch of changes with {@link FlowCompiler#delta}:
 * each step builds the compiler's snapshot from the intent and the ofports of every host's port plan (in O(hosts):
 * the maps are persistent) and yields every host's change since the previous step. One container starting costs a
 * few flows per host, not a recompile of every host (the flows module proves deltas equal full compiles).
 *
 * <p>Not thread-safe: owned by the reconciler's thread.
 */
final class FabricCompiler {

    private NetworkSnapshot compiled = StoreState.EMPTY.toSnapshot(Map.of());
    private PMap<String, Map<String, Integer>> ofports = HashTreePMap.empty();
    private long generation;
    // What changed since the last step: accumulated in place, one change at a time.
    private boolean topology;
    private final Set<EndpointId> endpoints = new HashSet<>();
    private final Map<String, Set<EndpointId>> rebound = new HashMap<>();
    private final Set<String> tunnels = new HashSet<>();

    /** The snapshot of the last step. */
    NetworkSnapshot compiled() {
        return compiled;
    }

    long generation() {
        return generation;
    }

    /** Records an intent change for the next step. */
    void intentChanged(IntentChange change) {
        topology |= change.topology();
        endpoints.addAll(change.written());
        endpoints.addAll(change.deleted());
    }

    /**
     * Records {@code host}'s new ofports for the next step: which of its endpoints got another one, and whether one
     * of its tunnels did.
     */
    void portsChanged(String host, PMap<String, Integer> hostOfports, Set<EndpointId> moved, boolean tunnelMoved) {
        ofports = ofports.plus(host, hostOfports);
        if (!moved.isEmpty()) {
            rebound.computeIfAbsent(host, h -> new HashSet<>()).addAll(moved);
        }
        if (tunnelMoved) {
            tunnels.add(host);
        }
    }

    /**
     * Moves to {@code intent} without computing any host's change: for the stored intent taken in at start, when no
     * host has flows compiled yet (each gets its full flows once its OVSDB cache is read) and nobody can wait yet.
     */
    void advance(StoreState intent) {
        compiled = intent.toSnapshot(ofports);
        clearPending();
        generation++;
    }

    void hostRemoved(String host) {
        ofports = ofports.minus(host);
    }

    boolean hasPending() {
        return topology || !endpoints.isEmpty() || !rebound.isEmpty() || !tunnels.isEmpty();
    }

    /**
     * One step to {@code intent}: the change of every host's flows (hosts without change absent).
     *
     * @throws IllegalArgumentException if the compiler refuses the snapshot (the intent service validates every
     *                                  write against the same checks, so this is a bug); nothing is stepped
     */
    Map<String, FlowDelta> step(StoreState intent) {
        NetworkSnapshot next = intent.toSnapshot(ofports);
        Map<String, FlowDelta> deltas = FlowCompiler.delta(compiled, next,
                new SnapshotChange(topology, endpoints, rebound, tunnels));
        compiled = next;
        clearPending();
        generation++;
        return deltas;
    }

    private void clearPending() {
        topology = false;
        endpoints.clear();
        rebound.clear();
        tunnels.clear();
    }

    /** The full flows of {@code hosts} at the last step, compiled together so that shared flows are shared. */
    Map<String, HostFlows> full(Set<String> hosts) {
        return FlowCompiler.compile(compiled, hosts);
    }
}
