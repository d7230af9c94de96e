package io.weft.e2e;

import static io.weft.e2e.E2eSupport.assertFlowsUntouched;
import static io.weft.e2e.E2eSupport.assertReaches;
import static io.weft.e2e.E2eSupport.flowAges;
import static io.weft.e2e.E2eSupport.flows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import io.weft.testbed.ExecResult;
import io.weft.testbed.TestBedExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, scenarios 6, 7 and 8 on three hosts of one LAN, c1..c3 one per host in net1. h3 joins only in the last
 * scenario, while traffic runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("onelan,hosts=3,containers=1");

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
    void killingTheControllerLosesNoPingAndItsRestartRewritesNothing() throws Exception {
        BedContainer c1 = BED.container("c1");
        BedContainer c2 = BED.container("c2");
        Map<String, Double> before = flowAges(BED.host("h1"));
        Path pingLog = Files.createTempFile("weft-e2e-ping-", ".txt");
        try {
            CompletableFuture<ExecResult> ping = CompletableFuture.supplyAsync(() -> c1.exec(Duration.ofSeconds(30),
                    "sh", "-c", "ping -i 0.1 -c 40 -W 1 " + c2.ip() + " | tee " + pingLog));
            // The controller dies once the ping runs and is answered: its first reply is in its output.
            await("first echo reply").atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(pingLog).contains(" bytes from " + c2.ip()));
            weft.kill9();
            assertThat(ping.get(60, TimeUnit.SECONDS).stdout()).as("pings while the controller is dead")
                    .contains("40 packets transmitted, 40 received");
        } finally {
            Files.deleteIfExists(pingLog);
        }

        weft.start();
        E2eSupport.awaitInSync(api, api.revision(), List.of(BED.host("h1"), BED.host("h2")));
        assertFlowsUntouched(BED.host("h1"), before);
        assertThat(weft.logText()).as("the restarted controller sent no flow changes")
                .doesNotContain("flows added");
        assertReaches(c1, c2);
    }

    @Test
    @Order(2)
    void badRequestsAreRefusedWithProblemsAndChangeNothing() throws Exception {
        long revision = api.revision();
        HttpResponse<String> r = api.send("POST", "/api/v1/networks", "{\"name\":\"bad\",\"encap\":\"vxlan\","
                + "\"subnets\":[{\"cidr\":\"10.9.9.0/33\",\"gateway\":\"10.9.9.1\"}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(WeftClient.json(r).path("detail").asText()).contains("33");

        r = api.send("POST", "/api/v1/networks/net1/endpoints", "{\"name\":\"x\",\"host\":\"h1\",\"port\":\"ve-x\","
                + "\"ip\":\"10.99.0.5\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(WeftClient.json(r).path("detail").asText()).contains("10.99.0.5");

        r = api.send("POST", "/api/v1/networks/net1/endpoints", "{\"name\":\"x\",\"host\":\"h1\",\"port\":\"ve-x\","
                + "\"ip\":\"" + BED.container("c2").ip() + "\"}");
        assertThat(r.statusCode()).isEqualTo(409);

        r = api.send("POST", "/api/v1/networks/nope/endpoints", "{\"name\":\"x\",\"host\":\"h1\",\"port\":\"ve-x\"}");
        assertThat(r.statusCode()).isEqualTo(404);

        r = api.send("POST", "/api/v1/hosts", "{\"name\":\"h1\",");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");

        assertThat(api.revision()).as("refused requests change nothing").isEqualTo(revision);
        assertThat(flows(BED.host("h1"))).doesNotContain("10.99.0.5");
    }

    @Test
    @Order(3)
    void aThirdHostJoinsWhileTrafficRunsWithoutInterruptingIt() throws Exception {
        BedContainer c1 = BED.container("c1");
        BedContainer c2 = BED.container("c2");
        BedContainer c3 = BED.container("c3");
        CompletableFuture<ExecResult> ping = CompletableFuture.supplyAsync(() -> c1.exec(Duration.ofSeconds(30),
                "ping", "-i", "0.1", "-c", "50", "-W", "1", c2.ip()));

        api.addHost(BED.host("h3"));
        api.announce(c3, "net1");
        assertReaches(c1, c3);
        assertReaches(c3, c2);

        assertThat(ping.get(60, TimeUnit.SECONDS).stdout()).as("existing traffic while h3 joined")
                .contains(" 0% packet loss");
        for (BedHost h : BED.hosts()) {
            assertThat(h.vsctl("list-ports", "br-int").orThrow().stdout()).as("mesh on " + h.name())
                    .contains(BED.hosts().stream().filter(p -> !p.name().equals(h.name()))
                            .map(p -> "vxlan-" + p.name()).toList());
        }
    }
}
