package io.weft.controller.view;

import io.weft.model.flow.FlowRule;
import java.time.Instant;
import java.util.List;

/**
 * The flows a host's switch held when it was read over OpenFlow, each with what it matched since it was installed.
 * Flows Weft's model cannot express (someone else's) are only counted.
 *
 * @param at           when the read was answered
 * @param foreignFlows how many flows the switch holds that Weft's model cannot express
 */
public record SwitchReading(String host, Instant at, List<CountedFlow> flows, int foreignFlows) {

    public SwitchReading {
        flows = List.copyOf(flows);
    }

    /** A flow as the switch holds it, with the packets and bytes it matched. */
    public record CountedFlow(FlowRule flow, long packets, long bytes) {
    }

    public List<FlowRule> rules() {
        return flows.stream().map(CountedFlow::flow).toList();
    }
}
