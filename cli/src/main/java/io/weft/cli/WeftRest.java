package io.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The commands' one client of Weft's REST API, on java.net.http: JSON in and out, an optional bearer token, HTTPS
 * trusting a given CA. A reply that is not a success becomes an {@link ApiException} carrying the problem's
 * {@code detail} and the exit status it means.
 */
final class WeftRest {

    static final String BASE = "/api/v1";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** A waited write: the controller answers when its wait (at most 10 min) is over, 202 if it ran out. */
    private static final Duration WAIT_TIMEOUT = Duration.ofMinutes(10).plus(CALL_TIMEOUT);

    /** A successful reply: its status (a waited write may answer 202) and JSON body, a null node when empty. */
    record Reply(int status, JsonNode body) {
    }

    private final URI root;
    private final HttpClient http;
    private final Optional<String> token;

    /** @param root scheme, host and port, e.g. {@code http://127.0.0.1:8080} */
    WeftRest(URI root, Optional<String> token, Optional<SSLContext> tls) {
        this.root = URI.create(root.toString().replaceAll("/+$", ""));
        this.token = token;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT);
        tls.ifPresent(b::sslContext);
        this.http = b.build();
    }

    /** {@code /api/v1/a/b}, each segment encoded: a name with a space stays one segment and gets its 404. */
    static String path(String... segments) {
        return BASE + Arrays.stream(segments).map(s -> "/" + URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")).collect(Collectors.joining());
    }

    static String query(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    JsonNode get(String path) {
        return send("GET", path, null).body();
    }

    /** @param pathAndQuery absolute, e.g. {@code /api/v1/networks?wait=true} */
    Reply send(String method, String pathAndQuery, JsonNode body) {
        HttpRequest.Builder b = request(pathAndQuery)
                .timeout(pathAndQuery.contains("wait=") ? WAIT_TIMEOUT : CALL_TIMEOUT)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = exchange(method, pathAndQuery,
                () -> http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
        if (r.statusCode() >= 300) {
            throw ApiException.ofStatus(r.statusCode(), detail(r.statusCode(), r.body()));
        }
        return new Reply(r.statusCode(), parse(r.body()));
    }

    /**
     * Opens a stream of lines (Server-Sent Events), without a timeout: it lasts as long as the controller sends.
     *
     * @param lastEventId sent as {@code Last-Event-ID}, so the controller replays what came after it
     */
    Stream<String> lines(String path, Optional<String> lastEventId) {
        HttpRequest.Builder b = request(path).header("Accept", "text/event-stream").GET();
        lastEventId.ifPresent(id -> b.header("Last-Event-ID", id));
        HttpResponse<Stream<String>> r = exchange("GET", path,
                () -> http.send(b.build(), HttpResponse.BodyHandlers.ofLines()));
        if (r.statusCode() >= 300) {
            String body;
            try (Stream<String> lines = r.body()) {
                body = lines.collect(Collectors.joining("\n"));
            }
            throw ApiException.ofStatus(r.statusCode(), detail(r.statusCode(), body));
        }
        return r.body();
    }

    URI root() {
        return root;
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + pathAndQuery));
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private interface Exchange<T> {
        HttpResponse<T> send() throws IOException, InterruptedException;
    }

    private <T> HttpResponse<T> exchange(String method, String path, Exchange<T> exchange) {
        try {
            return exchange.send();
        } catch (SSLException e) {
            throw new ApiException(Exit.UNAVAILABLE, 0, "cannot reach Weft at " + root + " over TLS: " + e.getMessage()
                    + " (--ca names the PEM CA that signed the controller's certificate)");
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new ApiException(Exit.UNAVAILABLE, 0, "cannot reach Weft at " + root + ": " + reason(e)
                    + " (is the controller running? --url or WEFT_URL says where it is)");
        } catch (HttpTimeoutException e) {
            throw new ApiException(Exit.UNAVAILABLE, 0, "Weft at " + root + " did not answer " + method + " " + path
                    + " in time");
        } catch (IOException e) {
            throw new ApiException(Exit.UNAVAILABLE, 0, "Weft at " + root + " failed " + method + " " + path + ": "
                    + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(Exit.UNAVAILABLE, 0, "interrupted during " + method + " " + path);
        }
    }

    private static String reason(Exception e) {
        if (e instanceof ConnectException && e.getMessage() == null) {
            return "connection refused"; // java.net.http says no more than that (its cause: a closed channel)
        }
        // java.net.http wraps the socket's error, often without a message of its own.
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** The problem's detail (RFC 9457), or the status and the start of whatever else came. */
    static String detail(int status, String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
        } catch (IOException notJson) {
            // said below
        }
        String text = body == null ? "" : body.strip();
        return "HTTP " + status + (text.isEmpty() ? "" : ": " + text.lines().findFirst().orElse(""));
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiException(Exit.UNAVAILABLE, 0, "the controller's reply is not JSON: " + e.getMessage());
        }
    }
}
