package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.view.HostStatus;
import io.weft.controller.view.PlainSwitch;
import io.weft.model.EndpointId;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The happy paths over real HTTP: what a user sends, what comes back, what the store then holds. */
class RestApiTest {

    private ApiClient api;

    @BeforeEach
    void start() {
        api = new ApiClient();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void creates_lists_gets_and_deletes_hosts_networks_and_endpoints() {
        HttpResponse<String> r = api.post("/api/v1/hosts", "{\"name\":\"h1\",\"tunnelIp\":\"192.168.1.1\","
                + "\"ovsdb\":\"tcp:192.168.1.1:6640\",\"datapathType\":\"system\",\"openflow\":\"ptcp:6653\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).contains("/api/v1/hosts/h1");
        JsonNode host = ApiClient.json(r);
        assertThat(host.path("tunnelIp").asText()).isEqualTo("192.168.1.1");
        assertThat(host.path("ovsdb").asText()).isEqualTo("tcp:192.168.1.1:6640");
        assertThat(host.path("openflow").asText()).isEqualTo("ptcp:6653");
        assertThat(host.path("datapathType").asText()).isEqualTo("system");
        assertThat(host.path("revision").asLong()).isEqualTo(1);

        JsonNode net = api.created("/api/v1/networks", "{\"name\":\"uber-net\",\"subnets\":[{\"cidr\":\"10.0.0.0/24\","
                + "\"gateway\":\"10.0.0.1\"},{\"cidr\":\"11.1.1.0/24\",\"gateway\":\"11.1.1.1\"}],\"encap\":\"gre\"}");
        assertThat(net.path("vni").asInt()).isEqualTo(1);
        assertThat(net.path("mtu").asInt()).isEqualTo(1458);
        assertThat(net.path("encap").asText()).isEqualTo("gre");
        assertThat(net.path("subnets")).hasSize(2);

        JsonNode ep = api.created("/api/v1/networks/uber-net/endpoints",
                "{\"name\":\"c1\",\"host\":\"h1\",\"port\":\"veth-c1\"}");
        assertThat(ep.path("ip").asText()).isEqualTo("10.0.0.2");
        assertThat(ep.path("mac").asText()).isEqualTo("02:42:0a:00:00:02");
        assertThat(ep.path("gateway").asText()).isEqualTo("10.0.0.1");
        assertThat(ep.path("mtu").asInt()).isEqualTo(1458);
        assertThat(ep.path("prefixLength").asInt()).isEqualTo(24);
        assertThat(ep.path("network").asText()).isEqualTo("uber-net");
        assertThat(ep.path("host").asText()).isEqualTo("h1");
        assertThat(ep.path("port").asText()).isEqualTo("veth-c1");
        assertThat(ep.path("binding").asText()).isEqualTo("waiting-for-host");
        JsonNode ep2 = api.created("/api/v1/networks/uber-net/endpoints",
                "{\"name\":\"c2\",\"host\":\"h1\",\"port\":\"veth-c2\",\"ip\":\"11.1.1.9\",\"mac\":\"02:00:00:00:00:09\"}");
        assertThat(ep2.path("gateway").asText()).isEqualTo("11.1.1.1");
        assertThat(ep2.path("mac").asText()).isEqualTo("02:00:00:00:00:09");

        assertThat(ApiClient.json(api.get("/api/v1/hosts"))).hasSize(1);
        assertThat(ApiClient.json(api.get("/api/v1/networks")).get(0).path("endpoints").asInt()).isEqualTo(2);
        assertThat(ApiClient.json(api.get("/api/v1/networks/uber-net")).path("vni").asInt()).isEqualTo(1);
        assertThat(ApiClient.json(api.get("/api/v1/networks/uber-net/endpoints"))).hasSize(2);
        assertThat(ApiClient.json(api.get("/api/v1/networks/uber-net/endpoints/c2")).path("ip").asText())
                .isEqualTo("11.1.1.9");

        assertThat(api.delete("/api/v1/networks/uber-net/endpoints/c1").statusCode()).isEqualTo(204);
        assertThat(api.delete("/api/v1/networks/uber-net/endpoints/c2").statusCode()).isEqualTo(204);
        assertThat(api.delete("/api/v1/networks/uber-net").statusCode()).isEqualTo(204);
        assertThat(api.delete("/api/v1/hosts/h1").statusCode()).isEqualTo(204);
        assertThat(api.store.current().hosts()).isEmpty();
        assertThat(api.store.current().networks()).isEmpty();
        assertThat(api.store.current().revision()).isEqualTo(8);
        assertThat(ApiClient.json(api.get("/health")).path("revision").asLong()).isEqualTo(8);
    }

    @Test
    void host_shows_the_controllers_status() {
        api.withFixture();
        api.view.statuses.put("h1", new HostStatus("h1", true, false, Optional.of("0000aabbccddeeff"),
                List.of("vxlan-h2"), Optional.of(Instant.parse("2026-01-02T03:04:05Z")), 12, 12, true,
                Optional.of("no route to 192.168.1.2"), 3, Optional.empty(), 0));
        JsonNode h = ApiClient.json(api.get("/api/v1/hosts/h1"));
        JsonNode s = h.path("status");
        assertThat(s.path("ovsdbConnected").asBoolean()).isTrue();
        assertThat(s.path("openflowConnected").asBoolean()).isFalse();
        assertThat(s.path("datapathId").asText()).isEqualTo("0000aabbccddeeff");
        assertThat(s.path("tunnelPorts").get(0).asText()).isEqualTo("vxlan-h2");
        assertThat(s.path("lastSync").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(s.path("flowsInstalled").asInt()).isEqualTo(12);
        assertThat(s.path("lastError").asText()).contains("no route");
        assertThat(s.path("appliedRevision").asLong()).isEqualTo(3);
        assertThat(ApiClient.json(api.get("/api/v1/hosts/h2")).has("status")).isFalse();
    }

    @Test
    void binding_follows_the_host_from_waiting_to_bound() {
        api.withFixture();
        String c1 = "/api/v1/networks/red/endpoints/c1";
        assertThat(ApiClient.json(api.get(c1)).path("binding").asText()).isEqualTo("waiting-for-host");
        api.view.statuses.put("h1", status("h1", true, 0));
        assertThat(ApiClient.json(api.get(c1)).path("binding").asText()).isEqualTo("waiting-for-port");
        api.view.ofports.put("h1/veth-c1", 7);
        JsonNode ep = ApiClient.json(api.get(c1));
        assertThat(ep.path("binding").asText()).isEqualTo("installing");
        assertThat(ep.path("ofport").asInt()).isEqualTo(7);
        // c1 was written at revision 4; acknowledging 4 binds it even when later commits are not applied yet.
        api.view.writtenAt.put(new EndpointId("red", "c1"), 4L);
        api.view.statuses.put("h1", status("h1", true, 4));
        api.created("/api/v1/networks", "{\"name\":\"blue\",\"subnets\":[{\"cidr\":\"10.9.0.0/24\",\"gateway\":"
                + "\"10.9.0.1\"}],\"encap\":\"vxlan\"}");
        assertThat(ApiClient.json(api.get(c1)).path("binding").asText()).isEqualTo("bound");
        api.view.statuses.put("h1", status("h1", true, 3));
        assertThat(ApiClient.json(api.get(c1)).path("binding").asText()).isEqualTo("installing");
    }

    private static HostStatus status(String host, boolean connected, long applied) {
        return new HostStatus(host, connected, connected, Optional.empty(), List.of(), Optional.empty(), 0, 0,
                connected, Optional.empty(), applied, Optional.empty(), 0);
    }

    @Test
    void wait_returns_the_install_time_or_202_when_the_hosts_do_not_acknowledge_in_time() {
        api.withFixture();
        long sent = System.nanoTime();
        JsonNode ep = api.created("/api/v1/networks/red/endpoints?wait=true",
                "{\"name\":\"c2\",\"host\":\"h2\",\"port\":\"veth-c2\"}");
        double wallMs = (System.nanoTime() - sent) / 1e6;
        // Counted from the request's arrival (commit included), so within what the client itself waited.
        assertThat(ep.path("installedInMs").asDouble()).isPositive().isLessThanOrEqualTo(wallMs);
        assertThat(api.view.lastAwaited).isEqualTo(ep.path("revision").asLong()).isEqualTo(5);
        assertThat(ep.has("installPending")).isFalse();

        api.view.stalled = true;
        HttpResponse<String> r = api.post("/api/v1/networks/red/endpoints?wait=true&timeout=50ms",
                "{\"name\":\"c3\",\"host\":\"h2\",\"port\":\"veth-c3\"}");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("Location")).contains("/api/v1/networks/red/endpoints/c3");
        JsonNode pending = ApiClient.json(r);
        assertThat(pending.path("installPending").asText()).contains("within 50 ms");
        assertThat(pending.has("installedInMs")).isFalse();
        assertThat(api.store.current().endpoints()).hasSize(3);

        HttpResponse<String> d = api.delete("/api/v1/networks/red/endpoints/c3?wait=true&timeout=20ms");
        assertThat(d.statusCode()).isEqualTo(202);
        api.view.stalled = false;
        long deleteSent = System.nanoTime();
        HttpResponse<String> d2 = api.delete("/api/v1/networks/red/endpoints/c2?wait=true");
        double deleteWallMs = (System.nanoTime() - deleteSent) / 1e6;
        assertThat(d2.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(d2).path("installedInMs").asDouble()).isPositive()
                .isLessThanOrEqualTo(deleteWallMs);
    }

    @Test
    void flows_come_as_json_or_as_ovs_ofctl_text() {
        api.withFixture();
        FlowRule a = new FlowRule(0, 100, Match.ANY, List.of(new Instruction.GotoTable(10)), 0x1234L);
        FlowRule b = new FlowRule(10, 0, Match.ANY, List.of(), 0x99L);
        api.view.desired.put("h1", List.of(a, b));
        api.view.installed.put("h1", List.of(a));
        JsonNode f = ApiClient.json(api.get("/api/v1/hosts/h1/flows"));
        assertThat(f.path("inSync").asBoolean()).isFalse();
        assertThat(f.path("desired")).hasSize(2);
        assertThat(f.path("installed")).hasSize(1);
        assertThat(f.path("desired").get(0).path("cookie").asText()).isEqualTo("0x1234");
        assertThat(f.path("desired").get(0).path("flow").asText())
                .isEqualTo("cookie=0x1234, table=0, priority=100 actions=goto_table:10");
        HttpResponse<String> text = api.get("/api/v1/hosts/h1/flows?format=text");
        assertThat(text.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(text.body()).contains("NOT in sync", "# desired (2 flows)",
                " cookie=0x99, table=10, priority=0 actions=drop", "# installed (1 flows)");
    }

    @Test
    void switches_lists_bridges_that_are_not_hosts() {
        api.view.switches = List.of(new PlainSwitch(0xabcL, new java.util.TreeMap<>(Map.of(1L, "s1-eth1",
                2L, "s1-eth2"))));
        JsonNode sw = ApiClient.json(api.get("/api/v1/switches")).get(0);
        assertThat(sw.path("datapathId").asText()).isEqualTo("0000000000000abc");
        assertThat(sw.path("ports").get(1).path("name").asText()).isEqualTo("s1-eth2");
        assertThat(sw.path("ports").get(1).path("ofport").asLong()).isEqualTo(2);
        assertThat(sw.path("explanation").asText()).contains("not the br-int of a registered host");
    }

    @Test
    void fifty_parallel_announcements_over_http_get_fifty_distinct_addresses() throws Exception {
        api.withFixture();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String body = "{\"name\":\"p" + i + "\",\"host\":\"h2\",\"port\":\"veth-p" + i + "\"}";
            replies.add(pool.submit(() -> api.post("/api/v1/networks/red/endpoints", body)));
        }
        Set<String> ips = new HashSet<>();
        for (Future<HttpResponse<String>> f : replies) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            ips.add(ApiClient.json(r).path("ip").asText());
        }
        pool.shutdown();
        assertThat(ips).hasSize(50).doesNotContain("10.0.0.1", "10.0.0.5", "10.0.0.0", "10.0.0.255");
    }
}
