package io.weft.southbound;

import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a switch's flow tables hold, read with a flow-stats request.
 *
 * @param flows   the flows the model can express, in canonical form (comparable with desired rules)
 * @param foreign the others
 */
public record FlowTable(List<FlowRule> flows, List<ForeignFlow> foreign) {

    public FlowTable {
        flows = List.copyOf(flows);
        foreign = List.copyOf(foreign);
    }

    /** The flows by key (a switch holds one flow per key). */
    public Map<FlowKey, FlowRule> byKey() {
        Map<FlowKey, FlowRule> byKey = new HashMap<>(flows.size() * 2);
        flows.forEach(f -> byKey.put(f.key(), f));
        return byKey;
    }
}
