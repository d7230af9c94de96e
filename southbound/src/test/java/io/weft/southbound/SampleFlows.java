package io.weft.southbound;

import static io.weft.model.flow.Action.output;
import static io.weft.model.flow.Action.set;
import static io.weft.model.flow.Instruction.apply;
import static io.weft.model.flow.Instruction.gotoTable;
import static io.weft.model.flow.Instruction.writeMetadata;

import io.weft.model.flow.Action;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Match;
import java.util.ArrayList;
import java.util.List;

/** A pipeline-shaped flow set that uses every field, action and instruction kind the model has. */
final class SampleFlows {

    private SampleFlows() {
    }

    /** {@code endpoints} endpoints' worth of flows (7 per endpoint) plus the pipeline skeleton. */
    static List<FlowRule> flows(int endpoints) {
        long pipe = Cookies.of(Cookies.Kind.PIPELINE, "pipeline");
        List<FlowRule> out = new ArrayList<>();
        out.add(new FlowRule(0, 0, Match.ANY, List.of(), pipe));
        out.add(new FlowRule(10, 0, Match.ANY, List.of(gotoTable(20)), pipe));
        out.add(new FlowRule(20, 0, Match.ANY, List.of(apply(Action.output(Action.PORT_CONTROLLER))), pipe));
        out.add(new FlowRule(20, 5, Match.builder().exact(Field.ETH_DST, 0xffffffffffffL).build(),
                List.of(apply(output(1), output(2))), pipe));
        out.add(new FlowRule(20, 6, Match.builder().masked(Field.ETH_DST, 0x010000000000L, 0x010000000000L).build(),
                List.of(apply(output(Action.PORT_IN_PORT))), pipe));
        for (int i = 0; i < endpoints; i++) {
            long cookie = Cookies.of(Cookies.Kind.ENDPOINT, "net/ep" + i);
            long mac = 0x024200000000L | i;
            long ip = 0x0a000000L | i;
            long port = 10 + (i % 60000);
            long vni = 100 + (i % 1000);
            out.add(new FlowRule(0, 100, Match.builder().exact(Field.IN_PORT, port).exact(Field.ETH_SRC, mac).build(),
                    List.of(writeMetadata(vni, 0xffffffffL), gotoTable(10)), cookie));
            out.add(new FlowRule(10, 100, Match.builder().exact(Field.METADATA, vni).exact(Field.ETH_TYPE, EthType.ARP)
                    .exact(Field.ARP_OP, EthType.ARP_REQUEST).exact(Field.ARP_TPA, ip).build(),
                    List.of(apply(set(Field.ETH_DST, mac), set(Field.ARP_THA, mac), set(Field.ARP_SHA, mac),
                            set(Field.ARP_SPA, ip), set(Field.ARP_TPA, ip), set(Field.ARP_OP, 2),
                            output(Action.PORT_IN_PORT))), cookie));
            out.add(new FlowRule(20, 100, Match.builder().exact(Field.METADATA, vni).exact(Field.ETH_DST, mac).build(),
                    List.of(apply(output(port))), cookie));
            out.add(new FlowRule(30, 100, Match.builder().exact(Field.TUNNEL_ID, vni).exact(Field.ETH_TYPE, EthType.IPV4)
                    .exact(Field.IPV4_DST, ip).build(),
                    List.of(apply(set(Field.ETH_SRC, 0x02420a000001L), set(Field.ETH_DST, mac), new Action.DecNwTtl(),
                            output(port))), cookie));
            out.add(new FlowRule(30, 90, Match.builder().exact(Field.ETH_TYPE, EthType.IPV4)
                    .masked(Field.IPV4_SRC, ip & 0xffffff00L, 0xffffff00L).exact(Field.IP_PROTO, 1)
                    .exact(Field.ICMPV4_TYPE, 8).exact(Field.ICMPV4_CODE, 0).exact(Field.IN_PORT, port).build(),
                    List.of(apply(set(Field.IPV4_SRC, ip), set(Field.IPV4_DST, ip), set(Field.TUNNEL_ID, vni),
                            set(Field.ICMPV4_TYPE, 0), output(1))), cookie));
            out.add(new FlowRule(40, 100, Match.builder().masked(Field.METADATA, vni << 32, 0xffffffff00000000L)
                    .exact(Field.ETH_TYPE, EthType.ARP).exact(Field.ARP_SPA, ip).exact(Field.ARP_SHA, mac)
                    .exact(Field.ARP_THA, 0).build(), List.of(apply(output(port))), cookie));
            out.add(new FlowRule(40, 110, Match.builder().exact(Field.IN_PORT, port).exact(Field.ETH_TYPE, EthType.IPV4)
                    .masked(Field.IPV4_DST, ip, 0xffffffffL).build(), List.of(), cookie));
        }
        return out;
    }
}
