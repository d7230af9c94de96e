package io.weft.southbound;

import static io.weft.model.flow.Action.output;
import static io.weft.model.flow.Instruction.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import io.weft.model.flow.Match;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFVersion;

class DiffPlannerTest {

    private static FlowRule flow(int port, long outPort, long cookie) {
        return new FlowRule(0, 100, Match.builder().exact(Field.IN_PORT, port).build(),
                List.of(apply(output(outPort))), cookie);
    }

    private static List<Change> plan(List<FlowRule> want, List<GroupRule> wantGroups, List<FlowRule> have,
            List<GroupRule> haveGroups, List<ForeignFlow> foreign) {
        Map<FlowKey, FlowRule> installed = DiffPlanner.index(have);
        Map<Long, GroupRule> groups = new HashMap<>(DiffPlanner.indexGroups(haveGroups));
        return DiffPlanner.plan(DiffPlanner.index(want), DiffPlanner.indexGroups(wantGroups), installed, groups,
                foreign);
    }

    @Test
    void equalStateNeedsNoChange() {
        List<FlowRule> flows = SampleFlows.flows(50);
        assertThat(plan(flows, SampleFlows.groups(), flows, SampleFlows.groups(), List.of())).isEmpty();
    }

    @Test
    void addsModifiesAndDeletesOnlyWhatDiffers() {
        FlowRule keep = flow(1, 2, 9);
        FlowRule changeActions = flow(2, 3, 9);
        FlowRule changeCookie = flow(3, 4, 9);
        FlowRule gone = flow(4, 5, 9);
        FlowRule fresh = flow(5, 6, 9);
        List<Change> plan = plan(List.of(keep, flow(2, 30, 9), flow(3, 4, 10), fresh), List.of(),
                List.of(keep, changeActions, changeCookie, gone), List.of(), List.of());
        assertThat(plan).containsExactlyInAnyOrder(new Change.DeleteFlow(gone),
                new Change.ModifyFlow(changeActions, flow(2, 30, 9)),
                new Change.ModifyFlow(changeCookie, flow(3, 4, 10)), new Change.AddFlow(fresh));
        assertThat(((Change.ModifyFlow) plan.stream().filter(c -> c instanceof Change.ModifyFlow m
                && m.rule().cookie() == 10).findFirst().orElseThrow()).cookieChanged()).isTrue();
    }

    @Test
    void groupsAreAddedBeforeFlowsAndDeletedAfterThem() {
        GroupRule g1 = new GroupRule(1, GroupRule.Type.ALL, List.of(new GroupRule.Bucket(0, List.of(output(1)))), 0);
        GroupRule g2 = new GroupRule(2, GroupRule.Type.ALL, List.of(new GroupRule.Bucket(0, List.of(output(2)))), 0);
        FlowRule usesG1 = new FlowRule(0, 1, Match.ANY, List.of(apply(new Action.Group(1))), 0);
        FlowRule usesG2 = new FlowRule(0, 2, Match.ANY, List.of(apply(new Action.Group(2))), 0);
        List<Change> plan = plan(List.of(usesG2), List.of(g2), List.of(usesG1), List.of(g1), List.of());
        assertThat(plan).containsExactly(new Change.AddGroup(g2), new Change.DeleteFlow(usesG1),
                new Change.AddFlow(usesG2), new Change.DeleteGroup(g1));
    }

    @Test
    void foreignFlowsAreDeletedAndGroupCookiesIgnored() {
        var f = OFFactories.getFactory(OFVersion.OF_13);
        ForeignFlow alien = new ForeignFlow(3, 7, f.matchWildcardAll(), 0);
        GroupRule withCookie = new GroupRule(1, GroupRule.Type.ALL, List.of(), 77);
        GroupRule onSwitch = new GroupRule(1, GroupRule.Type.ALL, List.of(), 0);
        assertThat(plan(List.of(), List.of(withCookie), List.of(), List.of(onSwitch), List.of(alien)))
                .containsExactly(new Change.DeleteForeign(alien));
    }

    @Test
    void contradictoryDesiredFlowsAreRejected() {
        assertThatThrownBy(() -> DiffPlanner.index(List.of(flow(1, 2, 0), flow(1, 3, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share table, priority and match");
        assertThat(DiffPlanner.index(List.of(flow(1, 2, 0), flow(1, 2, 0)))).hasSize(1);
    }
}
