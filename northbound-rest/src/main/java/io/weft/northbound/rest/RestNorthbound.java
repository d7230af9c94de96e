package io.weft.northbound.rest;

import io.weft.controller.Northbound;
import io.weft.controller.NorthboundContext;
import io.weft.controller.PlainSwitch;
import io.weft.controller.reconcile.Reconciler;
import java.util.List;
import java.util.Optional;

/** The REST API as a {@link Northbound} the controller finds with {@link java.util.ServiceLoader}. */
public final class RestNorthbound implements Northbound {

    private RestServer server;

    @Override
    public String name() {
        return "rest";
    }

    @Override
    public synchronized void start(NorthboundContext context) {
        Reconciler reconciler = context.controller();
        SwitchesAndPorts fromReconciler = new SwitchesAndPorts() {
            @Override
            public List<PlainSwitch> plainSwitches() {
                return reconciler.plainSwitches();
            }

            @Override
            public Optional<Integer> endpointOfport(String host, String port) {
                return reconciler.endpointOfport(host, port);
            }
        };
        server = new RestServer(context.intents(), reconciler, fromReconciler,
                RestConfig.of(context.settings())).start();
    }

    /** The port the API listens on, once started. */
    public synchronized int port() {
        return server.port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
