package io.weft.controller.plain;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.MacAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Frames the controller floods itself while ports probe, on a ring of three switches whose links are not found yet
 * (every port still probing): s1 port 1 to s2 port 2, s2 port 1 to s3 port 2, s3 port 1 to s1 port 2, port 3 of
 * each a host's.
 */
class ProbationFloodTest {

    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    private static final Map<PortRef, PortRef> CABLES = new HashMap<>();

    static {
        for (long s = 1; s <= 3; s++) {
            long next = s % 3 + 1;
            CABLES.put(new PortRef(s, 1), new PortRef(next, 2));
            CABLES.put(new PortRef(next, 2), new PortRef(s, 1));
        }
    }

    private final Topology ring = Topology.EMPTY.withSwitch(1, Set.of(1L, 2L, 3L)).withSwitch(2, Set.of(1L, 2L, 3L))
            .withSwitch(3, Set.of(1L, 2L, 3L));
    private final ProbationFlood flood = new ProbationFlood();

    @Test
    void aBroadcastFromAHostBehindAProbingPortReachesEveryOtherHostOnceAndStops() {
        byte[] arp = arp(MacAddress.parse("00:00:00:00:00:01"));
        Map<PortRef, Integer> hostCopies = new HashMap<>();
        int packetIns = 0;
        // Each packet-out out of a cabled port comes back as a packet-in at the other end (that port probes too).
        ArrayDeque<PortRef> reported = new ArrayDeque<>(List.of(new PortRef(1, 3)));
        while (!reported.isEmpty()) {
            assertThat(++packetIns).as("packet-ins: the flood must stop").isLessThan(100);
            PortRef at = reported.poll();
            ProbationFlood.Verdict v = flood.packetIn(at, arp, true, ring, T0.plusMillis(packetIns));
            assertThat(v.learn()).as("learn from %s", at).isEqualTo(at.equals(new PortRef(1, 3)));
            for (ProbationFlood.Out out : v.outs()) {
                for (long port : out.ports()) {
                    PortRef p = new PortRef(out.dpid(), port);
                    PortRef peer = CABLES.get(p);
                    if (peer != null) {
                        reported.add(peer);
                    } else {
                        hostCopies.merge(p, 1, Integer::sum);
                    }
                }
            }
        }
        assertThat(hostCopies).isEqualTo(Map.of(new PortRef(2, 3), 1, new PortRef(3, 3), 1));
    }

    @Test
    void theSameFrameReportedTwiceBySwitchIsFloodedOnceAndSentAgainLaterIsFloodedAgain() {
        byte[] arp = arp(MacAddress.parse("00:00:00:00:00:01"));
        PortRef h1 = new PortRef(1, 3);
        assertThat(flood.packetIn(h1, arp, false, ring, T0).outs()).isNotEmpty();
        assertThat(flood.packetIn(h1, arp, true, ring, T0.plusMillis(1)).outs()).isEmpty();
        // ARP's retry, a second later: a new frame as far as flooding goes.
        assertThat(flood.packetIn(h1, arp, false, ring, T0.plus(Duration.ofSeconds(1))).outs()).isNotEmpty();
    }

    @Test
    void aBroadcastThatCameOverTheTreeGoesOutOfThatSwitchsProbingPortsOnly() {
        // s1-s2 and s2-s3 found; s3's port 1 and s1's port 2 (their cable) still probing, host ports settled.
        Topology t = ring.withLink(new PortRef(1, 1), new PortRef(2, 2)).withLink(new PortRef(2, 1), new PortRef(3, 2))
                .settled(new PortRef(1, 3)).settled(new PortRef(2, 3)).settled(new PortRef(3, 3));
        ProbationFlood.Verdict v = flood.packetIn(new PortRef(3, 2), arp(MacAddress.parse("00:00:00:00:00:01")),
                true, t, T0);
        assertThat(v.outs()).containsExactly(new ProbationFlood.Out(3, List.of(1L)));
    }

    @Test
    void aFrameForALearnedHostWhoseFlowIsNotThereYetGoesStraightToItsPort() {
        MacAddress h2 = MacAddress.parse("00:00:00:00:00:02");
        Topology t = ring.withHost(h2, new PortRef(2, 3), Optional.empty());
        byte[] reply = frame(h2, MacAddress.parse("00:00:00:00:00:01"));
        assertThat(flood.packetIn(new PortRef(1, 3), reply, false, t, T0).outs()).isEmpty();
        assertThat(flood.packetIn(new PortRef(1, 3), reply, true, t, T0.plusMillis(1)).outs())
                .containsExactly(new ProbationFlood.Out(2, List.of(3L)));
    }

    @Test
    void nothingIsFloodedOnceNoPortProbes() {
        Topology t = ring.withLink(new PortRef(1, 1), new PortRef(2, 2)).withLink(new PortRef(2, 1), new PortRef(3, 2))
                .withLink(new PortRef(3, 1), new PortRef(1, 2)).settled(new PortRef(1, 3)).settled(new PortRef(2, 3))
                .settled(new PortRef(3, 3));
        assertThat(flood.packetIn(new PortRef(1, 3), arp(MacAddress.parse("00:00:00:00:00:01")), true, t, T0))
                .isEqualTo(new ProbationFlood.Verdict(true, List.of()));
    }

    private static byte[] arp(MacAddress from) {
        return frame(MacAddress.BROADCAST, from);
    }

    private static byte[] frame(MacAddress to, MacAddress from) {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.putShort((short) (to.bits() >>> 32)).putInt((int) to.bits());
        b.putShort((short) (from.bits() >>> 32)).putInt((int) from.bits());
        b.putShort((short) 0x0806);
        return b.array();
    }
}
