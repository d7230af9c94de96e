package io.weft.controller.events;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A fact about the running controller, published when it becomes true (see {@link EventBus}). Each type names itself
 * as the event stream does ({@link #type()}); every one carries when it happened.
 */
public sealed interface ControllerEvent {

    Instant at();

    /** The name of this type on the event stream, e.g. {@code host-connected}. */
    String type();

    /** Which of a host's two connections. */
    enum Channel {
        OVSDB, OPENFLOW;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Weft's session with the host's ovsdb-server, or the host's br-int over OpenFlow, is up. */
    record HostConnected(Instant at, String host, Channel channel) implements ControllerEvent {
        @Override
        public String type() {
            return "host-connected";
        }
    }

    /** That connection went down, or the host was removed while it was up. */
    record HostDisconnected(Instant at, String host, Channel channel) implements ControllerEvent {
        @Override
        public String type() {
            return "host-disconnected";
        }
    }

    /** The tunnel ports Weft keeps on the host's br-int changed (a host came or went). */
    record TunnelsChanged(Instant at, String host, List<String> tunnelPorts) implements ControllerEvent {
        public TunnelsChanged {
            tunnelPorts = List.copyOf(tunnelPorts);
        }

        @Override
        public String type() {
            return "tunnels-changed";
        }
    }

    record NetworkCreated(Instant at, String network) implements ControllerEvent {
        @Override
        public String type() {
            return "network-created";
        }
    }

    record NetworkRemoved(Instant at, String network) implements ControllerEvent {
        @Override
        public String type() {
            return "network-removed";
        }
    }

    /** The endpoint's port and flows are acknowledged by every host that needs them: its traffic goes through. */
    record EndpointBound(Instant at, String network, String endpoint, String host, String ip, String mac)
            implements ControllerEvent {
        @Override
        public String type() {
            return "endpoint-bound";
        }
    }

    /** The endpoint's removal is acknowledged by every host that held flows for it. */
    record EndpointRemoved(Instant at, String network, String endpoint, String host) implements ControllerEvent {
        @Override
        public String type() {
            return "endpoint-removed";
        }
    }

    /**
     * A batch of flow-mods was acknowledged by the host's switch.
     *
     * @param revision the intent revision the batch was computed from
     * @param flows    flows on the host's switch now
     */
    record FlowsInstalled(Instant at, String host, long revision, int flowMods, int flows, double ms)
            implements ControllerEvent {
        @Override
        public String type() {
            return "flows-installed";
        }
    }

    /** Flows someone else changed on the host's switch were found and put back (acknowledged). */
    record DriftRepaired(Instant at, String host, String what) implements ControllerEvent {
        @Override
        public String type() {
            return "drift-repaired";
        }
    }

    /** Something failed: reaching or programming a host ({@code host} names it), binding an endpoint. */
    record Failure(Instant at, Optional<String> host, String message) implements ControllerEvent {
        @Override
        public String type() {
            return "error";
        }
    }

    /** Events were lost to this subscriber or were never seen by it: re-read the state. */
    record Resync(Instant at) implements ControllerEvent {
        @Override
        public String type() {
            return "resync";
        }
    }
}
