package io.weft.controller.plain;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyTest {

    private static final MacAddress H1 = MacAddress.parse("00:00:00:00:00:01");
    private static final PortRef S1P1 = new PortRef(1, 1);
    private static final PortRef S1P2 = new PortRef(1, 2);
    private static final PortRef S2P1 = new PortRef(2, 1);

    private final Topology two = Topology.EMPTY.withSwitch(1, Set.of(1L, 2L, 0xfffffffeL))
            .withSwitch(2, Set.of(1L, 2L));

    @Test
    void newPortsProbeUntilSettledOrLinkedAndReservedPortsAreNotPorts() {
        assertThat(two.ports()).hasSize(4).doesNotContain(new PortRef(1, 0xfffffffeL));
        assertThat(two.edgePorts()).isEmpty();
        Topology t = two.withLink(S1P2, S2P1).settled(S1P1);
        assertThat(t.edgePorts()).containsExactly(S1P1);
        assertThat(t.probing()).containsExactly(new PortRef(2, 2));
    }

    @Test
    void aHostGuessedOnWhatTurnsOutToBeALinkPortIsForgotten() {
        Topology t = two.withHost(H1, S1P2, Optional.empty());
        assertThat(t.hosts()).hasSize(1);
        t = t.withLink(S2P1, S1P2);
        assertThat(t.hosts()).isEmpty();
        assertThat(t.withHost(H1, S1P2, Optional.empty()).hosts()).as("never learned on a link port").isEmpty();
    }

    @Test
    void aHostThatMovesIsRelearnedAndKeepsItsAddressOnlyWhereItWasSeen() {
        Ipv4Address ip = Ipv4Address.parse("10.0.0.1");
        Topology t = two.withHost(H1, S1P1, Optional.of(ip)).withHost(H1, S1P1, Optional.empty());
        assertThat(t.host(H1).orElseThrow().ip()).contains(ip);
        t = t.withHost(H1, new PortRef(2, 2), Optional.empty());
        assertThat(t.host(H1).orElseThrow().at()).isEqualTo(new PortRef(2, 2));
        assertThat(t.host(H1).orElseThrow().ip()).isEmpty();
    }

    @Test
    void aPortGoingDownTakesItsLinkAndHostsAndASwitchGoingTakesEverything() {
        Topology t = two.withLink(S1P2, S2P1).settled(S1P1).withHost(H1, S1P1, Optional.empty());
        assertThat(t.withPort(S2P1, false).links()).isEmpty();
        assertThat(t.withPort(S1P1, false).hosts()).isEmpty();
        Topology gone = t.withoutSwitch(1);
        assertThat(gone.switches()).containsExactly(2L);
        assertThat(gone.links()).isEmpty();
        assertThat(gone.hosts()).isEmpty();
        assertThat(gone.ports()).allMatch(p -> p.dpid() == 2);
    }

    @Test
    void aPortComingBackUpProbesAgainAndLinksNeedBothEndsUp() {
        Topology t = two.settled(S1P1).withPort(S1P1, false).withPort(S1P1, true);
        assertThat(t.probing()).contains(S1P1);
        assertThat(two.withPort(S1P2, false).withLink(S1P2, S2P1).links()).isEmpty();
        assertThat(two.withLink(new PortRef(3, 1), S2P1).links()).as("unknown switch").isEmpty();
    }
}
