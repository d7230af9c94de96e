package io.weft.controller.reconcile;

import io.weft.flows.FlowDelta;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One host's desired flows and what of them its switch has not acknowledged yet. The fabric compiler offers deltas,
 * the host's flow pass {@linkplain #take() takes} a batch and reports how it went. While the switch is known to hold
 * every acknowledged change a batch carries only the changes since; after a (re)connection or a failed batch the
 * next batch is the whole desired set, for the programmer to diff against the switch.
 *
 * <p>Changes carry the fabric generation they came with, so convergence reads as "every change up to generation G
 * is acknowledged" ({@link #caughtUpTo}). Thread-safe: the compiler and the flow pass run on different threads.
 */
final class FlowLedger {

    private static final long NONE = Long.MAX_VALUE;
    private static final Comparator<FlowRule> OPERATOR_ORDER = Comparator.comparingInt(FlowRule::tableId)
            .thenComparing(Comparator.comparingInt(FlowRule::priority).reversed())
            .thenComparingLong(FlowRule::cookie);

    private final Map<FlowKey, FlowRule> desired = new LinkedHashMap<>();
    private Map<FlowKey, FlowRule> upserts = new LinkedHashMap<>();
    private Set<FlowKey> removals = new LinkedHashSet<>();
    /** The oldest generation among changes not yet taken, and among those in flight; NONE when there are none. */
    private long pendingSince = NONE;
    private long inflightSince = NONE;
    /** Whether the switch holds {@link #desired} minus the pending changes. */
    private boolean synced;
    private long offeredRevision;
    private long appliedRevision;
    /** Bumped by {@link #resync()}: a batch taken before it went to a connection that no longer counts. */
    private long session;

    /**
     * What one flow pass sends: either the whole desired set ({@code full}) or only upserts and removals.
     *
     * @param revision     the intent revision the batch brings the switch up to
     * @param desiredCount how many flows the switch holds once the batch is acknowledged
     * @param session      the connection session the batch was taken in
     */
    record Batch(boolean full, List<FlowRule> flows, List<FlowRule> upserts, List<FlowKey> removals, long revision,
                 int desiredCount, long session) {
    }

    /** Records the compiler's change at {@code generation}, computed from intent {@code revision}; may be empty. */
    synchronized void offer(FlowDelta delta, long generation, long revision) {
        offeredRevision = Math.max(offeredRevision, revision);
        if (delta.isEmpty()) {
            if (synced && pendingSince == NONE && inflightSince == NONE) {
                appliedRevision = Math.max(appliedRevision, revision);
            }
            return;
        }
        // A changed flow comes as removed and added under one key: removals first, so the addition wins.
        for (FlowRule r : delta.removed()) {
            if (r.equals(desired.get(r.key()))) {
                desired.remove(r.key());
                upserts.remove(r.key());
                removals.add(r.key());
            }
        }
        for (FlowRule r : delta.added()) {
            desired.put(r.key(), r);
            removals.remove(r.key());
            upserts.put(r.key(), r);
        }
        pendingSince = Math.min(pendingSince, generation);
    }

    /**
     * Replaces the desired flows with a full compile at {@code generation}: how a host starts, so that its ledger
     * never depends on having seen every earlier delta. The next batch sends them all.
     */
    synchronized void baseline(List<FlowRule> flows, long generation, long revision) {
        desired.clear();
        flows.forEach(f -> desired.put(f.key(), f));
        upserts = new LinkedHashMap<>();
        removals = new LinkedHashSet<>();
        synced = false;
        offeredRevision = Math.max(offeredRevision, revision);
        pendingSince = Math.min(pendingSince, generation);
    }

    /** The next batch to send, if there is anything to send; the caller must report it as acknowledged or failed. */
    synchronized Optional<Batch> take() {
        Batch batch;
        if (!synced) {
            batch = new Batch(true, List.copyOf(desired.values()), List.of(), List.of(), offeredRevision,
                    desired.size(), session);
        } else if (upserts.isEmpty() && removals.isEmpty()) {
            return Optional.empty();
        } else {
            batch = new Batch(false, List.of(), List.copyOf(upserts.values()), List.copyOf(removals), offeredRevision,
                    desired.size(), session);
        }
        upserts = new LinkedHashMap<>();
        removals = new LinkedHashSet<>();
        inflightSince = Math.min(inflightSince, pendingSince);
        pendingSince = NONE;
        return Optional.of(batch);
    }

    /** The switch acknowledged {@code batch}. */
    synchronized void acknowledged(Batch batch) {
        if (batch.session() != session) {
            failed(batch);
            return;
        }
        synced = true;
        inflightSince = NONE;
        appliedRevision = Math.max(appliedRevision, batch.revision());
    }

    /** {@code batch} failed or went to a switch connection that is gone: the next batch resends everything. */
    synchronized void failed(Batch batch) {
        synced = false;
        pendingSince = Math.min(pendingSince, inflightSince);
        inflightSince = NONE;
    }

    /** The switch's flows are unknown (a new connection): nothing counts as installed until a full batch is. */
    synchronized void resync() {
        session++;
        synced = false;
        pendingSince = Math.min(pendingSince, 0);
    }

    /** Whether every change offered at or before {@code generation} is acknowledged by the switch. */
    synchronized boolean caughtUpTo(long generation) {
        return Math.min(pendingSince, inflightSince) > generation;
    }

    /** The desired flows, in the order an operator reads a dump: by table, then priority from high to low. */
    synchronized List<FlowRule> desired() {
        return desired.values().stream().sorted(OPERATOR_ORDER).toList();
    }

    synchronized int desiredCount() {
        return desired.size();
    }

    synchronized long appliedRevision() {
        return appliedRevision;
    }
}
