package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.controller.events.ControllerEvent;
import io.weft.controller.events.ControllerEvent.Channel;
import io.weft.controller.events.ControllerEvent.HostConnected;
import io.weft.controller.events.ControllerEvent.HostDisconnected;
import io.weft.controller.events.ControllerEvent.TunnelsChanged;
import io.weft.controller.view.HostStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatusEventsTest {

    private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");

    private static HostStatus status(String host, boolean ovsdb, boolean openflow, List<String> tunnels) {
        return new HostStatus(host, ovsdb, openflow, Optional.empty(), tunnels, Optional.empty(), 0, 0, false,
                Optional.empty(), 0, Optional.empty(), 0, 0);
    }

    private static Map<String, HostStatus> view(HostStatus... statuses) {
        Map<String, HostStatus> m = new TreeMap<>();
        for (HostStatus s : statuses) {
            m.put(s.host(), s);
        }
        return m;
    }

    @Test
    void nothingChangedIsNoEvent() {
        Map<String, HostStatus> v = view(status("h1", true, true, List.of("vxlan-h2")));
        assertThat(StatusEvents.between(v, v, AT)).isEmpty();
    }

    @Test
    void aHostSeenForTheFirstTimeConnectedWithTunnelsSaysSoInThatOrder() {
        assertThat(StatusEvents.between(view(), view(status("h1", true, false, List.of("vxlan-h2", "gre-h2"))), AT))
                .containsExactly(new HostConnected(AT, "h1", Channel.OVSDB),
                        new TunnelsChanged(AT, "h1", List.of("vxlan-h2", "gre-h2")));
    }

    @Test
    void aRegisteredHostNotConnectedYetIsNoEvent() {
        assertThat(StatusEvents.between(view(), view(status("h1", false, false, List.of())), AT)).isEmpty();
    }

    @Test
    void eachChannelUpOrDownAndTunnelsChangedAreTold() {
        Map<String, HostStatus> before = view(status("h1", true, false, List.of("vxlan-h2")),
                status("h2", true, true, List.of()));
        Map<String, HostStatus> after = view(status("h1", true, true, List.of("vxlan-h2", "vxlan-h3")),
                status("h2", false, true, List.of()));
        assertThat(StatusEvents.between(before, after, AT)).containsExactly(
                new HostConnected(AT, "h1", Channel.OPENFLOW),
                new TunnelsChanged(AT, "h1", List.of("vxlan-h2", "vxlan-h3")),
                new HostDisconnected(AT, "h2", Channel.OVSDB));
    }

    @Test
    void aRemovedHostLosesTheConnectionsItHad() {
        List<ControllerEvent> events = StatusEvents.between(view(status("h1", true, true, List.of("vxlan-h2"))),
                view(), AT);
        assertThat(events).containsExactly(new HostDisconnected(AT, "h1", Channel.OVSDB),
                new HostDisconnected(AT, "h1", Channel.OPENFLOW));
    }
}
