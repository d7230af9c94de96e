package io.weft.flows;

import static io.weft.flows.Rules.MISS;
import static io.weft.flows.Rules.rule;

import io.weft.model.flow.Cookies;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.List;

/**
 * The flows identical on every host: the table-miss flows (drop, except l3_gateway which hands over to l2_forward),
 * and the punt of DNS queries to the controller ({@link NameQueries}).
 */
final class SkeletonFlows {

    static final long COOKIE = Cookies.PIPELINE;

    static final List<FlowRule> FLOWS = java.util.stream.Stream.concat(java.util.stream.Stream.of(
            rule(Pipeline.CLASSIFIER, MISS, Match.ANY, COOKIE),
            rule(Pipeline.TUNNEL_INGRESS, MISS, Match.ANY, COOKIE),
            rule(Pipeline.ARP_RESPONDER, MISS, Match.ANY, COOKIE),
            rule(Pipeline.ARP_REPLY, MISS, Match.ANY, COOKIE),
            rule(Pipeline.L3_GATEWAY, MISS, Match.ANY, COOKIE,
                    Instruction.gotoTable(Pipeline.L2_FORWARD.number())),
            rule(Pipeline.ICMP_REPLY, MISS, Match.ANY, COOKIE),
            rule(Pipeline.L2_FORWARD, MISS, Match.ANY, COOKIE)), NameQueries.FLOWS.stream()).toList();

    private SkeletonFlows() {
    }
}
