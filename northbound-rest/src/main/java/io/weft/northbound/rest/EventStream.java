package io.weft.northbound.rest;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import io.weft.controller.events.EventSubscription;
import io.weft.controller.events.SequencedEvent;
import io.weft.controller.view.ControllerView;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events}: the controller's events as Server-Sent Events: for each,
 * {@code id} (resume after it with {@code Last-Event-ID} or {@code ?since=}), {@code event} (its type) and one line
 * of JSON {@code data}; a {@code : keepalive} comment every 15 s. A stream that cannot resume starts with a
 * {@code resync} event: re-read the state. Each stream is written by a thread of its own from its subscription's
 * bounded queue, so a client that does not read fills only its own queue and is then dropped; the controller never
 * waits for it.
 */
final class EventStream implements AutoCloseable {

    static final Duration KEEPALIVE = Duration.ofSeconds(15);
    /** Streams open at once; each holds one of the REST server's threads while it is open. */
    static final int MAX_STREAMS = 32;
    static final String MEDIA_TYPE = "text/event-stream";
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

    private final ControllerView view;
    private final Duration keepalive;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    EventStream(ControllerView view, Duration keepalive) {
        this.view = view;
        this.keepalive = keepalive;
    }

    List<Route> routes(String base) {
        return List.of(new Route(GET, base + "/events", this::follow));
    }

    private void follow(Context ctx) {
        OptionalLong after = resumeAfter(ctx);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains(MEDIA_TYPE)) {
            throw new Problem.Failure(406, "not-acceptable", "Not Acceptable", "this is a stream of Server-Sent "
                    + "Events: send Accept: " + MEDIA_TYPE + " (curl -N -H 'Accept: " + MEDIA_TYPE + "' ...)");
        }
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            throw new Problem.Failure(503, "too-many-streams", "Service Unavailable", MAX_STREAMS
                    + " event streams are open already: close one, or try again later");
        }
        EventSubscription subscription;
        try {
            subscription = view.subscribe(after);
            subscriptions.add(subscription);
        } catch (RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
        String peer = ctx.ip();
        try {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setCharacterEncoding("UTF-8");
            res.setContentType(MEDIA_TYPE);
            res.addHeader("Cache-Control", "no-cache");
            res.addHeader("X-Accel-Buffering", "no");
            res.flushBuffer();
            write(res.getOutputStream(), subscription, peer);
        } catch (IOException e) {
            LOG.debug("event stream of {} ended: {}", peer, e.toString());
        } finally {
            subscriptions.remove(subscription);
            subscription.close();
            synchronized (open) {
                open.decrementAndGet();
                open.notifyAll();
            }
        }
    }

    /**
     * Writes the subscription's events until either end goes, in the request's own thread: the request is live for
     * as long as the stream (Javalin's asynchronous SSE completed requests that Jetty had already recycled when a
     * client went away or the server stopped, and its error handling then looped on the dead request).
     */
    private void write(OutputStream out, EventSubscription subscription, String peer) throws IOException {
        try {
            while (!subscription.ended()) {
                Optional<SequencedEvent> next = subscription.poll(keepalive);
                if (next.isPresent()) {
                    SequencedEvent e = next.get();
                    send(out, "id: " + e.id() + "\nevent: " + e.event().type() + "\ndata: " + EventJson.of(e.event())
                            + "\n\n");
                } else if (!subscription.ended()) {
                    send(out, ": keepalive\n\n");
                }
            }
            if (subscription.dropped()) {
                LOG.info("event stream of {} dropped: it did not read its events in time", peer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One frame, flushed: a write to a client that went away fails here, and the stream ends. */
    private static void send(OutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The id a client saw last: {@code Last-Event-ID} (what EventSource sends on reconnecting), else {@code since}. */
    private static OptionalLong resumeAfter(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        String value = header != null && !header.isBlank() ? header.strip() : ctx.queryParam("since");
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw Problem.badRequest("invalid-value", "the event id to resume after must be an integer (an id the "
                    + "stream sent), got '" + value + "'");
        }
    }

    /**
     * Ends every open stream and waits (a few seconds at most) for their threads to return: the server stops only
     * after, so that no stream completes its request once Jetty has recycled it.
     */
    @Override
    public void close() {
        subscriptions.forEach(EventSubscription::close);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        synchronized (open) {
            while (open.get() > 0 && System.nanoTime() < deadline) {
                try {
                    open.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
