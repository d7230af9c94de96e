package io.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.SseReader;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.TestBedExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14: the event stream read by an HTTP client while a real controller builds a real bed: hosts registered
 * connect and get their tunnels, an endpoint announced is bound after its flows are installed, one deleted is removed.
 */
class EventsE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("twosites");

    static WeftProcess weft;
    static WeftClient api;

    @BeforeAll
    static void startController() throws Exception {
        weft = new WeftProcess(Files.createTempDirectory("weft-e2e-")).start();
        api = weft.client();
    }

    @AfterAll
    static void stopController() throws Exception {
        weft.close();
    }

    /** Reads events until one matches {@code last}; all of them, in order, that one last. */
    private static List<SseReader.Event> until(SseReader events, Predicate<SseReader.Event> last, String what) {
        List<SseReader.Event> seen = new ArrayList<>();
        await(what + " (seen: " + seen + ")").atMost(E2eSupport.CONVERGE).until(() -> {
            Optional<SseReader.Event> e = events.next(Duration.ofMillis(200));
            e.ifPresent(seen::add);
            return e.isPresent() && last.test(e.get());
        });
        return seen;
    }

    private static Predicate<SseReader.Event> is(String type, String field, String value) {
        return e -> e.type().equals(type) && e.data().path(field).asText().equals(value);
    }

    private static int indexOf(List<SseReader.Event> events, Predicate<SseReader.Event> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aScenarioReadFromTheStreamInOrder() throws Exception {
        try (SseReader events = SseReader.open(api, Optional.empty())) {
            assertThat(events.next(E2eSupport.CONVERGE).orElseThrow().type()).isEqualTo("resync");

            api.addHost(BED.host("h1"));
            List<SseReader.Event> h1 = until(events, e -> e.type().equals("host-connected")
                    && e.data().path("host").asText().equals("h1")
                    && e.data().path("channel").asText().equals("openflow"), "h1 connected over OpenFlow");
            assertThat(indexOf(h1, is("host-connected", "channel", "ovsdb"))).as("OVSDB first").isGreaterThanOrEqualTo(0)
                    .isLessThan(h1.size() - 1);

            api.addHost(BED.host("h2"));
            List<SseReader.Event> tunnels = until(events, e -> e.type().equals("tunnels-changed")
                    && e.data().path("host").asText().equals("h1")
                    && e.data().path("tunnelPorts").toString().contains("vxlan-h2"), "h1's tunnels toward h2");
            assertThat(tunnels.get(tunnels.size() - 1).data().path("tunnelPorts")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("vxlan-h2", "gre-h2");

            api.addNetwork("red", "vxlan", "10.65.10.0/24", "10.65.10.254");
            until(events, is("network-created", "network", "red"), "red created");

            BedContainer c1 = BED.container("c1");
            api.announce(c1, "red");
            List<SseReader.Event> bound = until(events, is("endpoint-bound", "endpoint", "c1"), "c1 bound");
            SseReader.Event b = bound.get(bound.size() - 1);
            assertThat(b.data().path("network").asText()).isEqualTo("red");
            assertThat(b.data().path("host").asText()).isEqualTo("h1");
            assertThat(b.data().path("ip").asText()).isEqualTo(c1.ip());
            assertThat(b.data().path("mac").asText()).isEqualTo(c1.mac());
            int installed = indexOf(bound, is("flows-installed", "host", "h1"));
            assertThat(installed).as("h1's flows installed before c1 is bound: %s", bound).isGreaterThanOrEqualTo(0);
            SseReader.Event flows = bound.get(installed);
            assertThat(flows.data().path("flowMods").asInt()).isPositive();
            assertThat(flows.data().path("flows").asInt()).isPositive();
            assertThat(flows.data().has("ms")).isTrue();
            assertThat(bound).extracting(SseReader.Event::idNumber).isSorted().doesNotHaveDuplicates();

            assertThat(api.remove("red", "c1", true).statusCode()).isEqualTo(200);
            List<SseReader.Event> removed = until(events, is("endpoint-removed", "endpoint", "c1"), "c1 removed");
            assertThat(removed.get(removed.size() - 1).data().path("host").asText()).isEqualTo("h1");
            assertThat(indexOf(removed, is("flows-installed", "host", "h1"))).as("its flows taken out first: %s",
                    removed).isGreaterThanOrEqualTo(0);

            // A client that lost its connection resumes after the last id it saw: nothing lost, nothing repeated.
            long lastSeen = removed.get(removed.size() - 1).idNumber();
            api.delete("/api/v1/networks/red");
            try (SseReader resumed = SseReader.open(api, Optional.of(Long.toString(lastSeen)))) {
                List<SseReader.Event> after = until(resumed, is("network-removed", "network", "red"),
                        "red removed, replayed or live");
                assertThat(after.get(0).type()).isNotEqualTo("resync");
                assertThat(after.get(0).idNumber()).isGreaterThan(lastSeen);
            }
        }
    }
}
