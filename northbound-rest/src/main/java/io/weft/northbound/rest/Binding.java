package io.weft.northbound.rest;

import io.weft.controller.ControllerView;
import io.weft.controller.HostStatus;
import io.weft.controller.store.Store;
import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far an endpoint got from the store to its host's switch. It remembers the revision at which each endpoint was
 * last written, so "bound" means its host acknowledged that revision or a newer one, not merely the latest.
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

    private final Store store;
    private final ControllerView view;
    private final SwitchesAndPorts ports;
    private final Map<EndpointId, Long> writtenAt = new ConcurrentHashMap<>();
    private volatile StoreState last;

    Binding(Store store, ControllerView view, SwitchesAndPorts ports) {
        this.store = store;
        this.view = view;
        this.ports = ports;
        this.last = store.current();
        last.endpoints().keySet().forEach(id -> writtenAt.put(id, last.revision()));
        store.addListener(this::onCommit);
    }

    /**
     * Runs on the store's listener thread, one revision after the other, and from {@link #of} when a reader holds a
     * newer state than the listener has seen; then the revisions in between are skipped and whatever changed in them
     * counts as written at the newer one, which errs towards "installing".
     */
    private synchronized void onCommit(StoreState state) {
        StoreState before = last;
        if (state.revision() <= before.revision()) {
            return;
        }
        state.endpoints().forEach((id, e) -> {
            if (!e.equals(before.endpoints().get(id))) {
                writtenAt.put(id, state.revision());
            }
        });
        before.endpoints().keySet().stream().filter(id -> !state.endpoints().containsKey(id))
                .forEach(writtenAt::remove);
        last = state;
    }

    Optional<Integer> ofport(Endpoint e) {
        return ports.endpointOfport(e.host(), e.port());
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
        StoreState current = last;
        if (current.revision() < seenAt) {
            onCommit(store.current());
        }
        long wanted = writtenAt.getOrDefault(e.id(), seenAt);
        return status.get().openflowConnected() && status.get().appliedRevision() >= wanted
                ? State.BOUND : State.INSTALLING;
    }
}
