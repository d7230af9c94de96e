package io.weft.flows;

import io.weft.model.flow.FlowRule;
import java.util.List;

/**
 * Everything one host's br-int should hold, in a deterministic order (pipeline skeleton, host, then per network
 * its flows and its endpoints' flows). No two flows share a {@link FlowRule#key()}.
 */
public record HostFlows(String host, List<FlowRule> flows) {

    public HostFlows {
        flows = List.copyOf(flows);
    }
}
