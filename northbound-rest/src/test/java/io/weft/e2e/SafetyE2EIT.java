package io.weft.e2e;

import static io.weft.e2e.E2eSupport.assertReaches;
import static io.weft.e2e.E2eSupport.flows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import io.weft.testbed.TestBedExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, items 1, 3 and 4 on the real bed: flows changed on a switch behind Weft's back are found, repaired and
 * reported; a host Weft cannot reach is isolated (it shows why, the others go on, the controller still restarts) and
 * a wait names it only when the change concerns it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SafetyE2EIT {

    /** Audits read the flow counts every 2 s: repair within a few of them. */
    private static final Duration REPAIR = Duration.ofSeconds(15);

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("onelan,hosts=2,containers=1");

    static WeftProcess weft;
    static WeftClient api;

    @BeforeAll
    static void provision() throws Exception {
        weft = new WeftProcess(Files.createTempDirectory("weft-e2e-")).start();
        api = weft.client();
        E2eSupport.provisionNet1(api, BED);
    }

    @AfterAll
    static void stop() throws Exception {
        weft.close();
    }

    @Test
    @Order(1)
    void aWeftFlowDeletedByHandIsRestoredAndReported() throws Exception {
        BedContainer c1 = BED.container("c1");
        BedContainer c2 = BED.container("c2");
        BedHost h1 = BED.host("h1");
        String toC1 = "table=30,dl_dst=" + c1.mac();
        assertThat(flows(h1)).contains("dl_dst=" + c1.mac());
        h1.ofctl("del-flows", "br-int", toC1).orThrow();
        assertThat(flows(h1)).doesNotContain("dl_dst=" + c1.mac());

        await("the deleted flow is back").atMost(REPAIR).until(() -> flows(h1).contains("dl_dst=" + c1.mac()));
        assertReaches(c2, c1);
        JsonNode status = hostStatus("h1");
        assertThat(status.path("driftsRepaired").asLong()).isPositive();
        assertThat(status.path("lastDrift").path("what").asText()).contains("1 missing");
        assertThat(weft.logText()).contains("changed outside Weft");
    }

    @Test
    @Order(2)
    void aForeignDropFlowOnAContainersPortIsRemoved() throws Exception {
        BedContainer c1 = BED.container("c1");
        BedContainer c2 = BED.container("c2");
        BedHost h1 = BED.host("h1");
        long repairedBefore = hostStatus("h1").path("driftsRepaired").asLong();
        String ofport = h1.vsctl("get", "Interface", c1.hostInterface(), "ofport").orThrow().stdout().trim();
        h1.ofctl("add-flow", "br-int", "table=0,priority=65000,in_port=" + ofport + ",actions=drop").orThrow();
        assertThat(c1.ping(c2.ip(), 1, Duration.ofSeconds(1))).as("black-holed by the foreign flow").isFalse();

        await("the foreign flow is gone").atMost(REPAIR).until(() -> !flows(h1).contains("priority=65000"));
        assertReaches(c1, c2);
        JsonNode status = hostStatus("h1");
        assertThat(status.path("driftsRepaired").asLong()).isGreaterThan(repairedBefore);
        assertThat(status.path("lastDrift").path("what").asText()).contains("1 extra");
        assertThat(status.path("inSync").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void aHostWeftCannotReachIsIsolatedAndNamedOnlyByTheWaitsItConcerns() throws Exception {
        int closed = closedPort();
        api.expect(201, "POST", "/api/v1/hosts", "{\"name\":\"h9\",\"tunnelIp\":\"172.31.1.99\",\"datapathType\":\"netdev\","
                + "\"ovsdb\":\"tcp:127.0.0.1:" + closed + "\"}");
        await("h9 reported unreachable").atMost(Duration.ofSeconds(10))
                .until(() -> !hostStatus("h9").path("ovsdbConnected").asBoolean());

        // An endpoint on h9 concerns h9: the wait gives up after its bound and says who is missing.
        HttpResponse<String> onH9 = api.post(WeftClient.API + "/networks/net1/endpoints?wait=2s",
                "{\"name\":\"x9\",\"host\":\"h9\",\"port\":\"nx9\"}");
        assertThat(onH9.statusCode()).isEqualTo(202);
        assertThat(WeftClient.json(onH9).path("pending").path("h9").asText()).contains("OVSDB not connected");
        assertThat(WeftClient.json(onH9).path("acknowledgedBy")).extracting(JsonNode::asText)
                .contains("h1", "h2").doesNotContain("h9");

        // A network h9 has nothing of does not concern it: installed, h9 named nowhere.
        api.addNetwork("net2", "vxlan", "10.70.0.0/24", "10.70.0.254");
        HttpResponse<String> elsewhere = api.post(WeftClient.API + "/networks/net2/endpoints?wait=10s",
                "{\"name\":\"y1\",\"host\":\"h1\",\"port\":\"ny1\"}");
        assertThat(elsewhere.statusCode()).isEqualTo(201);
        assertThat(WeftClient.json(elsewhere).path("installedInMs").asDouble()).isPositive();
        assertThat(WeftClient.json(elsewhere).path("acknowledgedBy")).extracting(JsonNode::asText)
                .containsExactly("h1");
        // Where the time went, in order: durable, compiled, h1's switch acknowledged, the reply.
        JsonNode timeline = WeftClient.json(elsewhere).path("timeline");
        double committed = timeline.path("committedMs").asDouble();
        double compiled = timeline.path("compiledMs").asDouble();
        double flows = timeline.path("hosts").path("h1").path("flowsMs").asDouble();
        assertThat(committed).isPositive();
        assertThat(compiled).isGreaterThanOrEqualTo(committed);
        assertThat(flows).isGreaterThanOrEqualTo(compiled);
        assertThat(WeftClient.json(elsewhere).path("installedInMs").asDouble()).isGreaterThanOrEqualTo(flows);

        // The controller still restarts with h9 registered, and rewrites nothing on the hosts it reaches.
        Map<String, Map<String, Double>> before = Map.of("h1", E2eSupport.flowAges(BED.host("h1")),
                "h2", E2eSupport.flowAges(BED.host("h2")));
        weft.kill9();
        weft.start();
        E2eSupport.awaitInSync(api, api.revision(), List.of(BED.host("h1"), BED.host("h2")));
        E2eSupport.assertFlowsUntouched(BED.host("h1"), before.get("h1"));
        E2eSupport.assertFlowsUntouched(BED.host("h2"), before.get("h2"));
        assertReaches(BED.container("c1"), BED.container("c2"));
        assertThat(hostStatus("h9").path("ovsdbConnected").asBoolean()).isFalse();
    }

    private static JsonNode hostStatus(String host) throws Exception {
        return api.expect(200, "GET", "/api/v1/hosts/" + host, null).path("status");
    }

    /** A loopback TCP port nothing listens on. */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
