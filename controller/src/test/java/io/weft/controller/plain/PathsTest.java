package io.weft.controller.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PathsTest {

    /** s1 - s2 - s3 - s4 - s1 (port 1 toward the next switch, port 2 toward the previous). */
    private static Topology ring() {
        Topology t = Topology.EMPTY;
        for (long s = 1; s <= 4; s++) {
            t = t.withSwitch(s, Set.of(1L, 2L));
        }
        for (long s = 1; s <= 4; s++) {
            t = t.withLink(new PortRef(s, 1), new PortRef(s % 4 + 1, 2));
        }
        return t;
    }

    @Test
    void nextHopsFollowShortestPathsAroundARing() {
        Paths p = Paths.of(ring());
        assertThat(p.nextPort(1, 2)).contains(1L);
        assertThat(p.nextPort(1, 4)).contains(2L);
        assertThat(p.hops(1, 3)).hasValue(2);
        assertThat(p.nextPort(2, 2)).isEmpty();
    }

    @Test
    void theSpanningTreeLeavesOneLinkOfTheRingOut() {
        Paths p = Paths.of(ring());
        // 3 of the 4 links, both ends each.
        assertThat(p.treePorts()).hasSize(6);
    }

    @Test
    void switchesNotJoinedHaveNoPathAndEachPartHasItsOwnTree() {
        Topology t = ring().withSwitch(9, Set.of(1L)).withSwitch(10, Set.of(1L))
                .withLink(new PortRef(9, 1), new PortRef(10, 1));
        Paths p = Paths.of(t);
        assertThat(p.nextPort(1, 9)).isEmpty();
        assertThat(p.hops(9, 1)).isEmpty();
        assertThat(p.treePorts()).hasSize(8).contains(new PortRef(9, 1), new PortRef(10, 1));
    }
}
