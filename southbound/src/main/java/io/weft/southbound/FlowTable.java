package io.weft.southbound;

import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a switch's flow tables hold, read with a flow-stats request.
 *
 * @param flows    the flows the model can express, in canonical form (comparable with desired rules)
 * @param foreign  the others
 * @param counters what each of {@code flows} matched since it was installed, by its key (a flow absent here has no
 *                 counters, e.g. in a table built by a test)
 */
public record FlowTable(List<FlowRule> flows, List<ForeignFlow> foreign, Map<FlowKey, Counters> counters) {

    /** Packets and bytes a flow matched, as the switch counts them. */
    public record Counters(long packets, long bytes) {
        public static final Counters NONE = new Counters(0, 0);
    }

    /** A table without counters. */
    public FlowTable(List<FlowRule> flows, List<ForeignFlow> foreign) {
        this(flows, foreign, Map.of());
    }

    public FlowTable {
        flows = List.copyOf(flows);
        foreign = List.copyOf(foreign);
        counters = Map.copyOf(counters);
    }

    /** The flows by key (a switch holds one flow per key). */
    public Map<FlowKey, FlowRule> byKey() {
        Map<FlowKey, FlowRule> byKey = new HashMap<>(flows.size() * 2);
        flows.forEach(f -> byKey.put(f.key(), f));
        return byKey;
    }

    /** What {@code flow} matched, or {@link Counters#NONE} when the read had no counters for it. */
    public Counters countersOf(FlowRule flow) {
        return counters.getOrDefault(flow.key(), Counters.NONE);
    }
}
