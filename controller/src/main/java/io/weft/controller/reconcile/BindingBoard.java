package io.weft.controller.reconcile;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Where hosts publish which of their endpoints are bound to a port. A host's flows toward a remote endpoint depend on
 * that endpoint being bound on its own host, so a change here must reach every other host: the board bumps its
 * epoch and asks them all for a pass. A host is converged only once it has applied flows compiled at the current
 * epoch.
 */
final class BindingBoard {

    private final Map<String, Map<String, Integer>> boundPorts = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private final Consumer<String> othersChanged;

    /** @param othersChanged called with the publishing host's name when its bindings changed */
    BindingBoard(Consumer<String> othersChanged) {
        this.othersChanged = othersChanged;
    }

    void publish(String host, Map<String, Integer> endpointPorts) {
        Map<String, Integer> previous = boundPorts.put(host, endpointPorts);
        if (!endpointPorts.equals(previous == null ? Map.of() : previous)) {
            epoch.incrementAndGet();
            othersChanged.accept(host);
        }
    }

    void remove(String host) {
        if (boundPorts.remove(host) != null) {
            epoch.incrementAndGet();
            othersChanged.accept(host);
        }
    }

    long epoch() {
        return epoch.get();
    }

    Map<String, Map<String, Integer>> ofports() {
        return Map.copyOf(boundPorts);
    }
}
