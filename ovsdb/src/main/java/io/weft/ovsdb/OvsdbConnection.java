package io.weft.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.weft.model.LogThrottle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON-RPC session with an ovsdb-server (RFC 7047 section 4): requests correlated to responses by id, every
 * call a {@link CompletableFuture} completed on the channel's event loop (callers must not block in callbacks).
 * The connection ends once: the first failure is kept as {@link #failure()} and fails every pending call.
 */
public final class OvsdbConnection {

    private static final Logger LOG = LoggerFactory.getLogger(OvsdbConnection.class);
    public static final String DATABASE = "Open_vSwitch";
    private static final LogThrottle FAILURES = LogThrottle.perMinute();

    private final Channel channel;
    private final String peer;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile BiConsumer<String, JsonNode> notificationHandler = (m, p) -> { };
    private volatile OvsdbConnectionException failure;
    private volatile PeerOrigin origin = PeerOrigin.UNKNOWN;

    OvsdbConnection(Channel channel, String peer) {
        this.channel = channel;
        this.peer = peer;
    }

    /** Where this connection goes (active) or comes from (passive). */
    public String peer() {
        return peer;
    }

    /** Who the peer is, as the kernel and TLS report it (known once the connection is handed out). */
    public PeerOrigin origin() {
        return origin;
    }

    void origin(PeerOrigin o) {
        this.origin = o;
    }

    /** Receives {@code update} and other notifications, in arrival order, on the event loop. */
    public void onNotification(BiConsumer<String, JsonNode> handler) {
        this.notificationHandler = handler;
    }

    public boolean isOpen() {
        return failure == null && channel.isActive();
    }

    /** Completes (always exceptionally, with the reason) when the connection is gone. */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    public Optional<OvsdbConnectionException> failure() {
        return Optional.ofNullable(failure);
    }

    public CompletableFuture<JsonNode> call(String method, JsonNode params) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        OvsdbConnectionException f = failure;
        if (f != null) {
            result.completeExceptionally(f);
            return result;
        }
        long id = nextId.getAndIncrement();
        pending.put(id, result);
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("method", method);
        request.set("params", params);
        request.put("id", id);
        write(request).addListener(w -> {
            if (!w.isSuccess()) {
                fail(new OvsdbConnectionException(peer + ": write failed: " + w.cause(), w.cause()));
            }
        });
        if (failure != null) {
            failPending(failure);
        }
        return result;
    }

    public CompletableFuture<JsonNode> echo() {
        return call("echo", JsonNodeFactory.instance.arrayNode());
    }

    /**
     * Sends one transaction. The future fails with {@link OvsdbException} carrying OVSDB's error text when any
     * operation (or the commit, reported after the last operation) has an {@code error}.
     */
    public CompletableFuture<List<JsonNode>> transact(List<Operation> operations) {
        ArrayNode params = JsonNodeFactory.instance.arrayNode().add(DATABASE);
        operations.forEach(op -> params.add(op.toJson()));
        return call("transact", params).thenApply(result -> checkTransaction(operations, result));
    }

    /** Starts {@code monitor} of the given tables' columns; the reply is the initial contents. */
    public CompletableFuture<JsonNode> monitor(String monitorId, Map<String, List<String>> columnsByTable) {
        ObjectNode requests = JsonNodeFactory.instance.objectNode();
        columnsByTable.forEach((table, columns) -> {
            ObjectNode r = requests.putObject(table);
            ArrayNode cs = r.putArray("columns");
            columns.forEach(cs::add);
        });
        ArrayNode params = JsonNodeFactory.instance.arrayNode().add(DATABASE).add(monitorId).add(requests);
        return call("monitor", params);
    }

    public void close() {
        fail(new OvsdbConnectionException(peer + ": closed by Weft"));
    }

    static List<JsonNode> checkTransaction(List<Operation> operations, JsonNode result) {
        if (result == null || !result.isArray()) {
            throw new OvsdbException("protocol error", "transact result is not an array: " + result);
        }
        List<JsonNode> results = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            JsonNode r = result.get(i);
            if (r != null && r.hasNonNull("error")) {
                String what = i < operations.size() ? "operation " + i + " (" + operations.get(i).toJson().path("op")
                        .asText() + ")" : "commit";
                String details = r.path("details").asText("");
                throw new OvsdbException(r.get("error").asText(), "transaction failed at " + what + ": "
                        + r.get("error").asText() + (details.isEmpty() ? "" : ": " + details));
            }
            results.add(r);
        }
        return results;
    }

    // ---- called by OvsdbChannelHandler on the event loop ----

    void received(JsonNode message) {
        if (!message.isObject()) {
            throw new OvsdbConnectionException(peer + ": protocol error: top-level JSON value is not an object: "
                    + abbreviate(message));
        }
        JsonNode method = message.get("method");
        JsonNode id = message.get("id");
        if (method != null && method.isTextual()) {
            handleRequest(method.asText(), message.path("params"), id);
            return;
        }
        if (id == null || !id.canConvertToLong() || !id.isIntegralNumber()) {
            throw new OvsdbConnectionException(peer + ": protocol error: response without a request id we sent: "
                    + abbreviate(message));
        }
        CompletableFuture<JsonNode> waiting = pending.remove(id.asLong());
        if (waiting == null) {
            throw new OvsdbConnectionException(peer + ": protocol error: response to unknown request id " + id);
        }
        JsonNode error = message.get("error");
        if (error != null && !error.isNull()) {
            String tag = error.isTextual() ? error.asText() : error.path("error").asText(error.toString());
            waiting.completeExceptionally(new OvsdbException(tag, peer + ": request failed: " + error));
        } else {
            waiting.complete(message.get("result"));
        }
    }

    private void handleRequest(String method, JsonNode params, JsonNode id) {
        boolean notification = id == null || id.isNull();
        if (method.equals("echo") && !notification) {
            ObjectNode reply = JsonNodeFactory.instance.objectNode();
            reply.set("result", params);
            reply.putNull("error");
            reply.set("id", id);
            write(reply);
        } else if (notification) {
            notificationHandler.accept(method, params);
        } else {
            ObjectNode reply = JsonNodeFactory.instance.objectNode();
            reply.putNull("result");
            reply.put("error", "unknown method " + method);
            reply.set("id", id);
            write(reply);
        }
    }

    /** First failure wins; pending calls fail with it and the channel closes. */
    void fail(OvsdbConnectionException cause) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = cause;
        }
        if (!cause.getMessage().endsWith("closed by Weft")) {
            // A peer that fails the same way on every reconnect (a bad certificate) is logged once a minute.
            // Keyed by who (an accepted peer without its ephemeral port) and what went wrong.
            String who = peer.contains(" <- ") ? peer.replaceFirst(":\\d+$", "") : peer;
            FAILURES.admit(who + " " + cause.getMessage().replace(peer, "")).ifPresent(heldBack -> LOG.warn(
                    "OVSDB connection {} failed: {}{}", peer, cause.getMessage(),
                    LogThrottle.heldBackNote(heldBack, FAILURES.interval())));
        }
        failPending(cause);
        channel.close().addListener(c -> closed.completeExceptionally(cause));
    }

    private void failPending(OvsdbConnectionException cause) {
        for (Long id : List.copyOf(pending.keySet())) {
            CompletableFuture<JsonNode> f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(cause);
            }
        }
    }

    private io.netty.channel.ChannelFuture write(JsonNode message) {
        try {
            return channel.writeAndFlush(Unpooled.wrappedBuffer(OvsdbCodec.MAPPER.writeValueAsBytes(message)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + message, e);
        }
    }

    static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Override
    public String toString() {
        return "OvsdbConnection[" + peer + "]";
    }
}
