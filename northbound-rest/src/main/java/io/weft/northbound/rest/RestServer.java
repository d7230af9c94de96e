package io.weft.northbound.rest;

import io.weft.model.DatapathId;
import static io.javalin.http.HandlerType.GET;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import io.weft.controller.metrics.ControllerMetrics;
import io.weft.controller.view.ControllerView;
import io.weft.controller.view.PlainSwitch;
import io.weft.controller.intent.IntentException;
import io.weft.controller.cluster.ClusterStatus;
import io.weft.controller.store.StoreUnavailableException;
import io.weft.controller.intent.IntentService;
import io.weft.controller.store.StoreState;
import io.weft.northbound.rest.Views.HealthView;
import io.weft.northbound.rest.Views.SwitchView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The /api/v1 REST API on Javalin: hosts, networks, endpoints, flows, health and the OpenAPI document, and the
 * controller's meters at {@code /metrics}. Every error is
 * an RFC 9457 problem; every write goes through {@link IntentService}, so a refused request changes nothing.
 */
public final class RestServer implements AutoCloseable {

    public static final String BASE = "/api/v1";
    static final String OPENAPI_RESOURCE = "/io/weft/northbound/rest/openapi.json";
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
    /**
     * Jetty's threads: enough for the requests being handled at once on this small controller, never one per
     * waited write (those hold no thread), and idle ones go within seconds; plus one for each event stream that may
     * be open (a stream holds its request's thread).
     */
    static final int MAX_THREADS = 64 + EventStream.MAX_STREAMS;
    static final int MIN_THREADS = 4;
    static final int IDLE_THREAD_MS = 10_000;
    static final String THREAD_NAME = "weft-rest";
    /** Connections beyond these wait in the kernel's backlog; with {@link RequestBody#MAX_BYTES}, bounds memory. */
    static final int MAX_CONNECTIONS = 1024;

    private final IntentService intents;
    private final ControllerView view;
    private final RestConfig config;
    private final List<Route> routes;
    private final RestMeters meters;
    private final String openapi;
    private final EventStream events;
    private final TopologyPage page = new TopologyPage();
    private volatile QueuedThreadPool threads;
    private Javalin app;

    /**
     * @param metrics where the API records its requests, and what {@code GET /metrics} scrapes
     * @param cluster the replicas, as this one sees them ({@code GET /api/v1/cluster})
     */
    public RestServer(IntentService intents, ControllerView view, ControllerMetrics metrics, ClusterStatus cluster,
                      RestConfig config) {
        this.intents = intents;
        this.view = view;
        this.config = config;
        this.meters = new RestMeters(metrics.registry());
        this.openapi = loadOpenapi();
        Replies replies = new Replies(view, task -> threads.execute(task));
        Binding binding = new Binding(view);
        List<Route> all = new ArrayList<>();
        all.add(new Route(GET, "/health", this::health));
        all.add(new Route(GET, BASE + "/health", this::health));
        all.add(new Route(GET, BASE, ctx -> Replies.json(ctx, 200, Views.IndexView.LINKS)));
        all.add(new Route(GET, BASE + "/openapi.json", ctx -> ctx.contentType(Replies.JSON).result(openapi)));
        all.add(new Route(GET, "/metrics", ctx -> ctx.contentType(ControllerMetrics.CONTENT_TYPE)
                .result(metrics.scrape())));
        all.add(new Route(GET, BASE + "/switches", this::switches));
        all.add(new Route(GET, BASE + "/cluster", ctx -> Replies.json(ctx, 200,
                Views.ClusterJson.of(cluster.view()))));
        all.add(new Route(GET, BASE + "/topology", ctx -> Replies.json(ctx, 200,
                Views.TopologyView.of(view.plainTopology()))));
        all.addAll(new HostResource(intents, view, replies, config.defaultWaitTimeout()).routes(BASE));
        all.addAll(new NetworkResource(intents, view, replies, config.defaultWaitTimeout()).routes(BASE));
        all.addAll(new EndpointResource(intents, view, binding, replies, config.defaultWaitTimeout(), meters)
                .routes(BASE));
        all.addAll(new TraceResource(view).routes(BASE));
        this.events = new EventStream(view, EventStream.KEEPALIVE);
        all.addAll(events.routes(BASE));
        this.routes = List.copyOf(all);
    }

    /** Every operation the server answers, as registered; the OpenAPI document lists exactly these. */
    List<Route> routes() {
        return routes;
    }

