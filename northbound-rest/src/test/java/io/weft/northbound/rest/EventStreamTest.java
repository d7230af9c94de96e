package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.events.ControllerEvent;
import io.weft.controller.events.ControllerEvent.Channel;
import io.weft.controller.events.EventBus;
import io.weft.ovsdb.SslConfig;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/v1/events against a stand-in controller whose events the test publishes. */
class EventStreamTest {

    private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static SseReader.Event next(SseReader r) throws InterruptedException {
        return r.next(WAIT).orElseThrow(() -> new AssertionError("no event within " + WAIT));
    }

    private static JsonNode json(String text) throws Exception {
        return WeftClient.JSON.readTree(text);
    }

    @Test
    void eachEventIsItsIdTypeAndOneLineOfJsonInTheOrderPublished() throws Exception {
        try (TestServer bed = new TestServer(); SseReader events = SseReader.open(bed.client, Optional.empty())) {
            assertThat(events.response().statusCode()).isEqualTo(200);
            assertThat(events.response().headers().firstValue("Content-Type")).get().asString()
                    .startsWith("text/event-stream");
            SseReader.Event resync = next(events);
            assertThat(resync.type()).as("nothing to resume: re-read the state").isEqualTo("resync");
            assertThat(resync.idNumber()).isEqualTo(bed.view.events.lastId());

            EventBus bus = bed.view.events;
            bus.publish(new ControllerEvent.HostConnected(AT, "h1", Channel.OPENFLOW));
            bus.publish(new ControllerEvent.TunnelsChanged(AT, "h1", List.of("vxlan-h2", "gre-h2")));
            bus.publish(new ControllerEvent.EndpointBound(AT, "red", "c1", "h1", "10.0.0.5", "02:42:0a:00:00:05"));
            bus.publish(new ControllerEvent.FlowsInstalled(AT, "h2", 7, 12, 40, 1.5));
            bus.publish(new ControllerEvent.Failure(AT, Optional.empty(), "endpoint red/c9 cannot be bound"));
            bus.publish(new ControllerEvent.EndpointRemoved(AT, "red", "c1", "h1"));

            List<SseReader.Event> got = List.of(next(events), next(events), next(events), next(events),
                    next(events), next(events));
            assertThat(got).extracting(SseReader.Event::type).containsExactly("host-connected", "tunnels-changed",
                    "endpoint-bound", "flows-installed", "error", "endpoint-removed");
            assertThat(got).extracting(SseReader.Event::idNumber).isSorted().doesNotHaveDuplicates()
                    .endsWith(bus.lastId());
            assertThat(got.get(0).data()).isEqualTo(json(
                    "{\"host\":\"h1\",\"channel\":\"openflow\",\"at\":\"2026-11-28T10:00:00Z\"}"));
            assertThat(got.get(1).data()).isEqualTo(json("{\"host\":\"h1\",\"tunnelPorts\":[\"vxlan-h2\",\"gre-h2\"],"
                    + "\"at\":\"2026-11-28T10:00:00Z\"}"));
            assertThat(got.get(2).data()).isEqualTo(json("{\"network\":\"red\",\"endpoint\":\"c1\",\"host\":\"h1\","
                    + "\"ip\":\"10.0.0.5\",\"mac\":\"02:42:0a:00:00:05\",\"at\":\"2026-11-28T10:00:00Z\"}"));
            assertThat(got.get(3).data()).isEqualTo(json("{\"host\":\"h2\",\"revision\":7,\"flowMods\":12,"
                    + "\"flows\":40,\"ms\":1.5,\"at\":\"2026-11-28T10:00:00Z\"}"));
            assertThat(got.get(4).data()).isEqualTo(json("{\"message\":\"endpoint red/c9 cannot be bound\","
                    + "\"at\":\"2026-11-28T10:00:00Z\"}"));
            assertThat(got.get(5).data()).isEqualTo(json("{\"network\":\"red\",\"endpoint\":\"c1\",\"host\":\"h1\","
                    + "\"at\":\"2026-11-28T10:00:00Z\"}"));
        }
    }

    @Test
    void aClientResumesAfterTheLastIdItSawByHeaderOrQuery() throws Exception {
        try (TestServer bed = new TestServer()) {
            EventBus bus = bed.view.events;
            for (String n : List.of("blue", "green", "yellow")) {
                bus.publish(new ControllerEvent.NetworkCreated(AT, n));
            }
            long blue = bus.lastId() - 2;
            try (SseReader byHeader = SseReader.open(bed.client, Optional.of(Long.toString(blue)))) {
                assertThat(List.of(next(byHeader), next(byHeader))).extracting(e -> e.data().path("network")
                        .asText()).containsExactly("green", "yellow");
            }
            HttpResponse<InputStream> byQuery = bed.client.stream("/api/v1/events?since=" + (blue + 1),
                    Map.of("Accept", "text/event-stream"));
            try (java.io.BufferedReader body = new java.io.BufferedReader(new java.io.InputStreamReader(
                    byQuery.body()))) {
                assertThat(List.of(body.readLine(), body.readLine(), body.readLine())).containsExactly(
                        "id: " + bus.lastId(), "event: network-created",
                        "data: " + EventJson.of(new ControllerEvent.NetworkCreated(AT, "yellow")));
            }
        }
    }

