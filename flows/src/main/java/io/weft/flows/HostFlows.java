package io.weft.flows;

import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import java.util.List;

/**
 * Everything one host's br-int should hold, in a deterministic order (pipeline skeleton, host, then per network
 * its flows and its endpoints' flows). No two flows share a {@link FlowRule#key()}.
 */
public record HostFlows(String host, List<FlowRule> flows, List<GroupRule> groups) {

    public HostFlows {
        flows = List.copyOf(flows);
        groups = List.copyOf(groups);
    }
}
