package io.weft.southbound;

import static io.weft.model.flow.Action.output;
import static io.weft.model.flow.Instruction.apply;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.flow.Field;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Match;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFVersion;

class FlowDiffTest {

    private static FlowRule flow(int port, long outPort, long cookie) {
        return new FlowRule(0, 100, Match.builder().exact(Field.IN_PORT, port).build(),
                List.of(apply(output(outPort))), cookie);
    }

    private static Map<FlowKey, FlowRule> table(List<FlowRule> flows) {
        Map<FlowKey, FlowRule> t = new LinkedHashMap<>();
        flows.forEach(f -> t.put(f.key(), f));
        return t;
    }

    @Test
    void equalTablesNeedNoChange() {
        Map<FlowKey, FlowRule> flows = table(SampleFlows.flows(50));
        assertThat(FlowDiff.full(flows, new LinkedHashMap<>(flows), List.of())).isEmpty();
        assertThat(FlowDiff.under(flows, new LinkedHashMap<>(flows), flows.keySet())).isEmpty();
    }

    @Test
    void addsModifiesAndDeletesOnlyWhatDiffersDeletesFirst() {
        FlowRule keep = flow(1, 2, 9);
        FlowRule changeActions = flow(2, 3, 9);
        FlowRule changeCookie = flow(3, 4, 9);
        FlowRule gone = flow(4, 5, 9);
        FlowRule fresh = flow(5, 6, 9);
        Map<FlowKey, FlowRule> desired = table(List.of(keep, flow(2, 30, 9), flow(3, 4, 10), fresh));
        Map<FlowKey, FlowRule> installed = table(List.of(keep, changeActions, changeCookie, gone));
        List<FlowMod> mods = FlowDiff.full(desired, installed, List.of());
        assertThat(mods).containsExactly(new FlowMod.DeleteFlow(gone),
                new FlowMod.ModifyFlow(changeActions, flow(2, 30, 9)),
                new FlowMod.ModifyFlow(changeCookie, flow(3, 4, 10)), new FlowMod.AddFlow(fresh));
        assertThat(((FlowMod.ModifyFlow) mods.get(2)).cookieChanged()).isTrue();
        assertThat(((FlowMod.ModifyFlow) mods.get(1)).cookieChanged()).isFalse();

        // Under a set of keys, only those are looked at: the same changes for the keys that differ.
        assertThat(FlowDiff.under(desired, installed, List.of(gone.key(), fresh.key(), keep.key())))
                .containsExactly(new FlowMod.DeleteFlow(gone), new FlowMod.AddFlow(fresh));
    }

    @Test
    void foreignFlowsAreDeletedFirst() {
        var f = OFFactories.getFactory(OFVersion.OF_13);
        ForeignFlow alien = new ForeignFlow(3, 7, 0, f.matchWildcardAll());
        FlowRule fresh = flow(5, 6, 9);
        assertThat(FlowDiff.full(table(List.of(fresh)), Map.of(), List.of(alien)))
                .containsExactly(new FlowMod.DeleteForeign(alien), new FlowMod.AddFlow(fresh));
    }
}
