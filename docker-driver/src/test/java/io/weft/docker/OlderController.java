package io.weft.docker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection: a controller older than endpoints' hostnames, in front of a real one. It passes every request
 * through, except that it refuses a {@code PUT .../aliases} carrying {@code hostname} as such a controller's strict
 * JSON does (400, unknown field), until {@link #upgrade()}.
 */
final class OlderController implements AutoCloseable {

    /** What the controller before hostnames answered (its Problem for an unknown field of the aliases' body). */
    private static final String REFUSAL = "{\"type\":\"urn:weft:problem:unknown-field\",\"title\":\"Bad Request\","
            + "\"status\":400,\"detail\":\"unknown field 'hostname' in the aliases: known fields are aliases\"}";

    private final HttpServer server;
    private final URI upstream;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile boolean upgraded;
    final AtomicInteger namesPuts = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    OlderController(URI upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void upgrade() {
        upgraded = true;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String method = ex.getRequestMethod();
            if (method.equals("PUT") && ex.getRequestURI().getPath().endsWith("/aliases")) {
                namesPuts.incrementAndGet();
                if (!upgraded && new String(body, StandardCharsets.UTF_8).contains("\"hostname\"")) {
                    refused.incrementAndGet();
                    reply(ex, 400, REFUSAL.getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(ex.getRequestURI().toString()))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
                b.header("Content-Type", type);
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            reply(ex, r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
