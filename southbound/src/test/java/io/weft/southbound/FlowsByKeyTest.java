package io.weft.southbound;

import static io.weft.model.flow.Action.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.model.flow.Field;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link FlowsByKey} behaves as a {@link HashMap} of the same flows by key, through growth, removal and shrinking. */
class FlowsByKeyTest {

    /** Put (a flow picked by {@code n}) or remove (the key of that flow with even n, the flow itself with odd). */
    record Op(boolean put, int n) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        // Up to 400 keys, so the table grows past several capacities and shrinks back; keys repeat often.
        return Combinators.combine(Arbitraries.of(true, true, false), Arbitraries.integers().between(0, 1199))
                .as(Op::new).list().ofMaxSize(600);
    }

    /** Flow {@code n}: 400 keys (table, priority, in_port), three versions of each (different outputs). */
    private static FlowRule flow(int n) {
        int k = n % 400;
        return new FlowRule(k % 3, 100 + k % 5, Match.builder().exact(Field.IN_PORT, 1 + k / 15).build(),
                List.of(Instruction.apply(output(1 + n / 400))), 7);
    }

    @Property
    void actsAsAHashMapOfTheFlowsByKey(@ForAll("ops") List<Op> ops) {
        FlowsByKey map = new FlowsByKey();
        Map<FlowKey, FlowRule> reference = new HashMap<>();
        for (Op op : ops) {
            FlowRule f = flow(op.n());
            if (op.put()) {
                assertThat(map.put(f.key(), f)).isEqualTo(reference.put(f.key(), f));
            } else if (op.n() % 2 == 0) {
                assertThat(map.remove(f.key())).isEqualTo(reference.remove(f.key()));
            } else {
                // Only the very flow: another version under its key stays.
                FlowRule held = reference.get(f.key());
                assertThat(map.removeEqual(f)).isEqualTo(f.equals(held) ? reference.remove(f.key()) : null);
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        for (int n = 0; n < 400; n++) {
            FlowRule f = flow(n);
            assertThat(map.get(f.key())).isEqualTo(reference.get(f.key()));
            assertThat(map.sameKey(f)).isEqualTo(reference.get(f.key()));
            assertThat(map.containsKey(f.key())).isEqualTo(reference.containsKey(f.key()));
        }
        assertThat(map.values()).containsExactlyInAnyOrderElementsOf(reference.values());
        assertThat(map).isEqualTo(reference);
        map.clear();
        assertThat(map).isEmpty();
    }

    @Test
    void refusesAFlowUnderAnotherKey() {
        assertThatThrownBy(() -> new FlowsByKey().put(flow(1).key(), flow(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not under key");
    }

    @Test
    void findsNothingForWhatIsNotAKey() {
        FlowsByKey map = new FlowsByKey();
        map.put(flow(1));
        assertThat(map.get("a string")).isNull();
        assertThat(map.remove(flow(1))).isNull();
        assertThat(map).hasSize(1);
    }
}
