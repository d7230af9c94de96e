package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** GET /metrics over real HTTP: Prometheus text, requests by route template, waited announces timed, tokens. */
class RestMetricsTest {

    private static final String EPS = "/api/v1/networks/red/endpoints";
    private static final String REQUESTS = "weft_rest_requests_total";
    private static final String ANNOUNCES = "weft_announce_installed_seconds_count";

    @Test
    void requests_are_counted_by_method_route_template_and_status() {
        try (TestServer bed = new TestServer().withFixture()) {
            bed.client.expect(200, "GET", EPS + "/c1", null);
            bed.client.expect(404, "GET", EPS + "/c9", null);
            bed.client.expect(404, "GET", "/api/v1/no/such/thing", null);
            String endpoint = "/api/v1/networks/{network}/endpoints/{name}";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                PrometheusText m = scrape(bed.client);
                assertThat(m.value(REQUESTS, "method", "GET", "route", endpoint, "status", "200")).contains(1.0);
                assertThat(m.value(REQUESTS, "method", "GET", "route", endpoint, "status", "404")).contains(1.0);
                assertThat(m.value(REQUESTS, "method", "POST", "route", EPS.replace("red", "{network}"), "status",
                        "201")).contains(1.0);
                assertThat(m.value(REQUESTS, "method", "GET", "route", RestMeters.UNMATCHED, "status", "404"))
                        .contains(1.0);
            });
            assertThat(scrape(bed.client).find(REQUESTS)).as("route templates only, never a raw path")
                    .allSatisfy(s -> assertThat(s.labels().get("route")).doesNotContain("red", "c1", "c9", "such"));
        }
    }

    @Test
    void an_announce_is_timed_once_every_host_acknowledged_it_and_only_then() {
        try (TestServer bed = new TestServer().withFixture()) {
            assertThat(scrape(bed.client).valueOrZero(ANNOUNCES)).as("the fixture's announce did not wait").isZero();
            bed.client.created(EPS + "?wait=true", "{\"name\":\"c2\",\"host\":\"h2\",\"port\":\"veth-c2\"}");
            bed.view.stalled = true;
            assertThat(bed.client.post(EPS + "?wait=true&timeout=20ms",
                    "{\"name\":\"c3\",\"host\":\"h2\",\"port\":\"veth-c3\"}").statusCode()).isEqualTo(202);
            bed.view.release();
            bed.client.expect(201, "POST", "/api/v1/networks?wait=true", "{\"name\":\"blue\",\"subnets\":[{\"cidr\":"
                    + "\"10.9.0.0/24\",\"gateway\":\"10.9.0.1\"}],\"encap\":\"vxlan\"}");

            PrometheusText m = scrape(bed.client);
            assertThat(m.value(ANNOUNCES)).as("the acknowledged announce only").contains(1.0);
            assertThat(m.value("weft_announce_installed_seconds_sum").orElseThrow()).isPositive();
            assertThat(m.find("weft_announce_installed_seconds_bucket")).as("a histogram")
                    .anySatisfy(b -> assertThat(b.labels()).containsEntry("le", "+Inf"));
        }
    }

    @Test
    void metrics_are_prometheus_text_and_need_a_read_token_when_the_api_has_tokens() {
        try (TestServer bed = TestServer.secured()) {
            HttpResponse<String> anonymous = bed.anonymous.get("/metrics");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
            HttpResponse<String> read = bed.reader.get("/metrics");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(PrometheusText.parse(read.body()).find("jvm_memory_used_bytes")).isNotEmpty();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(bed.reader)
                    .value(REQUESTS, "method", "GET", "route", "/metrics", "status", "401")).contains(1.0));
        }
    }

    private static PrometheusText scrape(WeftClient client) {
        HttpResponse<String> r = client.get("/metrics");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }
}
