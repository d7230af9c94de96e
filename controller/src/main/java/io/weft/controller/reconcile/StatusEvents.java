package io.weft.controller.reconcile;

import io.weft.controller.events.ControllerEvent;
import io.weft.controller.events.ControllerEvent.Channel;
import io.weft.controller.view.HostStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The events that tell how hosts' connections and tunnels changed between two published views: a connection up or
 * down, a host's tunnel ports changed. A host that appears counts as having had nothing; one that goes, as losing
 * what it had. Pure.
 */
final class StatusEvents {

    private StatusEvents() {
    }

    static List<ControllerEvent> between(Map<String, HostStatus> before, Map<String, HostStatus> after, Instant at) {
        List<ControllerEvent> events = new ArrayList<>();
        after.forEach((host, now) -> {
            HostStatus was = before.get(host);
            connection(events, host, Channel.OVSDB, was != null && was.ovsdbConnected(), now.ovsdbConnected(), at);
            connection(events, host, Channel.OPENFLOW, was != null && was.openflowConnected(),
                    now.openflowConnected(), at);
            List<String> tunnels = was == null ? List.of() : was.tunnelPorts();
            if (!Objects.equals(tunnels, now.tunnelPorts())) {
                events.add(new ControllerEvent.TunnelsChanged(at, host, now.tunnelPorts()));
            }
        });
        before.forEach((host, was) -> {
            if (!after.containsKey(host)) {
                connection(events, host, Channel.OVSDB, was.ovsdbConnected(), false, at);
                connection(events, host, Channel.OPENFLOW, was.openflowConnected(), false, at);
            }
        });
        return events;
    }

    private static void connection(List<ControllerEvent> events, String host, Channel channel, boolean was,
                                   boolean now, Instant at) {
        if (now && !was) {
            events.add(new ControllerEvent.HostConnected(at, host, channel));
        } else if (was && !now) {
            events.add(new ControllerEvent.HostDisconnected(at, host, channel));
        }
    }
}
