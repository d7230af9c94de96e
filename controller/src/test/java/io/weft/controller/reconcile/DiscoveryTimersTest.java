package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.controller.plain.Link;
import io.weft.controller.plain.PortRef;
import io.weft.controller.plain.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoveryTimersTest {

    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final PortRef S1P1 = new PortRef(1, 1);
    private static final PortRef S1P2 = new PortRef(1, 2);
    private static final PortRef S2P1 = new PortRef(2, 1);

    private final DiscoveryTimers timers = new DiscoveryTimers(PlainFabric.Settings.DEFAULTS);
    private final Topology two = Topology.EMPTY.withSwitch(1, Set.of(1L, 2L)).withSwitch(2, Set.of(1L));

    @Test
    void portsProbeForTheWholeProbationBeforeAnyProbeCameBackAndTenRoundTripsAfter() {
        timers.changed(two, T0);
        assertThat(timers.due(two, T0.plusMillis(999)).probing()).hasSize(3);
        assertThat(timers.due(two, T0.plusSeconds(1)).probing()).isEmpty();
        assertThat(timers.nextDue(T0)).isEqualTo(T0.plusSeconds(1));

        // A probe came back 2 ms after it left: ten round trips are less than the floor, 250 ms.
        timers.probeSent(S1P2, T0);
        Topology linked = two.withLink(S1P2, S2P1);
        timers.heard(new Link(S1P2, S2P1), S1P2, T0.plusMillis(2));
        timers.changed(linked, T0.plusMillis(2));
        assertThat(timers.due(linked, T0.plusMillis(249)).probing()).containsExactly(S1P1);
        assertThat(timers.due(linked, T0.plusMillis(250)).probing()).isEmpty();
    }

    @Test
    void aLinkNotHeardForTheTimeoutIsDroppedAndItsPortsProbeAgain() {
        Topology linked = two.withLink(S1P2, S2P1);
        timers.heard(new Link(S1P2, S2P1), S1P2, T0);
        timers.changed(linked, T0);
        assertThat(timers.due(linked, T0.plusSeconds(5)).links()).hasSize(1);
        Topology expired = timers.due(linked, T0.plusSeconds(5).plusMillis(1));
        assertThat(expired.links()).isEmpty();
        assertThat(expired.probing()).contains(S1P2, S2P1);
    }

    @Test
    void anEarlierRunsLinkPortKeepsProbingUntilItsLinkIsFoundAgainOrTheHoldEnds() {
        timers.changed(two, T0);
        timers.earlierRunLinks(List.of(S1P2), T0);
        Topology t = timers.due(two, T0.plusSeconds(2));
        assertThat(t.probing()).as("its neighbour has not reconnected yet").containsExactly(S1P2);
        assertThat(timers.waitingForEarlierLinks(t, T0.plusSeconds(2))).isTrue();

        Topology found = t.withLink(S1P2, S2P1);
        assertThat(timers.waitingForEarlierLinks(found, T0.plusSeconds(3))).isFalse();
        assertThat(timers.waitingForEarlierLinks(t, T0.plusSeconds(15))).as("the hold ended").isFalse();
        assertThat(timers.due(t, T0.plusSeconds(15)).probing()).isEmpty();
    }
}
