package io.weft.southbound;

import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Match;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything known about one switch's flow table, in one place: the flows it should hold (desired), the flows it
 * holds as far as it acknowledged them (installed), and the batch on its way.
 *
 * <p>Installed is kept as its differences from desired: a switch in step costs no second copy of its table, and the
 * differences are exactly what is left to send. {@link FlowDiff} is the one comparison: of a table read against
 * desired, and of the differing keys when a batch is made.
 *
 * <p>Changes carry the generation of the fabric compile that made them, so that "the switch holds everything up to
 * generation G" ({@link #caughtUpTo}) is a question with an answer. Pure and not thread-safe: its owner (one
 * reconciler thread) drives it and does the I/O.
 */
public final class SwitchFlows {

    private static final long NONE = -1;
    /** In {@link #differences}: the switch lacks the desired flow of that key. */
    private static final FlowRule ABSENT = new FlowRule(0, 0, Match.ANY, List.of(), 0);

    private final FlowsByKey desired = new FlowsByKey();
    /** Installed where it is not desired: the installed flow of the key, or {@link #ABSENT}. */
    private final Map<FlowKey, FlowRule> differences = new LinkedHashMap<>();
    private final Map<FlowKey, FlowRule> installed = new InstalledView();
    private final List<ForeignFlow> foreign = new ArrayList<>();
    /** Installed is not known: nothing is sent until the table has been read ({@link #loaded}). */
    private boolean unread = true;
    private Batch inFlight;
    private long ackedThrough = NONE;
    /**
     * {@link #expectedCounts}, kept while installed and foreign flows stay as they are: an idle switch is audited
     * every few seconds, and counting a large table each time would cost more than the audit's read.
     */
    private Map<Integer, Long> counts;
    /**
     * How many more flows the switch holds than desired has: +1 per extra flow, -1 per missing one (so the
     * installed count, read after every reconciler step, needs no walk over the differences).
     */
    private int installedMinusDesired;
    /** Desired flows by table id: {@link #expectedCounts} walks only the differences. */
    private final int[] desiredPerTable = new int[256];

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
        // One probe of the desired table per rule: every host looks up the same shared rules in its own table.
        for (FlowRule r : removed) {
            FlowRule before = desired.removeEqual(r);
            if (before != null) {
                desiredChanged(r.key(), before, null);
            }
        }
        for (FlowRule r : added) {
            FlowRule before = desired.put(r);
            if (before != r && !r.equals(before)) {
                desiredChanged(r.key(), before, r);
            }
        }
    }

    /** The whole desired set at {@code generation} (a host's first compile). */
    public void replace(Collection<FlowRule> flows, long generation) {
        Map<FlowKey, FlowRule> next = new HashMap<>();
        flows.forEach(f -> next.put(f.key(), f));
        for (FlowKey k : List.copyOf(desired.keySet())) {
            if (!next.containsKey(k)) {
                setDesired(k, null);
            }
        }
        next.forEach(this::setDesired);
    }

    /** Changes what {@code key} should hold, keeping what the switch holds under it as it was. */
    private void setDesired(FlowKey key, FlowRule want) {
        FlowRule before = want == null ? desired.remove(key) : desired.put(want);
        if (want != before && (want == null || !want.equals(before))) {
            desiredChanged(key, before, want);
        }
    }

    /**
     * Desired under {@code key} has just changed from {@code before} to {@code want} (either may be null, not both
     * and not equal): the per-table counts and the difference from what the switch holds follow.
     */
    private void desiredChanged(FlowKey key, FlowRule before, FlowRule want) {
        if (want == null) {
            desiredPerTable[key.tableId()]--;
        } else if (before == null) {
            desiredPerTable[key.tableId()]++;
        }
        FlowRule difference = differences.get(key);
        FlowRule have = difference == null ? before : difference == ABSENT ? null : difference;
        setDifference(key, difference, before != null, have, want);
    }

    /** Records that the switch holds {@code have} (null: nothing) under {@code key}. */
    private void recordInstalled(FlowKey key, FlowRule have) {
        FlowRule want = desired.get(key);
        setDifference(key, differences.get(key), want != null, have, want);
    }

    /** @param was the difference recorded under {@code key} so far, when desired {@code wasDesired} it or not */
    private void setDifference(FlowKey key, FlowRule was, boolean wasDesired, FlowRule have, FlowRule want) {
        installedMinusDesired -= offset(was, wasDesired);
        FlowRule now = have == null ? want == null ? null : ABSENT : have.equals(want) ? null : have;
        if (now == null) {
            if (was != null) {
                differences.remove(key);
            }
        } else {
            differences.put(key, now);
        }
        installedMinusDesired += offset(now, want != null);
    }

    /** What one recorded difference adds to the installed count over the desired count. */
    private static int offset(FlowRule difference, boolean desired) {
        return difference == null ? 0 : difference == ABSENT ? -1 : desired ? 0 : 1;
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
        Map<FlowKey, FlowRule> read = table.byKey();
        differences.clear();
        installedMinusDesired = 0;
        for (FlowMod m : FlowDiff.full(desired, read, List.of())) {
            if (m instanceof FlowMod.AddFlow a) {
                differences.put(a.rule().key(), ABSENT);
            } else if (m instanceof FlowMod.ModifyFlow mod) {
                differences.put(mod.rule().key(), mod.old());
            } else if (m instanceof FlowMod.DeleteFlow d) {
                differences.put(d.rule().key(), d.rule());
            }
        }
        differences.forEach((k, d) -> installedMinusDesired += offset(d, desired.containsKey(k)));
        foreign.clear();
        foreign.addAll(table.foreign());
        unread = false;
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
        Map<FlowKey, FlowRule> read = table.byKey();
        int missing = 0;
        int changed = 0;
        for (FlowMod m : FlowDiff.full(installed, read, List.of())) {
            if (m instanceof FlowMod.AddFlow) {
                missing++;
            } else if (m instanceof FlowMod.ModifyFlow) {
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
            // Desired per table, corrected by what the switch holds otherwise: a walk of the differences only.
            long[] perTable = new long[desiredPerTable.length];
            for (int t = 0; t < perTable.length; t++) {
                perTable[t] = desiredPerTable[t];
            }
            differences.forEach((k, d) -> perTable[k.tableId()] += offset(d, desired.containsKey(k)));
            foreign.forEach(f -> perTable[f.tableId()]++);
            Map<Integer, Long> c = new TreeMap<>();
            for (int t = 0; t < perTable.length; t++) {
                if (perTable[t] != 0) {
                    c.put(t, perTable[t]);
                }
            }
            counts = Collections.unmodifiableMap(c);
        }
        return counts;
    }

    /** What the switch holds as far as it acknowledged (a view: computed from desired and the differences). */
    public Collection<FlowRule> installed() {
        return installed.values();
    }

    /** How many flows of Weft's the switch holds as far as it acknowledged. */
    public int installedCount() {
        return desired.size() + installedMinusDesired;
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
        List<FlowMod> mods = new ArrayList<>(foreign.size() + differences.size());
        foreign.forEach(f -> mods.add(new FlowMod.DeleteForeign(f)));
        mods.addAll(FlowDiff.under(desired, installed, differences.keySet()));
        if (mods.isEmpty()) {
            ackedThrough = Math.max(ackedThrough, generation);
            return Optional.empty();
        }
        inFlight = new Batch(List.copyOf(mods), generation);
        return Optional.of(inFlight);
    }

    public boolean sending() {
        return inFlight != null;
    }

    /**
     * The switch acknowledged {@code batch}: it now holds what the batch made it hold.
     *
     * @return false if the batch is not the one in flight (sent on a connection replaced since, which was read
     *         afresh): it counts for nothing
     */
    public boolean acknowledged(Batch batch) {
        if (batch != inFlight) {
            return false;
        }
        inFlight = null;
        counts = null;
        for (FlowMod m : batch.mods()) {
            if (m instanceof FlowMod.AddFlow a) {
                recordInstalled(a.rule().key(), a.rule());
            } else if (m instanceof FlowMod.ModifyFlow mod) {
                recordInstalled(mod.rule().key(), mod.rule());
            } else if (m instanceof FlowMod.DeleteFlow d) {
                recordInstalled(d.rule().key(), null);
            } else if (m instanceof FlowMod.DeleteForeign d) {
                foreign.remove(d.flow());
            }
        }
        ackedThrough = Math.max(ackedThrough, batch.generation());
        return true;
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
        // Or nothing differs: the switch holds all of desired, which has every change offered so far.
        return ackedThrough >= generation || inStep();
    }

    /** Whether nothing is left to send or waiting for acknowledgement. */
    public boolean inStep() {
        return !unread && inFlight == null && differences.isEmpty() && foreign.isEmpty();
    }

    /** Installed, as a map: desired where no difference is recorded, else the difference. */
    private final class InstalledView extends AbstractMap<FlowKey, FlowRule> {

        @Override
        public FlowRule get(Object key) {
            FlowRule d = differences.get(key);
            if (d != null) {
                return d == ABSENT ? null : d;
            }
            return desired.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public int size() {
            int size = desired.size();
            for (Map.Entry<FlowKey, FlowRule> e : differences.entrySet()) {
                boolean isDesired = desired.containsKey(e.getKey());
                if (e.getValue() == ABSENT) {
                    size--;
                } else if (!isDesired) {
                    size++;
                }
            }
            return size;
        }

        @Override
        public Set<Map.Entry<FlowKey, FlowRule>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<FlowKey, FlowRule>> iterator() {
                    List<Map.Entry<FlowKey, FlowRule>> entries = new ArrayList<>(desired.size());
                    for (FlowRule want : desired.values()) {
                        FlowKey k = want.key();
                        FlowRule d = differences.isEmpty() ? null : differences.get(k);
                        if (d != ABSENT) {
                            entries.add(Map.entry(k, d == null ? want : d));
                        }
                    }
                    differences.forEach((k, v) -> {
                        if (v != ABSENT && !desired.containsKey(k)) {
                            entries.add(Map.entry(k, v));
                        }
                    });
                    return entries.iterator();
                }

                @Override
                public int size() {
                    return InstalledView.this.size();
                }
            };
        }
    }
}
