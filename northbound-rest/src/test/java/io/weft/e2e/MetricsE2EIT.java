package io.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.PrometheusText;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.TestBedExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: what an operator reads on {@code GET /metrics} of a controller started as an operator would (with
 * tokens), scraped over HTTP and parsed as Prometheus does, while hosts come and go and a container is announced.
 */
class MetricsE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("onelan,hosts=2,containers=1");

    private static final String ADMIN = "adm-5f0c2d8e9a7b4c61a3e2d1f0b9c8a7d6";
    private static final String READ = "prm-0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    private static final Duration CONVERGE = E2eSupport.CONVERGE;

    @TempDir
    Path dir;

    @Test
    void anOperatorSeesHostsConnectAnAnnounceInstalledAndARemovedHostsSeriesGone() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, ADMIN + " admin orchestrator\n" + READ + " read prometheus\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        try (WeftProcess weft = new WeftProcess(dir.resolve("weft")).start("--rest-tokens", tokens.toString())) {
            WeftClient api = weft.client().withToken(ADMIN);
            WeftClient prometheus = weft.client().withToken(READ);
            assertThat(weft.client().get("/metrics").statusCode()).as("no token").isEqualTo(401);
            assertThat(prometheus.get("/metrics").statusCode()).as("a read token").isEqualTo(200);

            api.addHost(BED.host("h1"));
            api.addHost(BED.host("h2"));
            await("h1 and h2 connected, as /metrics says").atMost(CONVERGE).untilAsserted(() -> {
                PrometheusText m = scrape(prometheus);
                for (String h : new String[] {"h1", "h2"}) {
                    assertThat(m.value("weft_ovsdb_connected", "host", h)).as(h).contains(1.0);
                    assertThat(m.value("weft_openflow_connected", "host", h)).as(h).contains(1.0);
                }
            });
            api.addNetwork("net1", "vxlan", "10.65.10.0/24", "10.65.10.254");

            PrometheusText before = scrape(prometheus);
            BedContainer c1 = BED.container("c1");
            String eps = "/api/v1/networks/net1/endpoints";
            JsonNode announced = api.expect(201, "POST", eps + "?wait=true", WeftClient.JSON.createObjectNode()
                    .put("name", c1.name()).put("host", c1.host()).put("port", c1.hostInterface())
                    .put("ip", c1.ip()).put("mac", c1.mac()).toString());
            assertThat(announced.has("installedInMs")).isTrue();
            String posted = "/api/v1/networks/{network}/endpoints";
            await("the announce counted").atMost(CONVERGE).untilAsserted(() -> {
                PrometheusText m = scrape(prometheus);
                assertThat(m.valueOrZero("weft_announce_installed_seconds_count"))
                        .isEqualTo(before.valueOrZero("weft_announce_installed_seconds_count") + 1);
                assertThat(m.valueOrZero("weft_rest_requests_total", "method", "POST", "route", posted, "status",
                        "201")).isEqualTo(before.valueOrZero("weft_rest_requests_total", "method", "POST", "route",
                        posted, "status", "201") + 1);
            });
            await("weft_flows_installed as GET /hosts/h1 says").atMost(CONVERGE).untilAsserted(() -> {
                JsonNode status = api.host("h1").path("status");
                PrometheusText m = scrape(prometheus);
                assertThat(status.path("flowsInstalled").asInt()).isPositive();
                assertThat(m.value("weft_flows_installed", "host", "h1"))
                        .contains(status.path("flowsInstalled").asDouble());
                assertThat(m.value("weft_flows_desired", "host", "h1"))
                        .contains(status.path("flowsDesired").asDouble());
            });
            PrometheusText m = scrape(prometheus);
            assertThat(m.value("weft_flow_mods_sent_total", "host", "h1").orElseThrow()).isPositive();
            assertThat(m.value("weft_reconcile_passes_total").orElseThrow()).isPositive();
            assertThat(m.value("weft_reconcile_pass_seconds_count").orElseThrow()).isPositive();
            assertThat(m.value("weft_store_commit_seconds_count").orElseThrow()).as("hosts, network, endpoint")
                    .isGreaterThanOrEqualTo(4);
            assertThat(m.find("process_cpu_usage")).isNotEmpty();
            assertThat(m.find("jvm_memory_used_bytes")).isNotEmpty();

            assertThat(api.remove("net1", c1.name(), true).statusCode()).isEqualTo(200);
            api.expect(204, "DELETE", "/api/v1/hosts/h1", null);
            await("h1's series gone").atMost(CONVERGE).untilAsserted(() -> {
                PrometheusText after = scrape(prometheus);
                assertThat(after.samples()).noneSatisfy(s -> assertThat(s.labels()).containsEntry("host", "h1"));
                assertThat(after.value("weft_ovsdb_connected", "host", "h2")).as("h2 stays").contains(1.0);
            });
        }
    }

    private static PrometheusText scrape(WeftClient client) {
        HttpResponse<String> r = client.get("/metrics");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }
}
