package io.weft.northbound.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.weft.controller.view.ControllerView;
import io.weft.controller.view.InstallProgress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How writes answer: once persisted (201 with Location, or 204), or with {@code ?wait=true} once every host
 * acknowledged the change, with {@code installedInMs}. A wait that runs out answers 202: the change is committed and
 * stays so, GET shows how far it got.
 */
final class Replies {

    static final String JSON = "application/json";

    private final ControllerView view;

    Replies(ControllerView view) {
        this.view = view;
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(Json.write(body));
    }

    /** @param entity the reply body, read after any wait so that it shows the installed state */
    void created(Context ctx, WriteOptions options, long revision, String location, Supplier<?> entity) {
        ObjectNode waited = Json.MAPPER.createObjectNode();
        int status = awaitInto(waited, options, revision) ? 201 : 202;
        ObjectNode body = Json.MAPPER.valueToTree(entity.get());
        body.put("revision", revision);
        body.setAll(waited);
        ctx.header("Location", location);
        json(ctx, status, body);
    }

    void deleted(Context ctx, WriteOptions options, long revision) {
        if (options.waitFor().isEmpty()) {
            ctx.status(204);
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("revision", revision);
        json(ctx, awaitInto(body, options, revision) ? 200 : 202, body);
    }

    /** @return false if the client asked to wait and the change is not installed everywhere in time */
    private boolean awaitInto(ObjectNode body, WriteOptions options, long revision) {
        if (options.waitFor().isEmpty()) {
            return true;
        }
        Duration timeout = options.waitFor().get();
        Future<InstallProgress> installed = view.awaitInstalled(revision);
        try {
            InstallProgress done = installed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            body.put("installedInMs", (System.nanoTime() - options.receivedNanos()) / 1e6);
            body.set("acknowledgedBy", Json.MAPPER.valueToTree(done.acknowledged()));
            return true;
        } catch (TimeoutException e) {
            installed.cancel(false);
            InstallProgress now = view.installProgress(revision);
            body.put("installPending", "committed at revision " + revision + " but not acknowledged by every host "
                    + "within " + timeout.toMillis() + " ms");
            body.set("acknowledgedBy", Json.MAPPER.valueToTree(now.acknowledged()));
            body.set("pending", Json.MAPPER.valueToTree(now.pending()));
        } catch (ExecutionException e) {
            body.put("installPending", "committed at revision " + revision + " but not installed: "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            body.put("installPending", "committed at revision " + revision + "; the wait was interrupted");
        }
        return false;
    }
}
