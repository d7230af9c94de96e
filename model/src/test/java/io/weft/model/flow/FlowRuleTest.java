package io.weft.model.flow;

import static io.weft.model.flow.Action.output;
import static io.weft.model.flow.Action.set;
import static io.weft.model.flow.Instruction.apply;
import static io.weft.model.flow.Instruction.gotoTable;
import static io.weft.model.flow.Instruction.writeMetadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlowRuleTest {

    @Test
    void equalityIgnoresTheOrderFieldsAndInstructionsWereGivenIn() {
        Match m1 = Match.builder().exact(Field.IN_PORT, 1).exact(Field.ETH_TYPE, EthType.IPV4)
                .exact(Field.IPV4_SRC, 0x0a000002L).build();
        Match m2 = Match.builder().exact(Field.IPV4_SRC, 0x0a000002L).exact(Field.ETH_TYPE, EthType.IPV4)
                .masked(Field.IN_PORT, 1, -1L).build();
        FlowRule a = new FlowRule(0, 100, m1, List.of(gotoTable(10), writeMetadata(7, -1)), 1);
        FlowRule b = new FlowRule(0, 100, m2, List.of(writeMetadata(7, -1), gotoTable(10)), 1);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.key()).isEqualTo(b.key()).hasSameHashCodeAs(b.key());
        assertThat(a).isNotEqualTo(new FlowRule(0, 100, m1, List.of(gotoTable(10), writeMetadata(7, -1)), 2))
                .isNotEqualTo(new FlowRule(0, 101, m1, List.of(gotoTable(10), writeMetadata(7, -1)), 1))
                .isNotEqualTo(new FlowRule(0, 100, m1, List.of(gotoTable(11), writeMetadata(7, -1)), 1))
                .isNotEqualTo(new FlowRule(0, 100, Match.ANY, List.of(gotoTable(10), writeMetadata(7, -1)), 1));
    }

    @Test
    void prerequisitesAreEnforced() {
        assertThatThrownBy(() -> Match.builder().exact(Field.ARP_TPA, 1).build())
                .hasMessageContaining("requires ETH_TYPE=0x806");
        assertThatThrownBy(() -> Match.builder().exact(Field.ETH_TYPE, EthType.IPV4).exact(Field.ICMPV4_TYPE, 8).build())
                .hasMessageContaining("requires IP_PROTO=0x1");
        assertThatThrownBy(() -> new FieldMatch(Field.IPV4_DST, 0x0a000001L, 0xffffff00L))
                .hasMessageContaining("outside mask");
    }

    @Test
    void setFieldPrerequisitesMustBeInTheFlowsOwnMatch() {
        Match inPortOnly = Match.builder().exact(Field.IN_PORT, 4).build();
        assertThatThrownBy(() -> new FlowRule(21, 100, inPortOnly,
                List.of(apply(set(Field.IPV4_DST, 0x0a410a01L), output(Action.PORT_IN_PORT))), 1))
                .hasMessageContaining("needs ETH_TYPE=0x800");
        assertThatThrownBy(() -> new FlowRule(21, 100, inPortOnly,
                List.of(apply(set(Field.ARP_THA, 2), output(Action.PORT_IN_PORT))), 1))
                .hasMessageContaining("needs ETH_TYPE=0x806");
        assertThatThrownBy(() -> new FlowRule(21, 100, inPortOnly, List.of(apply(new Action.DecNwTtl())), 1))
                .hasMessageContaining("needs ETH_TYPE=0x800");
        // With the prerequisite in its own match the same rule is accepted, as given.
        Match ipFromPort = Match.builder().exact(Field.IN_PORT, 4).exact(Field.ETH_TYPE, EthType.IPV4).build();
        assertThat(new FlowRule(21, 100, ipFromPort,
                List.of(apply(set(Field.IPV4_DST, 0x0a410a01L), output(Action.PORT_IN_PORT))), 1))
                .hasToString("cookie=0x1, table=21, priority=100,in_port=4,dl_type=0x800"
                        + " actions=set_field:10.65.10.1->ip_dst,IN_PORT");
    }

    @Test
    void rendersLikeOvsOfctl() {
        long cookie = Cookies.of(Cookies.Kind.ENDPOINT, "red/c1");
        FlowRule r = new FlowRule(40, 100,
                Match.builder().exact(Field.METADATA, 256).exact(Field.ETH_DST, 0x02420a410a03L).build(),
                List.of(apply(set(Field.TUNNEL_ID, 256), output(3))), cookie);
        assertThat(r.toString()).isEqualTo("cookie=0x" + Long.toHexString(cookie)
                + ", table=40, priority=100,metadata=0x100,dl_dst=02:42:0a:41:0a:03"
                + " actions=set_field:0x100->tun_id,output:3");
    }

    @Test
    void aDumpedFlowComparesEqualToItsRenderingWhateverOvsAbbreviates() {
        FlowRule r = new FlowRule(20, 100, Match.builder().exact(Field.ETH_TYPE, EthType.IPV4)
                .exact(Field.IP_PROTO, EthType.IP_PROTO_ICMP).masked(Field.IPV4_DST, 0x0a010100L, 0xffffff00L)
                .exact(Field.METADATA, 1).build(), List.of(apply(), gotoTable(30)), 0x5746L << 48);
        String dumped = " cookie=0x5746000000000000, duration=2.1s, table=20, n_packets=3, n_bytes=294, "
                + "priority=100,icmp,metadata=0x1,nw_dst=10.1.1.0/24 actions=goto_table:30";
        assertThat(OfctlFormat.comparable(dumped)).isEqualTo(OfctlFormat.comparable(OfctlFormat.flow(r)));
        assertThat(OfctlFormat.comparable(dumped.replace("nw_dst=10.1.1.0/24", "nw_dst=10.1.2.0/24")))
                .isNotEqualTo(OfctlFormat.comparable(OfctlFormat.flow(r)));
        assertThatThrownBy(() -> OfctlFormat.comparable("OFPST_FLOW reply (OF1.3)")).hasMessageContaining("actions=");
    }

    @Test
    void cookiesNameTheirOwnerStably() {
        long c = Cookies.of(Cookies.Kind.ENDPOINT, "red/c1");
        assertThat(Cookies.isWeft(c)).isTrue();
        assertThat(Cookies.kind(c)).isEqualTo(Cookies.Kind.ENDPOINT);
        assertThat(c).isEqualTo(Cookies.of(Cookies.Kind.ENDPOINT, "red/c1"))
                .isNotEqualTo(Cookies.of(Cookies.Kind.ENDPOINT, "green/c1"));
        assertThat(Cookies.isWeft(0x1234L)).isFalse();
    }
}
