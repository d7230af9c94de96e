package io.weft.northbound.rest;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import io.weft.controller.view.ControllerView;
import io.weft.controller.intent.HostSpec;
import io.weft.controller.intent.IntentService;
import io.weft.controller.store.StoreState;
import io.weft.model.Host;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.OfctlFormat;
import io.weft.northbound.rest.Views.FlowView;
import io.weft.northbound.rest.Views.FlowsView;
import io.weft.northbound.rest.Views.HostView;
import io.weft.northbound.rest.Views.StatusView;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

/** /hosts: the machines running Open vSwitch, their connection status and their flows. */
final class HostResource {

    private final IntentService intents;
    private final ControllerView view;
    private final Replies replies;
    private final Duration defaultWait;

    HostResource(IntentService intents, ControllerView view, Replies replies, Duration defaultWait) {
        this.intents = intents;
        this.view = view;
        this.replies = replies;
        this.defaultWait = defaultWait;
    }

    List<Route> routes(String base) {
        return List.of(
                new Route(POST, base + "/hosts", this::create),
                new Route(GET, base + "/hosts", this::list),
                new Route(GET, base + "/hosts/{name}", this::get),
                new Route(DELETE, base + "/hosts/{name}", this::delete),
                new Route(GET, base + "/hosts/{name}/flows", this::flows));
    }

    private void create(Context ctx) {
        HostSpec spec = RequestBody.read(ctx, HostSpec.class, "host");
        WriteOptions options = WriteOptions.from(ctx, defaultWait);
        StoreState state = intents.createHost(spec);
        Host host = state.hosts().get(spec.name());
        replies.created(ctx, options, state.revision(), ctx.path() + "/" + host.name(), () -> view(host));
    }

    private void list(Context ctx) {
        Replies.json(ctx, 200, view.intent().hosts().values().stream().map(this::view).toList());
    }

    private void get(Context ctx) {
        Replies.json(ctx, 200, view(find(ctx.pathParam("name"))));
    }

    private void delete(Context ctx) {
        WriteOptions options = WriteOptions.from(ctx, defaultWait);
        replies.deleted(ctx, options, intents.deleteHost(ctx.pathParam("name")).revision());
    }

    private void flows(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null && !format.equals("json") && !format.equals("text")) {
            throw Problem.badRequest("invalid-parameter", "format='" + format + "' is invalid: use format=json "
                    + "(default) or format=text");
        }
        Host host = find(ctx.pathParam("name"));
        List<FlowRule> desired = view.desiredFlows(host.name());
        List<FlowRule> installed = view.installedFlows(host.name());
        boolean inSync = new HashSet<>(desired).equals(new HashSet<>(installed));
        if ("text".equals(format)) {
            ctx.status(200).contentType("text/plain; charset=utf-8").result(
                    "# host " + host.name() + ": " + (inSync ? "in sync" : "NOT in sync") + "\n"
                            + "# desired (" + desired.size() + " flows)\n" + text(desired)
                            + "# installed (" + installed.size() + " flows)\n" + text(installed));
            return;
        }
        Replies.json(ctx, 200, new FlowsView(host.name(), inSync, desired.stream().map(FlowView::of).toList(),
                installed.stream().map(FlowView::of).toList()));
    }

    private static String text(List<FlowRule> flows) {
        return flows.stream().map(OfctlFormat::flow).map(s -> " " + s + "\n").collect(Collectors.joining());
    }

    private Host find(String name) {
        Host host = view.intent().hosts().get(name);
        if (host == null) {
            throw Problem.notFound("host " + name + " does not exist");
        }
        return host;
    }

    private HostView view(Host host) {
        return HostView.of(host, view.status(host.name()).map(StatusView::of).orElse(null));
    }
}
