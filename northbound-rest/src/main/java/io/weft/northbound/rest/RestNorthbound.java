package io.weft.northbound.rest;

import io.weft.controller.Northbound;
import io.weft.controller.NorthboundContext;

/** The REST API as a {@link Northbound} the controller finds with {@link java.util.ServiceLoader}. */
public final class RestNorthbound implements Northbound {

    private RestServer server;

    @Override
    public String name() {
        return "rest";
    }

    @Override
    public synchronized void start(NorthboundContext context) {
        server = new RestServer(context.intents(), context.view(), context.metrics(), context.cluster(),
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
