package io.weft.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.Action;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private static FlowRule flow(String table, Match match, Instruction... instructions) {
        return new FlowRule(Pipeline.table(table).number(), 100, match, List.of(instructions), 1);
    }

    @Test
    void aFlowThatBreaksItsTableIsRejected() {
        Match byPort = Match.builder().exact(Field.IN_PORT, 1).build();
        assertThatThrownBy(() -> Pipeline.validate(flow("l2_forward", byPort, Instruction.apply(Action.output(2)))))
                .isInstanceOf(InvalidFlowException.class).hasMessageContaining("l2_forward may not match IN_PORT");
        assertThatThrownBy(() -> Pipeline.validate(flow("l2_forward", Match.ANY,
                Instruction.gotoTable(Pipeline.table("arp_responder").number()))))
                .hasMessageContaining("may not goto");
        assertThatThrownBy(() -> Pipeline.validate(flow("classifier", byPort,
                Instruction.gotoTable(Pipeline.table("l2_forward").number()))))
                .as("the classifier must not skip port security's tables").hasMessageContaining("may not goto");
        assertThatThrownBy(() -> Pipeline.validate(flow("arp_responder", Match.ANY,
                Instruction.apply(Action.set(Field.TUNNEL_ID, 5)))))
                .hasMessageContaining("may not set TUNNEL_ID");
        assertThatThrownBy(() -> Pipeline.validate(flow("arp_responder", Match.ANY,
                Instruction.apply(Action.output(Action.PORT_IN_PORT)))))
                .hasMessageContaining("may not output");
        assertThatThrownBy(() -> Pipeline.validate(flow("classifier", byPort, Instruction.writeMetadata(1L << 40, 1L << 40))))
                .hasMessageContaining("outside Weft's bits");
        assertThatThrownBy(() -> Pipeline.validate(new FlowRule(99, 1, Match.ANY, List.of(), 1)))
                .hasMessageContaining("not in the pipeline");
        assertThatThrownBy(() -> Pipeline.table("nope")).hasMessageContaining("no table named nope");
        FlowRule good = flow("l2_forward", Match.builder().exact(Field.ETH_DST, 2).build(),
                Instruction.apply(Action.output(2)));
        assertThat(Pipeline.validate(good)).isSameAs(good);
    }

    @Test
    void tablesAreDeclaredInOrderWithUniqueNamesAndNumbers() {
        assertThat(Pipeline.TABLES).extracting(Table::name).doesNotHaveDuplicates();
        assertThat(Pipeline.TABLES).extracting(Table::number).isSorted().doesNotHaveDuplicates();
        assertThat(Pipeline.table("classifier").number()).isZero();
    }

    @Test
    void compiledFlowsHaveUniqueKeysAndOwnerCookies() {
        NetworkSnapshot s = ReferenceTopology.snapshot();
        for (String host : s.hosts().keySet()) {
            List<FlowRule> flows = FlowCompiler.compile(s, host).flows();
            Set<FlowKey> keys = new HashSet<>();
            assertThat(flows).allSatisfy(f -> {
                assertThat(keys.add(f.key())).as("duplicate key %s", f).isTrue();
                assertThat(Cookies.isWeft(f.cookie())).isTrue();
            });
            // Every table has its miss flow.
            for (Table t : Pipeline.TABLES) {
                assertThat(flows).anyMatch(f -> f.tableId() == t.number() && f.priority() == 0
                        && f.match().equals(Match.ANY));
            }
        }
        long c1 = Cookies.of(Cookies.Kind.ENDPOINT, "red/c1");
        assertThat(FlowCompiler.compile(s, "h1").flows()).filteredOn(f -> f.cookie() == c1)
                .as("port security 2, ARP and echo stage B, ARP answer, delivery").hasSize(6);
        assertThat(FlowCompiler.compile(ReferenceTopology.without(ReferenceTopology.RED_C1), "h1").flows())
                .noneMatch(f -> f.cookie() == c1);
        assertThat(FlowCompiler.compile(s, "h2").flows()).filteredOn(f -> f.cookie() == c1)
                .as("remote view: ARP answer and tunnel entry").hasSize(2);
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> FlowCompiler.compile(ReferenceTopology.snapshot(), "h9"))
                .hasMessageContaining("host h9 is not in snapshot");
        NetworkSnapshot twin = NetworkSnapshot.of(3, ReferenceTopology.hosts(),
                List.of(ReferenceTopology.RED), List.of(ReferenceTopology.RED_C1,
                        ReferenceTopology.endpoint("red", "c9", "h2", "red-c9", "10.65.10.2")), ReferenceTopology.OFPORTS);
        assertThatThrownBy(() -> FlowCompiler.compile(twin, "h1"))
                .hasMessageContaining("IP 10.65.10.2 is held by both red/c1 and red/c9");
        assertThatThrownBy(() -> FlowCompiler.delta(ReferenceTopology.snapshot(), twin))
                .hasMessageContaining("held by both");
    }
}
