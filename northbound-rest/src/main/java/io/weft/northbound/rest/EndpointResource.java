package io.weft.northbound.rest;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.javalin.http.Context;
import io.weft.controller.intent.EndpointSpec;
import io.weft.controller.intent.IntentService;
import io.weft.controller.view.ControllerView;
import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Network;
import io.weft.controller.view.EndpointCounters;
import io.weft.controller.view.HostUnreadableException;
import io.weft.controller.view.SwitchReading;
import io.weft.northbound.rest.Views.CountersView;
import io.weft.northbound.rest.Views.EndpointDetailView;
import io.weft.northbound.rest.Views.EndpointView;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** /networks/{network}/endpoints: containers announced by an orchestrator. */
final class EndpointResource {

    private final IntentService intents;
    private final ControllerView view;
    private final Binding binding;
    private final Replies replies;
    private final Duration defaultWait;
    private final RestMeters meters;

    EndpointResource(IntentService intents, ControllerView view, Binding binding, Replies replies,
                     Duration defaultWait, RestMeters meters) {
        this.intents = intents;
        this.view = view;
        this.binding = binding;
        this.replies = replies;
        this.defaultWait = defaultWait;
        this.meters = meters;
    }

    List<Route> routes(String base) {
        String endpoints = base + "/networks/{network}/endpoints";
        return List.of(
                new Route(POST, endpoints, this::announce),
                new Route(GET, endpoints, this::list),
                new Route(GET, endpoints + "/{name}", this::get),
                new Route(DELETE, endpoints + "/{name}", this::remove),
                new Route(PUT, endpoints + "/{name}/aliases", this::setAliases));
    }

    private void announce(Context ctx) {
        EndpointSpec spec = RequestBody.read(ctx, EndpointSpec.class, "endpoint");
        WriteOptions options = WriteOptions.from(ctx, defaultWait);
        StoreState state = intents.announceEndpoint(ctx.pathParam("network"), spec);
        Network network = state.networks().get(ctx.pathParam("network"));
        Endpoint endpoint = state.endpoints().get(new EndpointId(network.name(), spec.name()));
        replies.created(ctx, options, state.revision(), ctx.path() + "/" + endpoint.id().name(),
                () -> view(endpoint, network, state.revision()), meters::announceInstalled);
    }

    private void list(Context ctx) {
        StoreState state = view.intent();
        Network network = network(state, ctx.pathParam("network"));
        Replies.json(ctx, 200, state.endpoints().values().stream().filter(e -> e.network().equals(network.name()))
                .map(e -> view(e, network, state.revision())).toList());
    }

    private void get(Context ctx) {
        StoreState state = view.intent();
        Network network = network(state, ctx.pathParam("network"));
        String name = ctx.pathParam("name");
        Endpoint endpoint = state.endpoints().values().stream()
                .filter(e -> e.network().equals(network.name()) && e.id().name().equals(name))
                .findFirst().orElseThrow(() -> Problem.notFound("endpoint " + name + " does not exist in network "
                        + network.name()));
        Replies.json(ctx, 200, withCounters(view(endpoint, network, state.revision()), endpoint));
    }

    /** One read of the endpoint's host's switch: what its flows counted (only here; a list would read every host). */
    private EndpointDetailView withCounters(EndpointView shown, Endpoint e) {
        Optional<Integer> ofport = binding.ofport(e);
        if (ofport.isEmpty()) {
            return new EndpointDetailView(shown, null, "its port " + e.port() + " is not on br-int of " + e.host()
                    + " yet");
        }
        try {
            SwitchReading reading = view.readFlows(e.host()).join();
            return new EndpointDetailView(shown, CountersView.of(EndpointCounters.of(ofport.get(), reading)), null);
        } catch (CompletionException failed) {
            return new EndpointDetailView(shown, null, failed.getCause() instanceof HostUnreadableException u
                    ? u.getMessage() : "reading host " + e.host() + " failed: " + failed.getCause());
        }
    }

    /** Body of PUT .../aliases: the endpoint's DNS names; {@code hostname} optional (absent: none). */
    record AliasesRequest(java.util.List<String> aliases, String hostname) {
    }

    private void setAliases(Context ctx) {
        AliasesRequest body = RequestBody.read(ctx, AliasesRequest.class, "aliases");
        String name = ctx.pathParam("name");
        StoreState state = intents.setAliases(ctx.pathParam("network"), name, body == null ? null : body.aliases(),
                body == null ? null : body.hostname());
        Network network = state.networks().get(ctx.pathParam("network"));
        Endpoint endpoint = state.endpoints().get(new EndpointId(network.name(), name));
        Replies.json(ctx, 200, view(endpoint, network, state.revision()));
    }

    private void remove(Context ctx) {
        WriteOptions options = WriteOptions.from(ctx, defaultWait);
        replies.deleted(ctx, options,
                intents.removeEndpoint(ctx.pathParam("network"), ctx.pathParam("name")).revision());
    }

    private static Network network(StoreState state, String name) {
        Network network = state.networks().get(name);
        if (network == null) {
            throw Problem.notFound("network " + name + " does not exist");
        }
        return network;
    }

    private EndpointView view(Endpoint e, Network n, long revision) {
        return EndpointView.of(e, n, binding.of(e, revision), binding.ofport(e).orElse(null));
    }
}
