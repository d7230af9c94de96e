package io.weft.model.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The factories hand out one instance per value where rules hold many alike, and still check what they get. */
class SharedValuesTest {

    @Test
    void equalOutputsAndGotosAreOneInstance() {
        assertThat(Action.output(7)).isSameAs(Action.output(7)).isEqualTo(new Action.Output(7));
        assertThat(Action.output(Action.PORT_IN_PORT)).isSameAs(Action.output(Action.PORT_IN_PORT));
        assertThat(Action.output(70_000)).isEqualTo(Action.output(70_000));
        assertThat(Instruction.gotoTable(20)).isSameAs(Instruction.gotoTable(20))
                .isEqualTo(new Instruction.GotoTable(20));
    }

    @Test
    void outOfRangeValuesAreStillRefused() {
        assertThatThrownBy(() -> Action.output(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Action.output(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Instruction.gotoTable(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Instruction.gotoTable(255)).isInstanceOf(IllegalArgumentException.class);
    }
}
