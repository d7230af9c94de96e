package io.weft.northbound.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.controller.events.ControllerEvent;
import io.weft.controller.events.ControllerEvent.DriftRepaired;
import io.weft.controller.events.ControllerEvent.EndpointBound;
import io.weft.controller.events.ControllerEvent.EndpointRemoved;
import io.weft.controller.events.ControllerEvent.Failure;
import io.weft.controller.events.ControllerEvent.FlowsInstalled;
import io.weft.controller.events.ControllerEvent.HostConnected;
import io.weft.controller.events.ControllerEvent.HostDisconnected;
import io.weft.controller.events.ControllerEvent.NetworkCreated;
import io.weft.controller.events.ControllerEvent.NetworkRemoved;
import io.weft.controller.events.ControllerEvent.TunnelsChanged;

/** An event's {@code data} on the stream: one JSON object with its fields and {@code "at"} (ISO-8601). */
final class EventJson {

    private EventJson() {
    }

    static String of(ControllerEvent event) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        if (event instanceof HostConnected e) {
            o.put("host", e.host()).put("channel", e.channel().toString());
        } else if (event instanceof HostDisconnected e) {
            o.put("host", e.host()).put("channel", e.channel().toString());
        } else if (event instanceof TunnelsChanged e) {
            o.put("host", e.host());
            e.tunnelPorts().forEach(o.putArray("tunnelPorts")::add);
        } else if (event instanceof NetworkCreated e) {
            o.put("network", e.network());
        } else if (event instanceof NetworkRemoved e) {
            o.put("network", e.network());
        } else if (event instanceof EndpointBound e) {
            o.put("network", e.network()).put("endpoint", e.endpoint()).put("host", e.host()).put("ip", e.ip())
                    .put("mac", e.mac());
        } else if (event instanceof EndpointRemoved e) {
            o.put("network", e.network()).put("endpoint", e.endpoint()).put("host", e.host());
        } else if (event instanceof FlowsInstalled e) {
            o.put("host", e.host()).put("revision", e.revision()).put("flowMods", e.flowMods())
                    .put("flows", e.flows()).put("ms", e.ms());
        } else if (event instanceof DriftRepaired e) {
            o.put("host", e.host()).put("what", e.what());
        } else if (event instanceof Failure e) {
            e.host().ifPresent(h -> o.put("host", h));
            o.put("message", e.message());
        }
        o.put("at", event.at().toString());
        return Json.write(o);
    }
}
