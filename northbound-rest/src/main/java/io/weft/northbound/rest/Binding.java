package io.weft.northbound.rest;

import io.weft.controller.view.ControllerView;
import io.weft.controller.view.HostStatus;
import io.weft.model.Endpoint;
import java.util.Optional;

/**
 * How far an endpoint got from the store to its host's switch: "bound" means its host acknowledged the revision at
 * which the endpoint was last written, or a newer one.
 */
final class Binding {

    enum State {
        /** Weft has no OVSDB connection to the endpoint's host. */
        WAITING_FOR_HOST("waiting-for-host"),
        /** The host is connected but its br-int has no such port yet (the container's interface is not there). */
        WAITING_FOR_PORT("waiting-for-port"),
        /** The port is there; its flows are not acknowledged yet. */
        INSTALLING("installing"),
        /** Ports and flows acknowledged by the host. */
        BOUND("bound");

        private final String text;

        State(String text) {
            this.text = text;
        }

        String text() {
            return text;
        }
    }

    private final ControllerView view;
    Binding(ControllerView view) {
        this.view = view;
    }

    Optional<Integer> ofport(Endpoint e) {
        return view.endpointOfport(e.host(), e.port());
    }

    /** @param seenAt the revision of the state {@code e} was read from; used if this endpoint is newer than we know */
    State of(Endpoint e, long seenAt) {
        Optional<HostStatus> status = view.status(e.host());
        if (status.isEmpty() || !status.get().ovsdbConnected()) {
            return State.WAITING_FOR_HOST;
        }
        if (ofport(e).isEmpty()) {
            return State.WAITING_FOR_PORT;
        }
        long wanted = view.endpointWrittenAt(e.id(), seenAt);
        return status.get().openflowConnected() && status.get().appliedRevision() >= wanted
                ? State.BOUND : State.INSTALLING;
    }
}