    public synchronized RestServer start() {
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        config.exposureRefusal().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        if (config.insecure() && !config.isLoopback()) {
            LOG.warn("REST API on {} beyond loopback, {} and {} (--insecure)", config.listen(),
                    config.listen().https() ? "with HTTPS" : "without HTTPS",
                    config.tokens().isPresent() ? "with tokens" : "without tokens");
        }
        Access access = new Access(config.tokens());
        threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, IDLE_THREAD_MS);
        threads.setName(THREAD_NAME);
        threads.setMaxEvictCount(MAX_THREADS / 4);
        Javalin javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.prefer405over404 = true;
            c.http.maxRequestSize = RequestBody.MAX_BYTES;
            c.router.ignoreTrailingSlashes = true;
            c.jetty.threadPool = threads;
            c.jetty.modifyServer(server -> {
                server.setErrorHandler(new ProblemErrorHandler());
                server.insertHandler(wholeBodyFirst());
                server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
            });
            c.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new ProblemErrorHandler()));
            c.jetty.addConnector((server, http) -> Connectors.of(server, http, config));
            c.routes.before(access::check);
            c.requestLogger.http((ctx, ms) -> meters.answered(ctx.method().name(), route(ctx), ctx.statusCode()));
            routes.forEach(r -> c.routes.addHttpHandler(r.method(), r.path(), r.handler()));
            page.configure(c);
            c.routes.exception(Problem.Failure.class, (e, ctx) -> problem(ctx, e));
            c.routes.exception(IntentException.class, (e, ctx) -> problem(ctx, fromIntent(e)));
            c.routes.exception(StoreUnavailableException.class, (e, ctx) -> problem(ctx,
                    new Problem.Failure(503, "store-unavailable", "Service Unavailable", e.getMessage())));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, fromJavalin(ctx, e)));
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, Problem.ofHttpStatus(500, null));
            });
        });
        javalin.start();
        app = javalin;
        LOG.info("REST API listening on {}{}{}", new RestConfig.Listen(config.listen().https(), config.host(),
                javalin.port()), BASE, config.tokens().isPresent() ? " (bearer tokens required)" : "");
        return this;
    }

    /**
     * Jetty reads a request's whole body, without a thread, before Javalin sees the request: the handlers read
     * bodies with blocking calls, and a client that sends its headers but not its body (slowly or never) would
     * otherwise hold a thread each until the idle timeout, and a few dozen of them would stall the API.
     */
    private static EagerContentHandler wholeBodyFirst() {
        return new EagerContentHandler(new EagerContentHandler.RetainedContentLoaderFactory(
                RequestBody.MAX_BYTES + 16 * 1024, -1, true));
    }

    /** The port it listens on; useful with port 0. */
    public int port() {
        return app.port();
    }

    public synchronized void stop() {
        if (app != null) {
            events.close();
            app.stop();
            app = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void health(Context ctx) {
        StoreState s = view.intent();
        Replies.json(ctx, 200, new HealthView("UP", s.revision(), s.hosts().size(), s.networks().size(),
                s.endpoints().size()));
    }

    private void switches(Context ctx) {
        Replies.json(ctx, 200, view.plainSwitches().stream()
                .map(s -> new SwitchView(DatapathId.hex(s.datapathId()),
                        s.ports().entrySet().stream().map(p -> new Views.PortView(p.getKey(), p.getValue())).toList(),
                        s.inSync(), s.openflow(), PlainSwitch.EXPLANATION))
                .toList());
    }

    private static Problem.Failure fromIntent(IntentException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> Problem.badRequest("invalid-value", e.getMessage());
            case NOT_FOUND -> Problem.notFound(e.getMessage());
            case CONFLICT -> Problem.conflict(e.getMessage());
        };
    }

    private Problem.Failure fromJavalin(Context ctx, HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> Problem.notFound("no such resource: " + ctx.path() + " (see " + BASE + "/openapi.json)");
            case 405 -> methodNotAllowed(ctx);
            default -> Problem.ofHttpStatus(e.getStatus(), e.getMessage());
        };
    }

    /**
     * The template of the route a request was for: the one Javalin matched, else (a request refused before routing,
     * such as a 401, or a 405) the first whose template fits its path; {@link RestMeters#UNMATCHED} for none.
     */
    private String route(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        if (matched != null) {
            return matched.path;
        }
        return routes.stream().filter(r -> r.matches(ctx.path())).map(Route::path).findFirst()
                .orElse(RestMeters.UNMATCHED);
    }

    private Problem.Failure methodNotAllowed(Context ctx) {
        String allowed = routes.stream().filter(r -> r.matches(ctx.path())).map(r -> r.method().name())
                .distinct().collect(Collectors.joining(", "));
        ctx.header("Allow", allowed);
        return new Problem.Failure(405, "method-not-allowed", "Method Not Allowed",
                ctx.method().name() + " is not supported on " + ctx.path() + ": use " + allowed);
    }

    private static void problem(Context ctx, Problem.Failure failure) {
        ctx.status(failure.status()).contentType(Problem.CONTENT_TYPE)
                .result(Json.write(failure.toProblem(ctx.path())));
    }

    private static String loadOpenapi() {
        try (InputStream in = RestServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
