package io.weft.northbound.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of {@code GET /api/v1/events} as a script would be: reads the Server-Sent Events framing (id, event, data
 * lines, a blank line ends each; comments start with a colon) on a thread of its own, for tests to take in order.
 */
public final class SseReader implements AutoCloseable {

    /** One event as sent: its id, its type and its data (one JSON object). */
    public record Event(String id, String type, JsonNode data) {
        public long idNumber() {
            return Long.parseLong(id);
        }
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final Thread reader;
    private volatile boolean ended;

    private SseReader(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-reader");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        }
    }

    /** Opens the stream, resuming after {@code lastEventId} if given. */
    public static SseReader open(WeftClient client, Optional<String> lastEventId) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Accept", "text/event-stream"));
        lastEventId.ifPresent(id -> headers.put("Last-Event-ID", id));
        return new SseReader(client.stream("/api/v1/events", headers));
    }

    /**
     * Opens {@code GET /api/v1/events} and answers with its status and headers, and its body when it is a problem;
     * a stream that opened is closed at once.
     */
    public static HttpResponse<String> status(WeftClient client, String query) {
        HttpResponse<InputStream> r = client.stream("/api/v1/events" + query, Map.of("Accept", "text/event-stream"));
        String body;
        try (InputStream in = r.body()) {
            body = r.statusCode() == 200 ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HttpResponse<>() {
            @Override
            public int statusCode() {
                return r.statusCode();
            }

            @Override
            public java.net.http.HttpRequest request() {
                return r.request();
            }

            @Override
            public Optional<HttpResponse<String>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public java.net.http.HttpHeaders headers() {
                return r.headers();
            }

            @Override
            public String body() {
                return body;
            }

            @Override
            public Optional<javax.net.ssl.SSLSession> sslSession() {
                return r.sslSession();
            }

            @Override
            public java.net.URI uri() {
                return r.uri();
            }

            @Override
            public java.net.http.HttpClient.Version version() {
                return r.version();
            }
        };
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    /** The next event, waiting at most {@code timeout}. */
    public Optional<Event> next(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** The events read so far, without waiting. */
    public List<Event> drain() {
        List<Event> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    /** Comment lines read so far (keepalives). */
    public int comments() {
        return comments.get();
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return ended;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            String id = null;
            String type = "message";
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, type, WeftClient.JSON.readTree(data.toString())));
                    }
                    id = null;
                    type = "message";
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(6));
                } else {
                    throw new IllegalStateException("not a line of an event stream: " + line);
                }
            }
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw new UncheckedIOException(e);
            }
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            response.body().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
