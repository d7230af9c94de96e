package io.weft.flows;

import static io.weft.flows.Rules.PRIORITY;
import static io.weft.flows.Rules.rule;

import io.weft.model.Network;
import io.weft.model.flow.Action;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;

/**
 * The two halves of a datapath ARP reply. OpenFlow 1.3 cannot copy the requester's addresses into the reply, but
 * port security pins each endpoint port to one MAC and IP, so stage B knows them from {@code in_port}.
 */
final class ArpResponder {

    /** The same action in every endpoint's stage A. */
    private static final Action TO_REPLY = Action.set(Field.ARP_OP, EthType.ARP_REPLY);

    private ArpResponder() {
    }

    /** Stage A: a request for {@code ip} becomes a reply from ({@code mac}, {@code ip}). */
    static FlowRule stageA(Network network, long ip, long mac, long cookie) {
        return rule(Pipeline.ARP_RESPONDER, PRIORITY, Match.builder()
                        .masked(Field.METADATA, network.vni(), Metadata.LOCAL_ORIGIN_MASK)
                        .exact(Field.ETH_TYPE, EthType.ARP)
                        .exact(Field.ARP_OP, EthType.ARP_REQUEST)
                        .exact(Field.ARP_TPA, ip).build(), cookie,
                Instruction.apply(
                        Action.set(Field.ETH_SRC, mac),
                        TO_REPLY,
                        Action.set(Field.ARP_SHA, mac),
                        Action.set(Field.ARP_SPA, ip)),
                Instruction.gotoTable(Pipeline.ARP_REPLY.number()));
    }
}
