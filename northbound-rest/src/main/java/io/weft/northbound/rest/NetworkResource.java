package io.weft.northbound.rest;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import io.weft.controller.intent.IntentService;
import io.weft.controller.view.ControllerView;
import io.weft.controller.intent.NetworkSpec;
import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.Network;
import io.weft.northbound.rest.Views.NetworkView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** /networks: isolated overlays with their subnets, VNI and MTU. */
final class NetworkResource {

    private final IntentService intents;
    private final ControllerView view;
    private final Replies replies;
    private final Duration defaultWait;

    NetworkResource(IntentService intents, ControllerView view, Replies replies, Duration defaultWait) {
        this.intents = intents;
        this.view = view;
        this.replies = replies;
        this.defaultWait = defaultWait;
    }

    List<Route> routes(String base) {
        return List.of(
                new Route(POST, base + "/networks", this::create),
                new Route(GET, base + "/networks", this::list),
                new Route(GET, base + "/networks/{name}", this::get),
                new Route(DELETE, base + "/networks/{name}", this::delete));
    }

    private void create(Context ctx) {
        NetworkSpec spec = RequestBody.read(ctx, NetworkSpec.class, "network");
        WriteOptions options = WriteOptions.from(ctx, defaultWait);
        if (dryRun(ctx)) {
            // Checked as the create below would be, against the current state; nothing is committed or waited for.
            Replies.json(ctx, 200, NetworkView.of(intents.dryRunCreateNetwork(spec), 0));
            return;
        }
        StoreState state = intents.createNetwork(spec);
        Network network = state.networks().get(spec.name());
        replies.created(ctx, options, state.revision(), ctx.path() + "/" + network.name(),
                () -> NetworkView.of(network, 0));
    }

    /** {@code ?dryRun=true}: a client that must know whether Weft takes a network before it commits to it. */
    private static boolean dryRun(Context ctx) {
        String dryRun = ctx.queryParam("dryRun");
        if (dryRun == null || dryRun.equalsIgnoreCase("false")) {
            return false;
        }
        if (dryRun.isEmpty() || dryRun.equalsIgnoreCase("true")) {
            return true;
        }
        throw Problem.badRequest("invalid-parameter", "dryRun='" + dryRun + "' is invalid: use dryRun=true or "
                + "dryRun=false");
    }

    private void list(Context ctx) {
        StoreState state = view.intent();
        Map<String, Long> counts = state.endpoints().values().stream()
                .collect(Collectors.groupingBy(Endpoint::network, Collectors.counting()));
        Replies.json(ctx, 200, state.networks().values().stream()
                .map(n -> NetworkView.of(n, counts.getOrDefault(n.name(), 0L).intValue())).toList());
    }

    private void get(Context ctx) {
        StoreState state = view.intent();
        String name = ctx.pathParam("name");
        Network network = state.networks().get(name);
        if (network == null) {
            throw Problem.notFound("network " + name + " does not exist");
        }
        int count = (int) state.endpoints().values().stream().filter(e -> e.network().equals(name)).count();
        Replies.json(ctx, 200, NetworkView.of(network, count));
    }

    private void delete(Context ctx) {
        WriteOptions options = WriteOptions.from(ctx, defaultWait);
        replies.deleted(ctx, options, intents.deleteNetwork(ctx.pathParam("name")).revision());
    }
}
