package io.weft.controller.reconcile;

import static io.weft.model.flow.Action.output;
import static io.weft.model.flow.Instruction.apply;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Match;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowDiffTest {

    private static FlowRule rule(int inPort, int outPort) {
        return new FlowRule(0, 100, Match.builder().exact(Field.IN_PORT, inPort).build(),
                List.of(apply(output(outPort))), 7);
    }

    @Test
    void sameFlowsMakeNoChange() {
        assertThat(FlowDiff.between(List.of(rule(1, 2), rule(2, 1)), List.of(rule(2, 1), rule(1, 2))).isEmpty())
                .isTrue();
    }

    @Test
    void addedChangedAndRemovedFlowsAreNamedOnce() {
        FlowDiff d = FlowDiff.between(List.of(rule(1, 2), rule(2, 1), rule(3, 1)),
                List.of(rule(1, 2), rule(2, 5), rule(4, 1)));
        assertThat(d.upserts()).containsExactlyInAnyOrder(rule(2, 5), rule(4, 1));
        assertThat(d.removals()).containsExactly(rule(3, 1).key());
    }
}
