package io.weft.southbound;

import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything known about one switch's flow table, in one place: the flows it should hold (desired), the flows it
 * holds as far as it acknowledged them (installed), and the batch on its way. The diff between desired and installed
 * is the only one ({@link FlowDiff}); while the switch is in step it runs only over the keys that changed since the
 * last batch, so one container costs a few keys, not a pass over the table.
 *
 * <p>Changes carry the generation of the fabric compile that made them, so that "the switch holds everything up to
 * generation G" ({@link #caughtUpTo}) is a question with an answer. Pure and not thread-safe: its owner (one
 * reconciler thread) drives it and does the I/O.
 */
public final class SwitchFlows {

    private static final long NONE = -1;

    private final Map<FlowKey, FlowRule> desired = new HashMap<>();
    private final Map<FlowKey, FlowRule> installed = new HashMap<>();
    private final List<ForeignFlow> foreign = new ArrayList<>();
    private final Set<FlowKey> dirty = new LinkedHashSet<>();
    /** Installed is not known: nothing is sent until the table has been read ({@link #loaded}). */
    private boolean unread = true;
    /** Every key must be compared, not just the dirty ones (after a read, or after a batch failed). */
    private boolean everything = true;
    private Batch inFlight;
    private long lastChange = NONE;
    private long ackedThrough = NONE;
    /**
     * {@link #expectedCounts}, kept while installed and foreign flows stay as they are: an idle switch is audited
     * every few seconds, and counting a large table each time would cost more than the audit's read.
     */
    private Map<Integer, Long> counts;

    /**
     * The flow-mods of one send.
     *
     * @param generation every change offered up to this generation is in it (or was already acknowledged)
     */
    public record Batch(List<FlowMod> mods, long generation) {
    }

    /**
     * What a read of the switch found that was not as acknowledged: flows missing, extra (Weft's or foreign) or
     * different. Someone other than Weft changed the table.
     */
    public record Drift(int missing, int extra, int changed) {
        public static final Drift NONE = new Drift(0, 0, 0);

        public boolean isEmpty() {
            return missing == 0 && extra == 0 && changed == 0;
        }

        @Override
        public String toString() {
            return missing + " missing, " + extra + " extra, " + changed + " different";
        }
    }

    // ---- what the switch should hold

    /** A change of the desired flows at {@code generation}: removals first, so a changed flow's addition wins. */
    public void offer(Collection<FlowRule> removed, Collection<FlowRule> added, long generation) {
        boolean changed = false;
        for (FlowRule r : removed) {
            if (desired.remove(r.key(), r)) {
                dirty.add(r.key());
                changed = true;
            }
        }
        for (FlowRule r : added) {
            FlowRule before = desired.put(r.key(), r);
            if (!r.equals(before)) {
                dirty.add(r.key());
                changed = true;
            }
        }
        if (changed) {
            lastChange = generation;
        }
    }

    /** The whole desired set at {@code generation} (a host's first compile): compared in full at the next batch. */
    public void replace(Collection<FlowRule> flows, long generation) {
        desired.clear();
        flows.forEach(f -> desired.put(f.key(), f));
        everything = true;
        dirty.clear();
        lastChange = generation;
    }

    public Collection<FlowRule> desired() {
        return desired.values();
    }

    // ---- what the switch holds

    /**
     * The switch's table as just read (after a (re)connection, a failure or drift): everything is compared against
     * it, and nothing counts as held until that comparison is done and its batch acknowledged.
     */
    public void loaded(FlowTable table) {
        ackedThrough = NONE;
        counts = null;
        installed.clear();
        table.flows().forEach(f -> installed.put(f.key(), f));
        foreign.clear();
        foreign.addAll(table.foreign());
        unread = false;
        everything = true;
        dirty.clear();
    }

    /** A new connection: what the switch holds must be read again before anything is sent. */
    public void reconnected() {
        unread = true;
        inFlight = null;
    }

    public boolean needsRead() {
        return unread;
    }

