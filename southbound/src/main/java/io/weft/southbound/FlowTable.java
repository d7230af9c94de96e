package io.weft.southbound;

import io.weft.model.flow.FlowRule;
import java.util.List;

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
}
