package io.weft.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SortedMapDiffTest {

    @Test
    void findsRemovedAddedAndChangedKeys() {
        TreeMap<String, String> before = new TreeMap<>();
        before.put("a", "1");
        before.put("b", "2");
        before.put("c", "3");
        TreeMap<String, String> after = new TreeMap<>(before);
        after.remove("a");
        after.put("b", new String("2")); // equal, not the same instance: unchanged
        after.put("c", "33");
        after.put("d", "4");
        SortedMapDiff<String> diff = SortedMapDiff.of(before, after);
        assertThat(diff.removed()).containsExactly("a");
        assertThat(diff.added()).containsExactly("d");
        assertThat(diff.changed()).containsExactly("c");
        assertThat(diff.all()).containsExactlyInAnyOrder("a", "c", "d");
    }
}
