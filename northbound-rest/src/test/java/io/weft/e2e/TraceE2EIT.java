package io.weft.e2e;

import static io.weft.e2e.E2eSupport.CONVERGE;
import static io.weft.e2e.E2eSupport.assertReaches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import io.weft.testbed.TestBedExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14's trace and counters on the real bed ({@code redgreen}: red c1 on h1 and c2 on h2, green c3 on h1 and c4
 * on h2, both networks on 10.65.10.0/24). The controller runs without drift audits ({@code --audit-interval-ms 0}),
 * so a flow deleted by hand stays deleted until the test puts it back: the trace is shown what the switch holds.
 */
class TraceE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("redgreen");

    static WeftProcess weft;
    static WeftClient api;

    @BeforeAll
    static void provision() throws Exception {
        weft = new WeftProcess(Files.createTempDirectory("weft-e2e-")).start("--audit-interval-ms", "0");
        api = weft.client();
        api.addHost(BED.host("h1"));
        api.addHost(BED.host("h2"));
        api.addNetwork("red", "vxlan", "10.65.10.0/24", "10.65.10.254");
        api.addNetwork("green", "vxlan", "10.65.10.0/24", "10.65.10.254");
        for (BedContainer c : BED.containers()) {
            api.announce(c, c.network());
        }
        assertReaches(BED.container("c1"), BED.container("c2"));
    }

    @AfterAll
    static void stop() throws Exception {
        weft.close();
    }

    private static JsonNode trace(String query) {
        return api.expect(200, "GET", "/api/v1/trace?" + query, null);
    }

    private static int vni(String network) {
        return api.expect(200, "GET", "/api/v1/networks/" + network, null).path("vni").asInt();
    }

    @Test
    void anEchoFromRedC1ToRedC2CrossesTheTunnelWithRedsVniAndIsDelivered() {
        JsonNode t = trace("network=red&from=c1&to=c2");

        assertThat(t.path("verdict").asText()).as(t.toString()).isEqualTo("delivered");
        BedContainer c2 = BED.container("c2");
        assertThat(t.path("deliveredTo").path("host").asText()).isEqualTo("h2");
        assertThat(t.path("deliveredTo").path("endpoint").asText()).isEqualTo("c2");
        assertThat(t.path("deliveredTo").path("port").asText()).isEqualTo(c2.hostInterface());
        assertThat(t.path("reason").asText()).isEqualTo("delivered on h2 to c2 (port " + c2.hostInterface()
                + "), through the tunnel from h1 with VNI " + vni("red"));
        List<String> path = new ArrayList<>();
        t.path("steps").forEach(s -> path.add(s.path("host").asText() + ":" + s.path("tableName").asText()));
        assertThat(path).containsExactly("h1:classifier", "h1:l3_gateway", "h1:l2_forward", "h2:classifier",
                "h2:tunnel_ingress", "h2:l2_forward");
        JsonNode tunnelled = t.path("steps").get(2);
        assertThat(tunnelled.path("vni").asInt()).isEqualTo(vni("red"));
        assertThat(tunnelled.path("endpoint").asText()).isEqualTo("c2");
        assertThat(tunnelled.path("network").asText()).isEqualTo("red");
        assertThat(t.path("differences").isEmpty()).isTrue();
    }

    @Test
    void aDnsQueryToTheGatewayIsSentToTheControllerByTheFlowsTheSwitchHolds() {
        JsonNode t = trace("network=red&from=c1&to=10.65.10.254&proto=udp&dstPort=53");

        assertThat(t.path("verdict").asText()).as(t.toString()).isEqualTo("delivered");
        assertThat(t.path("deliveredTo").path("port").asText()).isEqualTo("controller");
        assertThat(t.path("reason").asText()).startsWith("sent to the controller by h1's switch: a DNS query");
        assertThat(t.path("steps").get(1).path("explanation").asText()).startsWith("a DNS query (UDP to port 53");
        assertThat(t.path("differences").isEmpty()).isTrue();
        JsonNode tcp = trace("network=red&from=c1&to=10.65.10.254&proto=tcp&dstPort=53");
        assertThat(tcp.path("deliveredTo").path("port").asText()).as(tcp.toString()).isEqualTo("controller");
        assertThat(tcp.path("steps").get(1).path("explanation").asText()).startsWith("a DNS query (TCP to port 53");
        assertThat(tcp.path("differences").isEmpty()).isTrue();
    }

    @Test
    void redC1ToGreenC4sAddressIsDroppedBecauseTheNetworksAreIsolated() {
        BedContainer c4 = BED.container("c4");
        JsonNode t = trace("network=red&from=c1&to=" + c4.ip());

        assertThat(t.path("verdict").asText()).isEqualTo("dropped");
        assertThat(t.path("reason").asText()).isEqualTo("dropped on h1: network red (VNI " + vni("red")
                + ") has no endpoint " + c4.ip() + ", so c1's ARP request for it goes unanswered; " + c4.ip()
                + " is c4 in network green (VNI " + vni("green") + "): red and green are isolated");
        assertThat(t.path("deliveredTo").isMissingNode()).isTrue();
    }

    @Test
    void aSpoofedSourceIsDroppedByPortSecurity() {
        BedContainer c1 = BED.container("c1");
        JsonNode t = trace("network=red&from=c1&to=c2&srcIp=10.65.10.99");

        assertThat(t.path("verdict").asText()).isEqualTo("dropped");
        assertThat(t.path("reason").asText()).isEqualTo("dropped on h1 by port security: c1 may send only as MAC "
                + c1.mac() + " and IP " + c1.ip() + ", this packet's source is MAC " + c1.mac() + ", IP 10.65.10.99");
        assertThat(t.path("steps")).singleElement().satisfies(s ->
                assertThat(s.path("tableName").asText()).isEqualTo("classifier"));
    }

    @Test
    void aFlowDeletedByHandIsListedAndTheTraceFollowsWhatTheSwitchHolds() {
        BedHost h2 = BED.host("h2");
        BedContainer c2 = BED.container("c2");
        String c2Delivery = "table=30,dl_dst=" + c2.mac();
        String held = h2.ofctl("dump-flows", "br-int", c2Delivery).orThrow().stdout();
        assertThat(held).contains("output:");
        h2.ofctl("del-flows", "br-int", c2Delivery).orThrow();
        try {
            JsonNode t = trace("network=red&from=c1&to=c2");

            assertThat(t.path("verdict").asText()).isEqualTo("dropped");
            assertThat(t.path("reason").asText()).startsWith("dropped on h2 in l2_forward: no flow there sends it on "
                    + "toward c2");
            assertThat(t.path("differences")).singleElement().satisfies(d -> {
                assertThat(d.path("host").asText()).isEqualTo("h2");
                assertThat(d.path("missing")).singleElement().satisfies(m -> assertThat(m.asText())
                        .contains("table=30").contains("dl_dst=" + c2.mac()));
                assertThat(d.path("unexpected").isEmpty()).isTrue();
            });
        } finally {
            // Put back what was deleted (no audit runs here to do it): the line as dumped, without its counters.
            h2.ofctl("add-flow", "br-int", held.lines().filter(l -> l.contains("output:")).findFirst().orElseThrow()
                    .replaceAll("(duration|n_packets|n_bytes|idle_age)=[^,]*, ?", "").trim()).orThrow();
        }
        assertThat(trace("network=red&from=c1&to=c2").path("verdict").asText()).isEqualTo("delivered");
    }

    @Test
    void anEndpointsCountersRiseByAtLeastThePingsItSentAndAnswered() {
        JsonNode before = counters("c1");
        int pings = 3;
        BedContainer c1 = BED.container("c1");
        assertThat(c1.ping(BED.container("c2").ip(), pings, Duration.ofSeconds(10))).isTrue();

        // The switch folds its datapath's counts into its flows' within about a second: read until they show.
        await("c1's counters count its pings").atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode after = counters("c1");
            assertThat(after.path("txPackets").asLong() - before.path("txPackets").asLong())
                    .isGreaterThanOrEqualTo(pings);
            assertThat(after.path("rxPackets").asLong() - before.path("rxPackets").asLong())
                    .isGreaterThanOrEqualTo(pings);
            assertThat(after.path("txBytes").asLong() - before.path("txBytes").asLong())
                    .isGreaterThanOrEqualTo(pings * 98L);
            assertThat(after.path("rxBytes").asLong() - before.path("rxBytes").asLong())
                    .isGreaterThanOrEqualTo(pings * 98L);
        });
    }

    private static JsonNode counters(String endpoint) {
        JsonNode e = api.expect(200, "GET", "/api/v1/networks/red/endpoints/" + endpoint, null);
        assertThat(e.path("counters").isObject()).as(e.toString()).isTrue();
        return e.path("counters");
    }
}
