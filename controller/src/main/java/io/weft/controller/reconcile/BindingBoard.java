package io.weft.controller.reconcile;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where hosts publish how their ports are bound (tunnel and endpoint ofports, endpoints OVS could not open). The
 * fabric compiler reads every host's entry: a host's flows toward a remote endpoint depend on that endpoint being
 * bound on its own host. Publishing something new asks the compiler for a pass.
 */
final class BindingBoard {

    private final Map<String, PortBindings> published = new ConcurrentHashMap<>();
    private final Runnable changed;

    BindingBoard(Runnable changed) {
        this.changed = changed;
    }

    void publish(String host, PortBindings bindings) {
        PortBindings previous = published.put(host, bindings);
        if (previous == null || !sameForFlows(previous, bindings)) {
            changed.run();
        }
    }

    void remove(String host) {
        if (published.remove(host) != null) {
            changed.run();
        }
    }

    Map<String, PortBindings> snapshot() {
        return Map.copyOf(published);
    }

    /** What the compiler and convergence read; the desired ports themselves do not matter to flows. */
    private static boolean sameForFlows(PortBindings a, PortBindings b) {
        return a.tunnelOfports().equals(b.tunnelOfports()) && a.endpointOfports().equals(b.endpointOfports())
                && a.failed().keySet().equals(b.failed().keySet())
                && Set.copyOf(a.pending()).equals(Set.copyOf(b.pending()));
    }
}
