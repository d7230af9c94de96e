package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** weft events against a stand-in stream that the server cuts: one line per event, and a resume after the last. */
class EventsCommandTest {

    private static final String FIRST = SseParserTest.RECORDED;
    private static final String AFTER_42 = """
            id: 43
            event: endpoint-removed
            data: {"network":"red","endpoint":"c1","host":"h1","at":"2026-11-28T10:00:02Z"}

            """;

    @Test
    void printsOneLinePerEventAndResumesAfterTheLastOneWhenTheStreamIsCut() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        CountDownLatch seen = new CountDownLatch(1);
        try (FakeController api = new FakeController(e -> {
            int n = connections.incrementAndGet();
            if (n > 2) {
                // The third time the follower comes back, it is refused: that ends it.
                FakeController.reply(e, 401, "application/problem+json", "{\"detail\":\"token revoked\"}");
                return;
            }
            try {
                e.getResponseHeaders().set("Content-Type", "text/event-stream");
                e.sendResponseHeaders(200, 0);
                OutputStream out = e.getResponseBody();
                out.write((n == 1 ? FIRST : AFTER_42).getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (n == 2) {
                    seen.await(30, TimeUnit.SECONDS); // held open until the test saw every line
                }
                out.close(); // cut, as a restarting controller would
            } catch (IOException | InterruptedException ignored) {
                // the client went away
            }
        })) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            AtomicInteger status = new AtomicInteger(-1);
            Thread follower = new Thread(() -> status.set(new CommandLine(new EventsCommand())
                    .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute("--url", api.url())));
            follower.setDaemon(true);
            follower.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().lines().count() == 3);
            seen.countDown();
            follower.join(20_000);
            assertThat(status.get()).as("refused on its third connection").isEqualTo(Exit.REFUSED);
            assertThat(out.toString().lines()).containsExactly(
                    "2026-11-28T10:00:00Z  network-created  network=red",
                    "2026-11-28T10:00:01Z  endpoint-bound  network=red  endpoint=c1  host=h1  ip=10.65.10.2  "
                            + "mac=02:42:0a:41:0a:02",
                    "2026-11-28T10:00:02Z  endpoint-removed  network=red  endpoint=c1  host=h1");
            assertThat(api.requests.get(0).lastEventId()).isNull();
            assertThat(api.requests.get(1).lastEventId()).isEqualTo("42");
            assertThat(api.requests.get(1).pathAndQuery()).isEqualTo("/api/v1/events");
            assertThat(err.toString().lines()).containsExactly(
                    "weft: event stream lost (the controller closed it); reconnecting in 1000 ms after event 42",
                    "weft: event stream lost (the controller closed it); reconnecting in 1000 ms after event 43",
                    "weft: token revoked");
        }
    }

    @Test
    void jsonFormatPrintsEachEventsDataAsSent() {
        SseParser.Event event = new SseParser.Event(java.util.Optional.of("1"), "resync", "{\"at\":\"x\"}");
        assertThat(EventsCommand.line(event)).isEqualTo("x  resync");
        assertThat(EventsCommand.line(new SseParser.Event(java.util.Optional.empty(), "message", "not json")))
                .isEqualTo("message  not json");
    }

    @Test
    void aStreamThatCannotBeOpenedEndsTheCommandAsAnyRequestWould() throws Exception {
        try (FakeController api = new FakeController(e -> FakeController.reply(e, 401, "application/problem+json",
                "{\"status\":401,\"detail\":\"this request needs Authorization: Bearer TOKEN\"}"))) {
            Run r = Run.of(new EventsCommand(), "--url", api.url());
            assertThat(r.status()).isEqualTo(Exit.REFUSED);
            assertThat(r.err()).isEqualTo("weft: this request needs Authorization: Bearer TOKEN\n");
        }
    }
}
