package io.weft.flows;

import static io.weft.flows.Rules.PRIORITY;
import static io.weft.flows.Rules.rule;

import io.weft.model.Network;
import io.weft.model.flow.Action;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import io.weft.routing.DistributedGateway;
import io.weft.routing.DistributedGateway.GatewayPort;
import java.util.List;

/**
 * Per network present on a host (at least one of its endpoints there): accept its VNI from tunnels of its
 * encapsulation, and answer ARP and echo requests for its gateways.
 */
final class NetworkFlowsCompiler {

    private NetworkFlowsCompiler() {
    }

    static void addTo(Network network, List<FlowRule> out) {
        long cookie = Cookies.of(Cookies.Kind.NETWORK, network.name());
        out.add(rule(Pipeline.TUNNEL_INGRESS, PRIORITY, Match.builder()
                        .masked(Field.METADATA, Metadata.tunnelOrigin(network.encapsulation()), Metadata.ORIGIN_MASK)
                        .exact(Field.TUNNEL_ID, network.vni()).build(), cookie,
                Instruction.writeMetadata(network.vni(), Metadata.VNI_MASK),
                Instruction.gotoTable(Pipeline.L2_FORWARD.number())));
        for (GatewayPort gw : DistributedGateway.ports(network)) {
            out.add(ArpResponder.stageA(network, gw.ip().asLong(), gw.mac().bits(), cookie));
            out.add(rule(Pipeline.L3_GATEWAY, PRIORITY, Match.builder()
                            .masked(Field.METADATA, network.vni(), Metadata.LOCAL_ORIGIN_MASK)
                            .exact(Field.ETH_TYPE, EthType.IPV4)
                            .exact(Field.IPV4_DST, gw.ip().asLong())
                            .exact(Field.IP_PROTO, EthType.IP_PROTO_ICMP)
                            .exact(Field.ICMPV4_TYPE, 8).build(), cookie,
                    Instruction.apply(
                            Action.set(Field.IPV4_SRC, gw.ip().asLong()),
                            Action.set(Field.ICMPV4_TYPE, 0),
                            Action.set(Field.ETH_SRC, gw.mac().bits())),
                    Instruction.gotoTable(Pipeline.ICMP_REPLY.number())));
        }
    }
}
