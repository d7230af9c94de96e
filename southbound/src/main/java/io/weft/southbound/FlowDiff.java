package io.weft.southbound;

import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one diff of desired flows against what a switch holds, as a pure function. Flows are identified by
 * {@link FlowKey} (table, priority, match: a switch keeps one flow per key), so a changed flow is one modify, never a
 * delete and an add. Deletes come first: with pipelined messages, no packet meets a half-old, half-new table where
 * an old flow shadows a new one of lower priority.
 */
public final class FlowDiff {

    private FlowDiff() {
    }

    /** Everything: every desired and every installed key, and every foreign flow. */
    public static List<FlowMod> full(Map<FlowKey, FlowRule> desired, Map<FlowKey, FlowRule> installed,
                                   Collection<ForeignFlow> foreign) {
        List<FlowMod> deletes = new ArrayList<>(foreign.size());
        foreign.forEach(f -> deletes.add(new FlowMod.DeleteForeign(f)));
        List<FlowMod> upserts = new ArrayList<>();
        int kept = 0;
        for (FlowRule want : desired.values()) {
            FlowRule have = installed.get(want.key());
            if (have != null) {
                kept++;
            }
            upsert(want, have, upserts);
        }
        if (kept < installed.size()) { // some installed key is not desired: only then scan for it
            for (FlowRule have : installed.values()) {
                if (!desired.containsKey(have.key())) {
                    deletes.add(new FlowMod.DeleteFlow(have));
                }
            }
        }
        deletes.addAll(upserts);
        return deletes;
    }

    /** Only the flows under {@code keys}: the incremental form, for a few changed keys on a large table. */
    public static List<FlowMod> under(Map<FlowKey, FlowRule> desired, Map<FlowKey, FlowRule> installed,
                                   Collection<FlowKey> keys) {
        List<FlowMod> deletes = new ArrayList<>();
        List<FlowMod> upserts = new ArrayList<>();
        for (FlowKey k : keys) {
            FlowRule want = desired.get(k);
            FlowRule have = installed.get(k);
            if (want != null) {
                upsert(want, have, upserts);
            } else if (have != null) {
                deletes.add(new FlowMod.DeleteFlow(have));
            }
        }
        deletes.addAll(upserts);
        return deletes;
    }

    private static void upsert(FlowRule want, FlowRule have, List<FlowMod> out) {
        if (have == null) {
            out.add(new FlowMod.AddFlow(want));
        } else if (have != want && !have.equals(want)) {
            out.add(new FlowMod.ModifyFlow(have, want));
        }
    }
}
