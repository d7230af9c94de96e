package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.view.HostStatus;
import io.weft.flows.FlowCompiler;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.OfctlFormat;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/trace and an endpoint's counters over the controller stand-in: its switches hold the flows compiled for
 * red's c1 (h1) and c2 (h2), as a read returns them.
 */
class TraceApiTest {

    private TestServer bed;

    @BeforeEach
    void start() {
        bed = new TestServer().withFixture();
        bed.client.created("/api/v1/networks/red/endpoints", "{\"name\":\"c2\",\"host\":\"h2\",\"port\":\"veth-c2\","
                + "\"ip\":\"10.0.0.6\"}");
        bed.view.ofports.put("h1/veth-c1", 10);
        bed.view.ofports.put("h1/vxlan-h2", 1);
        bed.view.ofports.put("h2/veth-c2", 10);
        bed.view.ofports.put("h2/vxlan-h1", 1);
        for (String h : List.of("h1", "h2")) {
            bed.view.statuses.put(h, new HostStatus(h, true, true, Optional.empty(), List.of(), Optional.empty(), 0,
                    0, true, Optional.empty(), 1, Optional.empty(), 0, 0));
            List<FlowRule> flows = FlowCompiler.compile(bed.view.snapshot(), h).flows();
            bed.view.desired.put(h, flows);
            bed.view.installed.put(h, flows);
        }
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    private JsonNode trace(String query) {
        HttpResponse<String> r = bed.client.get("/api/v1/trace?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return WeftClient.json(r);
    }

    @Test
    void aDeliveredEchoAcrossHostsInTheContractsShape() {
        JsonNode t = trace("network=red&from=c1&to=c2");

        assertThat(t.path("network").asText()).isEqualTo("red");
        assertThat(t.path("from").asText()).isEqualTo("c1");
        assertThat(t.path("to").asText()).isEqualTo("c2");
        assertThat(t.path("proto").asText()).isEqualTo("icmp");
        assertThat(t.path("verdict").asText()).isEqualTo("delivered");
        assertThat(t.path("reason").asText()).isEqualTo("delivered on h2 to c2 (port veth-c2), through the tunnel "
                + "from h1 with VNI 100");
        assertThat(t.path("deliveredTo").path("host").asText()).isEqualTo("h2");
        assertThat(t.path("deliveredTo").path("endpoint").asText()).isEqualTo("c2");
        assertThat(t.path("deliveredTo").path("port").asText()).isEqualTo("veth-c2");
        JsonNode first = t.path("steps").get(0);
        for (String field : List.of("host", "table", "tableName", "priority", "match", "actions", "cookie", "network",
                "endpoint", "explanation")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        assertThat(first.has("vni")).as("vni only where the packet enters a tunnel").isFalse();
        List<JsonNode> tunnelled = new ArrayList<>();
        t.path("steps").forEach(s -> {
            if (s.has("vni")) {
                tunnelled.add(s);
            }
        });
        assertThat(tunnelled).singleElement().satisfies(s -> {
            assertThat(s.path("vni").asInt()).isEqualTo(100);
            assertThat(s.path("tableName").asText()).isEqualTo("l2_forward");
            assertThat(s.path("host").asText()).isEqualTo("h1");
        });
        assertThat(t.path("differences").isArray() && t.path("differences").isEmpty()).isTrue();
    }

    @Test
    void theTraceWalksWhatTheSwitchHoldsAndListsWhatDiffersFromWhatWeftWants() {
        FlowRule delivery = bed.view.desired.get("h2").stream()
                .filter(f -> f.tableId() == 30 && OfctlFormat.flow(f).contains("output:10")).findFirst().orElseThrow();
        List<FlowRule> held = new ArrayList<>(bed.view.desired.get("h2"));
        held.remove(delivery);
        bed.view.installed.put("h2", held);

        JsonNode t = trace("network=red&from=c1&to=c2&proto=udp&dstPort=5353");

        assertThat(t.path("verdict").asText()).isEqualTo("dropped");
        assertThat(t.path("reason").asText()).startsWith("dropped on h2 in l2_forward");
        assertThat(t.path("differences")).singleElement().satisfies(d -> {
            assertThat(d.path("host").asText()).isEqualTo("h2");
            assertThat(d.path("missing")).singleElement().satisfies(m ->
                    assertThat(m.asText()).isEqualTo(OfctlFormat.flow(delivery)));
            assertThat(d.path("unexpected").isEmpty()).isTrue();
        });
    }

    @Test
    void badQueriesAre400AndAHostThatCannotBeRead503() {
        assertProblem(bed.client.get("/api/v1/trace?network=blue&from=c1&to=c2"), 400, "network blue does not exist");
        assertProblem(bed.client.get("/api/v1/trace?network=red&from=c9&to=c2"), 400,
                "endpoint c9 does not exist in network red");
        assertProblem(bed.client.get("/api/v1/trace?network=red&from=c1&to=c2&proto=sctp"), 400, "proto 'sctp'");
        assertProblem(bed.client.get("/api/v1/trace?network=red&from=c1"), 400, "the query parameter to is required");
        assertProblem(bed.client.get("/api/v1/trace?network=red&from=c1&to=c2&proto=tcp&dstPort=http"), 400,
                "dstPort 'http'");

        bed.view.unreachable.put("h2", "its switch is not connected over OpenFlow");
        assertProblem(bed.client.get("/api/v1/trace?network=red&from=c1&to=c2"), 503,
                "host h2 cannot be read: its switch is not connected over OpenFlow");
        // A path that stays on h1 does not need h2.
        assertThat(trace("network=red&from=c1&to=c2&proto=arp").path("verdict").asText()).isEqualTo("delivered");
    }

    @Test
    void anEndpointsCountersComeFromItsHostsFlowsAndSayWhyWhenTheyCannot() {
        bed.view.installed.get("h1").forEach(f -> bed.view.counted.put(f, 3L));

        JsonNode c1 = WeftClient.json(bed.client.get("/api/v1/networks/red/endpoints/c1"));
        assertThat(c1.path("name").asText()).isEqualTo("c1");
        JsonNode counters = c1.path("counters");
        // tx: c1's two port-security flows; rx: its delivery, ARP and echo reply flows; 3 packets of 100 bytes each.
        assertThat(counters.path("txPackets").asLong()).isEqualTo(6);
        assertThat(counters.path("txBytes").asLong()).isEqualTo(600);
        assertThat(counters.path("rxPackets").asLong()).isEqualTo(9);
        assertThat(counters.path("rxBytes").asLong()).isEqualTo(900);
        assertThat(counters.path("at").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(c1.has("countersUnavailable")).isFalse();

        bed.view.unreachable.put("h1", "its switch is not connected over OpenFlow");
        JsonNode unread = WeftClient.json(bed.client.get("/api/v1/networks/red/endpoints/c1"));
        assertThat(unread.has("counters") && unread.path("counters").isNull()).isTrue();
        assertThat(unread.path("countersUnavailable").asText())
                .isEqualTo("host h1 cannot be read: its switch is not connected over OpenFlow");

        JsonNode list = WeftClient.json(bed.client.get("/api/v1/networks/red/endpoints"));
        assertThat(list.get(0).has("counters")).as("a list reads no switch").isFalse();
    }

    private static void assertProblem(HttpResponse<String> r, int status, String detail) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith(Problem.CONTENT_TYPE);
        assertThat(WeftClient.json(r).path("detail").asText()).contains(detail);
    }
}
