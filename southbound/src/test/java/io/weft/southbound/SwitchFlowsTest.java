package io.weft.southbound;

import static io.weft.model.flow.Action.output;
import static io.weft.model.flow.Instruction.apply;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Match;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFVersion;

class SwitchFlowsTest {

    private static FlowRule flow(int port, long out) {
        return new FlowRule(0, 100, Match.builder().exact(Field.IN_PORT, port).build(), List.of(apply(output(out))),
                1);
    }

    private final SwitchFlows flows = new SwitchFlows();

    @Test
    void nothingIsSentBeforeTheTableIsReadThenOnlyTheDifference() {
        flows.replace(List.of(flow(1, 2), flow(2, 3)), 1);
        assertThat(flows.next(1)).as("the switch's table is unknown").isEmpty();
        assertThat(flows.caughtUpTo(1)).isFalse();

        flows.loaded(new FlowTable(List.of(flow(1, 2), flow(9, 9)), List.of()));
        SwitchFlows.Batch b = flows.next(1).orElseThrow();
        assertThat(b.mods()).containsExactly(new FlowMod.DeleteFlow(flow(9, 9)), new FlowMod.AddFlow(flow(2, 3)));
        assertThat(flows.next(1)).as("one batch in flight at a time").isEmpty();
        assertThat(flows.caughtUpTo(1)).isFalse();
        flows.acknowledged(b);
        assertThat(flows.caughtUpTo(1)).isTrue();
        assertThat(flows.installed()).containsExactlyInAnyOrder(flow(1, 2), flow(2, 3));
        assertThat(flows.next(2)).isEmpty();
        assertThat(flows.inStep()).isTrue();
    }

    @Test
    void aChangeWhileABatchIsInFlightGoesInTheNextAndProgressFollowsGenerations() {
        flows.loaded(new FlowTable(List.of(), List.of()));
        flows.offer(List.of(), List.of(flow(1, 2)), 1);
        SwitchFlows.Batch first = flows.next(1).orElseThrow();
        flows.offer(List.of(flow(1, 2)), List.of(flow(1, 5)), 2);
        flows.acknowledged(first);
        assertThat(flows.caughtUpTo(1)).isTrue();
        assertThat(flows.caughtUpTo(2)).isFalse();
        SwitchFlows.Batch second = flows.next(2).orElseThrow();
        assertThat(second.mods()).containsExactly(new FlowMod.ModifyFlow(flow(1, 2), flow(1, 5)));
        flows.acknowledged(second);
        assertThat(flows.caughtUpTo(2)).isTrue();
        // A later generation that did not change this switch needs nothing from it.
        assertThat(flows.caughtUpTo(7)).isTrue();
    }

    @Test
    void aFailedBatchMakesTheTableBeReadAgainAndAStaleAcknowledgementCountsForNothing() {
        flows.loaded(new FlowTable(List.of(), List.of()));
        flows.offer(List.of(), List.of(flow(1, 2)), 1);
        SwitchFlows.Batch b = flows.next(1).orElseThrow();
        flows.failed(b);
        assertThat(flows.needsRead()).isTrue();
        assertThat(flows.next(1)).isEmpty();

        flows.loaded(new FlowTable(List.of(), List.of()));
        SwitchFlows.Batch again = flows.next(1).orElseThrow();
        flows.reconnected();
        flows.acknowledged(again);
        assertThat(flows.installed()).as("acknowledged on a connection that is gone").isEmpty();
        assertThat(flows.caughtUpTo(1)).isFalse();
    }

    @Test
    void anAuditFindsWhatSomeoneElseChangedAndTheNextBatchRepairsIt() {
        var f = OFFactories.getFactory(OFVersion.OF_13);
        flows.replace(List.of(flow(1, 2), flow(2, 3)), 1);
        flows.loaded(new FlowTable(List.of(), List.of()));
        flows.acknowledged(flows.next(1).orElseThrow());
        assertThat(flows.expectedCounts()).isEqualTo(Map.of(0, 2L));
        flows.offer(List.of(flow(2, 3)), List.of(), 2);
        flows.acknowledged(flows.next(2).orElseThrow());
        assertThat(flows.expectedCounts()).as("counted again after a change").isEqualTo(Map.of(0, 1L));
        flows.offer(List.of(), List.of(flow(2, 3)), 3);
        flows.acknowledged(flows.next(3).orElseThrow());
        assertThat(flows.audit(new FlowTable(List.of(flow(1, 2), flow(2, 3)), List.of())).isEmpty()).isTrue();

        ForeignFlow dropAll = new ForeignFlow(0, 65000, 0, f.matchWildcardAll());
        SwitchFlows.Drift drift = flows.audit(new FlowTable(List.of(flow(2, 4)), List.of(dropAll)));
        assertThat(drift).isEqualTo(new SwitchFlows.Drift(1, 1, 1));
        assertThat(flows.caughtUpTo(1)).isFalse();
        assertThat(flows.next(2).orElseThrow().mods()).containsExactlyInAnyOrder(
                new FlowMod.DeleteForeign(dropAll), new FlowMod.AddFlow(flow(1, 2)),
                new FlowMod.ModifyFlow(flow(2, 4), flow(2, 3)));
    }
}
