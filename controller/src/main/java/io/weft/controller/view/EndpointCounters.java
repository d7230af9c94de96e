package io.weft.controller.view;

import io.weft.flows.Pipeline;
import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import java.time.Instant;

/**
 * An endpoint's traffic, from the counters of the flows on its host's switch.
 *
 * <p>tx counts what the container sent that entered the pipeline: its port-security flows in the classifier (those
 * matching {@code in_port} = its port; a spoofed packet hits the table-miss flow and is not counted). rx counts what
 * was delivered to it: every flow that outputs to its port, that is its delivery flows in {@code l2_forward} (from
 * local endpoints and from tunnels) and the replies the datapath sends back to it ({@code arp_reply},
 * {@code icmp_reply}: output {@code IN_PORT} with {@code in_port} = its port).
 *
 * @param at when the switch was read
 */
public record EndpointCounters(long txPackets, long txBytes, long rxPackets, long rxBytes, Instant at) {

    /** From a read of the endpoint's host; {@code ofport} is its port's number on that host's br-int. */
    public static EndpointCounters of(long ofport, SwitchReading reading) {
        long txPackets = 0;
        long txBytes = 0;
        long rxPackets = 0;
        long rxBytes = 0;
        for (SwitchReading.CountedFlow c : reading.flows()) {
            FlowRule f = c.flow();
            boolean fromPort = f.match().get(Field.IN_PORT).filter(m -> m.value() == ofport).isPresent();
            if (fromPort && f.tableId() == Pipeline.CLASSIFIER.number()) {
                txPackets += c.packets();
                txBytes += c.bytes();
            } else if (outputsTo(f, ofport, fromPort)) {
                rxPackets += c.packets();
                rxBytes += c.bytes();
            }
        }
        return new EndpointCounters(txPackets, txBytes, rxPackets, rxBytes, reading.at());
    }

    private static boolean outputsTo(FlowRule f, long ofport, boolean fromPort) {
        for (Instruction i : f.instructions()) {
            if (i instanceof Instruction.ApplyActions a) {
                for (Action action : a.actions()) {
                    if (action instanceof Action.Output o
                            && (o.port() == ofport || (o.port() == Action.PORT_IN_PORT && fromPort))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
