package io.weft.flows;

import static io.weft.flows.Rules.PRIORITY;
import static io.weft.flows.Rules.rule;

import io.weft.model.NetworkSnapshot;
import io.weft.model.TunnelPort;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import io.weft.routing.TunnelPlan;
import java.util.List;
import java.util.OptionalInt;

/** Per host: every bound tunnel port is marked as tunnel origin (with its encapsulation) in the classifier. */
final class HostFlowsCompiler {

    private HostFlowsCompiler() {
    }

    static void addTo(NetworkSnapshot snapshot, String host, List<FlowRule> out) {
        long cookie = Cookies.of(Cookies.Kind.HOST, host);
        for (TunnelPort port : TunnelPlan.forHost(snapshot, host)) {
            OptionalInt ofport = snapshot.ofport(host, port.portName());
            if (ofport.isPresent()) {
                out.add(rule(Pipeline.CLASSIFIER, PRIORITY,
                        Match.builder().exact(Field.IN_PORT, ofport.getAsInt()).build(), cookie,
                        Instruction.writeMetadata(Metadata.tunnelOrigin(port.encapsulation()), Metadata.ORIGIN_MASK),
                        Instruction.gotoTable(Pipeline.TUNNEL_INGRESS.number())));
            }
        }
    }
}
