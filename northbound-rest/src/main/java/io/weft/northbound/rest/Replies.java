package io.weft.northbound.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.weft.controller.view.ControllerView;
import io.weft.controller.view.InstallProgress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * How writes answer: once persisted (201 with Location, or 204), or with {@code ?wait} once every host the change
 * concerns acknowledged it (201 or 200, with {@code installedInMs} and {@code acknowledgedBy}). A wait that cannot
 * complete in time answers 202 naming the hosts still {@code pending} and why: the change is committed and stays so.
 *
 * <p>A wait holds no thread: the reply is written when the controller's future completes or the wait runs out,
 * on the server's own threads.
 */
final class Replies {

    static final String JSON = "application/json";

    private final ControllerView view;
    private final Executor executor;

    /** @param executor where replies to waited writes are written, never the controller's own threads */
    Replies(ControllerView view, Executor executor) {
        this.view = view;
        this.executor = executor;
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(Json.write(body));
    }

    /** @param entity the reply body, read after any wait so that it shows the installed state */
    void created(Context ctx, WriteOptions options, long revision, String location, Supplier<?> entity) {
        created(ctx, options, revision, location, entity, nanos -> { });
    }

    /**
     * As {@link #created(Context, WriteOptions, long, String, Supplier)}; a wait that every host answered tells
     * {@code installed} how long it took since the request arrived (ns).
     */
    void created(Context ctx, WriteOptions options, long revision, String location, Supplier<?> entity,
                 LongConsumer installed) {
        ctx.header("Location", location);
        reply(ctx, options, revision, 201, entity, installed);
    }

    void deleted(Context ctx, WriteOptions options, long revision) {
        if (options.waitFor().isEmpty()) {
            ctx.status(204);
            return;
        }
        reply(ctx, options, revision, 200, Json.MAPPER::createObjectNode, nanos -> { });
    }

    private void reply(Context ctx, WriteOptions options, long revision, int doneStatus, Supplier<?> entity,
                       LongConsumer installed) {
        if (options.waitFor().isEmpty()) {
            json(ctx, doneStatus, new AtRevision(entity.get(), revision)); // written in one pass, no tree
            return;
        }
        Duration timeout = options.waitFor().get();
        long committed = System.nanoTime();
        CompletableFuture<InstallProgress> waited = view.awaitInstalled(revision);
        ctx.future(() -> waited.copy().completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS)
                .handleAsync((progress, failure) -> {
                    ObjectNode body = body(entity, revision);
                    boolean done = outcome(body, waited, progress, failure, revision, timeout, options, installed);
                    if (progress != null) {
                        progress.timeline().ifPresent(t -> body.set("timeline",
                                timeline(t, options.receivedNanos(), committed)));
                    }
                    json(ctx, done ? doneStatus : 202, body);
                    return null;
                }, executor));
    }

    /** @return whether every host the change concerns acknowledged it; either way {@code body} says how far it got */
    private boolean outcome(ObjectNode body, CompletableFuture<InstallProgress> waited, InstallProgress progress,
                            Throwable failure, long revision, Duration timeout, WriteOptions options,
                            LongConsumer installed) {
        boolean timedOut = progress == null && failure == null;
        if (timedOut) {
            waited.cancel(false); // nobody waits for it any more
        }
        InstallProgress now = progress != null ? progress : view.installProgress(revision);
        body.set("acknowledgedBy", Json.MAPPER.valueToTree(now.acknowledged()));
        if (now.complete()) {
            long nanos = System.nanoTime() - options.receivedNanos();
            body.put("installedInMs", nanos / 1e6);
            installed.accept(nanos);
            return true;
        }
        body.set("pending", Json.MAPPER.valueToTree(now.pending()));
        String hosts = now.pending().entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        String why = failure != null ? " (the controller could not follow it: " + cause(failure).getMessage() + ")"
                : timedOut ? " within " + timeout.toMillis() + " ms" : "";
        body.put("installPending", "committed at revision " + revision + " but not acknowledged by every host" + why
                + ": " + hosts + "; GET " + RestServer.BASE + "/hosts/{name} to follow them");
        return false;
    }

    /**
     * Where the install's time went, in ms since the request arrived: committed (the write was durable), compiled
     * (the controller computed every host's change), and per host when OVSDB confirmed its ports and its switch
     * acknowledged its flows.
     */
    private static ObjectNode timeline(InstallProgress.Timeline t, long received, long committed) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("committedMs", ms(committed, received));
        if (t.compiledNanos() != 0) {
            out.put("compiledMs", ms(t.compiledNanos(), received));
        }
        ObjectNode hosts = out.putObject("hosts");
        t.hosts().forEach((host, steps) -> {
            ObjectNode h = hosts.putObject(host);
            if (steps.portsNanos() != 0) {
                h.put("portsMs", ms(steps.portsNanos(), received));
            }
            if (steps.flowsNanos() != 0) {
                h.put("flowsMs", ms(steps.flowsNanos(), received));
            }
        });
        return out;
    }

    private static double ms(long at, long since) {
        return Math.max(0, at - since) / 1e6;
    }

    /** A reply's entity with the revision it was committed at, as {@link #body} makes it. */
    record AtRevision(@JsonUnwrapped Object entity, long revision) {
    }

    /** The entity with its revision, as a tree a waited reply adds to. */
    private static ObjectNode body(Supplier<?> entity, long revision) {
        ObjectNode body = Json.MAPPER.valueToTree(entity.get());
        body.put("revision", revision);
        return body;
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
