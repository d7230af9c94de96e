package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.model.flow.FailoverGroup;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GroupDiffTest {

    private static FailoverGroup group(long id, long... ports) {
        return new FailoverGroup(id, java.util.Arrays.stream(ports).mapToObj(FailoverGroup.Bucket::outOf).toList());
    }

    @Test
    void addsAndChangesComeBeforeTheFlowsAndDeletesAfter() {
        GroupTable have = new GroupTable(new TreeMap<>(Map.of(1L, group(1, 1, 2), 2L, group(2, 1, 3),
                3L, group(3, 2, 1))), Set.of(8L));
        GroupDiff diff = GroupDiff.between(have, List.of(group(1, 1, 2), group(2, 3, 1), group(4, 4, 1)));

        assertThat(diff.beforeFlows()).containsExactly(new GroupMod.ModifyGroup(group(2, 3, 1)),
                new GroupMod.AddGroup(group(4, 4, 1)));
        assertThat(diff.afterFlows()).containsExactly(new GroupMod.DeleteGroup(3), new GroupMod.DeleteGroup(8));
    }

    @Test
    void aForeignGroupWithADesiredIdIsReplaced() {
        GroupTable have = new GroupTable(new TreeMap<>(), Set.of(5L));
        assertThat(GroupDiff.between(have, List.of(group(5, 1, 2))).beforeFlows())
                .containsExactly(new GroupMod.ModifyGroup(group(5, 1, 2)));
    }

    @Test
    void aTableWithTheDiffAppliedDiffsToNothing() {
        GroupTable have = new GroupTable(new TreeMap<>(Map.of(1L, group(1, 1, 2), 3L, group(3, 2, 1))), Set.of(8L));
        List<FailoverGroup> want = List.of(group(1, 2, 1), group(4, 4, 1));
        GroupDiff diff = GroupDiff.between(have, want);
        GroupTable applied = have.after(diff.beforeFlows()).after(diff.afterFlows());

        assertThat(applied).isEqualTo(GroupTable.of(Map.of(1L, group(1, 2, 1), 4L, group(4, 4, 1))));
        assertThat(GroupDiff.between(applied, want).isEmpty()).isTrue();
    }

    @Test
    void twoDesiredGroupsWithOneIdAreRefused() {
        assertThatThrownBy(() -> GroupDiff.between(GroupTable.EMPTY, List.of(group(1, 1), group(1, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id 1");
    }
}
