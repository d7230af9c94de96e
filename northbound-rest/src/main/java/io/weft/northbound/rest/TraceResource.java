package io.weft.northbound.rest;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import io.weft.controller.trace.PacketTracer;
import io.weft.controller.trace.TraceQuery;
import io.weft.controller.trace.TraceQueryException;
import io.weft.controller.view.ControllerView;
import io.weft.controller.view.HostUnreadableException;
import io.weft.northbound.rest.Views.TraceView;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** /trace: a packet walked through the flows the switches on its path hold now, named in the user's terms. */
final class TraceResource {

    private final PacketTracer tracer;

    TraceResource(ControllerView view) {
        this.tracer = new PacketTracer(view);
    }

    List<Route> routes(String base) {
        return List.of(new Route(GET, base + "/trace", this::trace));
    }

    private void trace(Context ctx) {
        TraceQuery query = new TraceQuery(required(ctx, "network"), required(ctx, "from"), required(ctx, "to"),
                Optional.ofNullable(ctx.queryParam("proto")).orElse(TraceQuery.DEFAULT_PROTO), dstPort(ctx),
                Optional.ofNullable(ctx.queryParam("srcIp")), Optional.ofNullable(ctx.queryParam("srcMac")));
        try {
            Replies.json(ctx, 200, TraceView.of(tracer.trace(query)));
        } catch (TraceQueryException e) {
            throw Problem.badRequest("invalid-parameter", e.getMessage());
        } catch (HostUnreadableException e) {
            throw new Problem.Failure(503, "host-unreadable", "Service Unavailable", e.getMessage()
                    + "; the trace needs the flows every host on the packet's path holds");
        }
    }

    private static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            throw Problem.badRequest("missing-parameter", "the query parameter " + name + " is required: "
                    + "GET /api/v1/trace?network=N&from=ENDPOINT&to=ENDPOINT_OR_IPV4[&proto=icmp|tcp|udp|arp]");
        }
        return value;
    }

    private static OptionalInt dstPort(Context ctx) {
        String text = ctx.queryParam("dstPort");
        if (text == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw Problem.badRequest("invalid-parameter", "dstPort '" + text + "' is not a port number");
        }
    }
}