    @Test
    void aResumeIdThatIsNoNumberIsABadRequestAndAClientThatWantsNoEventStreamIsNotAcceptable() throws Exception {
        try (TestServer bed = new TestServer()) {
            HttpResponse<String> bad = bed.client.get("/api/v1/events?since=yesterday");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("yesterday");
            HttpResponse<String> json = bed.client.get("/api/v1/events");
            assertThat(json.statusCode()).isEqualTo(406);
            assertThat(json.headers().firstValue("Content-Type")).get().asString()
                    .startsWith("application/problem+json");
            assertThat(json.body()).contains("Accept: text/event-stream");
        }
    }

    @Test
    void aClientThatDoesNotReadIsDroppedAndThePublisherNeverWaitsForIt() throws Exception {
        try (TestServer bed = new TestServer(); SseReader reader = SseReader.open(bed.client, Optional.empty())) {
            next(reader);
            HttpResponse<InputStream> stalled = bed.client.stream("/api/v1/events",
                    Map.of("Accept", "text/event-stream"));
            String big = "x".repeat(2000);
            int published = 20_000; // 40 MB: far more than the socket buffers and the stalled client's queue hold
            // Published in batches that the reading client takes in between, as a client that keeps up would: the
            // stalled client never reads, and publishing never waits for it.
            long last = -1;
            for (int batch = 0; batch < published; batch += 500) {
                for (int i = batch; i < batch + 500; i++) {
                    bed.view.events.publish(new ControllerEvent.Failure(AT, Optional.of("h" + i), big));
                }
                for (int i = batch; i < batch + 500; i++) {
                    SseReader.Event e = next(reader);
                    assertThat(e.data().path("host").asText()).isEqualTo("h" + i);
                    assertThat(e.idNumber()).isGreaterThan(last);
                    last = e.idNumber();
                }
            }

            // The stalled client's stream ends (what the socket buffers held, then nothing): it was dropped.
            CompletableFuture<byte[]> rest = CompletableFuture.supplyAsync(() -> {
                try (InputStream body = stalled.body()) {
                    return body.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String read = new String(rest.get(60, TimeUnit.SECONDS));
            long events = read.lines().filter(l -> l.startsWith("event: error")).count();
            assertThat(events).isGreaterThan(0).isLessThan(published);
        }
    }

    @Test
    void worksOverHttpsWithABearerTokenAndRefusesWithoutOne() throws Exception {
        Certificates.selfSigned(dir, "ec");
        SslConfig files = new SslConfig(dir.resolve("key.pem"), dir.resolve("cert.pem"), dir.resolve("cert.pem"));
        try (TestServer bed = new TestServer(c -> c.withTls(files).withTokens(TestServer.tokens()))) {
            javax.net.ssl.SSLContext trust = Certificates.trusting(files.certificate());
            try (SseReader events = SseReader.open(bed.reader.overHttps(trust), Optional.empty())) {
                assertThat(next(events).type()).isEqualTo("resync");
                bed.view.events.publish(new ControllerEvent.NetworkRemoved(AT, "red"));
                assertThat(next(events).data().path("network").asText()).isEqualTo("red");
            }
            HttpResponse<InputStream> anonymous = bed.anonymous.overHttps(trust).stream("/api/v1/events",
                    Map.of("Accept", "text/event-stream"));
            assertThat(anonymous.statusCode()).isEqualTo(401);
            anonymous.body().close();
        }
    }

    /**
     * Streams ended every way (a client that went away, a slow one dropped, the server stopped under open ones)
     * leave the web server quiet: Javalin's asynchronous SSE once completed requests Jetty had recycled, and its error
     * handling then looped on them, logging without end (seen 1 run in 3).
     */
    @Test
    void streamsEndingEveryWayLeaveNoErrorBehind() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            for (int round = 0; round < 3; round++) {
                TestServer bed = new TestServer();
                SseReader kept = SseReader.open(bed.client, Optional.empty());
                next(kept);
                HttpResponse<InputStream> gone = bed.client.stream("/api/v1/events",
                        Map.of("Accept", "text/event-stream"));
                gone.body().close();
                bed.view.events.publish(new ControllerEvent.Failure(AT, Optional.empty(), "after a client left"));
                assertThat(next(kept).type()).isEqualTo("error");
                bed.close(); // with a stream open
                kept.close();
            }
            // The servers are stopped; a loop on a dead request would go on logging from their threads.
            java.util.function.Supplier<List<String>> warnings = () -> List.copyOf(log.list).stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
            org.awaitility.Awaitility.await("no warning for half a second").during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2)).until(() -> warnings.get().isEmpty());
            assertThat(warnings.get()).isEmpty();
        } finally {
            root.detachAppender(log);
        }
    }
}