    /**
     * Compares a read of the switch, taken while nothing was in flight, with what it acknowledged. Anything
     * different is drift: the read becomes what the switch holds and the next batch repairs it.
     */
    public Drift audit(FlowTable table) {
        if (inFlight != null || unread) {
            return Drift.NONE;
        }
        Map<FlowKey, FlowRule> read = new HashMap<>();
        table.flows().forEach(f -> read.put(f.key(), f));
        int missing = 0;
        int changed = 0;
        for (FlowRule have : installed.values()) {
            FlowRule now = read.get(have.key());
            if (now == null) {
                missing++;
            } else if (!now.equals(have)) {
                changed++;
            }
        }
        int extra = table.foreign().size();
        for (FlowKey k : read.keySet()) {
            if (!installed.containsKey(k)) {
                extra++;
            }
        }
        Drift drift = new Drift(missing, extra, changed);
        if (!drift.isEmpty()) {
            loaded(table);
        }
        return drift;
    }

    /** Flows per table the switch should report now: what it acknowledged, foreign flows included. */
    public Map<Integer, Long> expectedCounts() {
        if (counts == null) {
            Map<Integer, Long> c = new TreeMap<>();
            installed.keySet().forEach(k -> c.merge(k.tableId(), 1L, Long::sum));
            foreign.forEach(f -> c.merge(f.tableId(), 1L, Long::sum));
            counts = Collections.unmodifiableMap(c);
        }
        return counts;
    }

    public Collection<FlowRule> installed() {
        return installed.values();
    }

    // ---- batches

    /**
     * The next batch to send, computed at {@code generation}; empty when a batch is in flight, the table is unread,
     * or nothing differs (then the switch is in step through {@code generation}). The caller sends it and reports
     * {@link #acknowledged} or {@link #failed}.
     */
    public Optional<Batch> next(long generation) {
        if (inFlight != null || unread) {
            return Optional.empty();
        }
        List<FlowMod> mods = everything ? FlowDiff.full(desired, installed, foreign)
                : FlowDiff.under(desired, installed, dirty);
        everything = false;
        dirty.clear();
        if (mods.isEmpty()) {
            ackedThrough = Math.max(ackedThrough, generation);
            return Optional.empty();
        }
        inFlight = new Batch(mods, generation);
        return Optional.of(inFlight);
    }

    public boolean sending() {
        return inFlight != null;
    }

    /** The switch acknowledged {@code batch}: it now holds what the batch made it hold. */
    public void acknowledged(Batch batch) {
        if (batch != inFlight) {
            return; // sent on a connection that has been replaced since; the new one was read afresh
        }
        inFlight = null;
        counts = null;
        for (FlowMod m : batch.mods()) {
            if (m instanceof FlowMod.AddFlow a) {
                installed.put(a.rule().key(), a.rule());
            } else if (m instanceof FlowMod.ModifyFlow mod) {
                installed.put(mod.rule().key(), mod.rule());
            } else if (m instanceof FlowMod.DeleteFlow d) {
                installed.remove(d.rule().key());
            } else if (m instanceof FlowMod.DeleteForeign d) {
                foreign.remove(d.flow());
            }
        }
        ackedThrough = Math.max(ackedThrough, batch.generation());
    }

    /** {@code batch} failed: part of it may be on the switch (OpenFlow 1.3), so the table is read again. */
    public void failed(Batch batch) {
        if (batch != inFlight) {
            return;
        }
        inFlight = null;
        unread = true;
    }

    // ---- progress

    /** Whether the switch holds every change offered at or before {@code generation}. */
    public boolean caughtUpTo(long generation) {
        if (ackedThrough >= generation) {
            return true;
        }
        // Nothing changed since the last acknowledged batch: the switch holds the newer desired state already.
        return !unread && inFlight == null && dirty.isEmpty() && !everything && lastChange <= ackedThrough;
    }

    /** Whether nothing is left to send or waiting for acknowledgement. */
    public boolean inStep() {
        return !unread && inFlight == null && dirty.isEmpty() && !everything;
    }
}
