package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.plain.PortRef;
import io.weft.controller.plain.Topology;
import io.weft.controller.view.HostStatus;
import io.weft.controller.view.PlainSwitch;
import io.weft.model.EndpointId;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The happy paths over real HTTP: what a user sends, what comes back, what the store then holds. */
class RestApiTest {

    private static final String EPS = "/api/v1/networks/red/endpoints";

    private TestServer bed;
    private WeftClient api;

    @BeforeEach
    void start() {
        bed = new TestServer();
        api = bed.client;
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void creates_lists_gets_and_deletes_hosts_networks_and_endpoints() {
        HttpResponse<String> r = api.post("/api/v1/hosts", "{\"name\":\"h1\",\"tunnelIp\":\"192.168.1.1\","
                + "\"ovsdb\":\"tcp:192.168.1.1:6640\",\"datapathType\":\"system\",\"openflow\":\"ptcp:6653\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).contains("/api/v1/hosts/h1");
        JsonNode host = WeftClient.json(r);
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

        assertThat(WeftClient.json(api.get("/api/v1/hosts"))).hasSize(1);
        assertThat(WeftClient.json(api.get("/api/v1/networks")).get(0).path("endpoints").asInt()).isEqualTo(2);
        assertThat(WeftClient.json(api.get("/api/v1/networks/uber-net")).path("vni").asInt()).isEqualTo(1);
        assertThat(WeftClient.json(api.get("/api/v1/networks/uber-net/endpoints"))).hasSize(2);
        assertThat(WeftClient.json(api.get("/api/v1/networks/uber-net/endpoints/c2")).path("ip").asText())
                .isEqualTo("11.1.1.9");

        assertThat(api.delete("/api/v1/networks/uber-net/endpoints/c1").statusCode()).isEqualTo(204);
        assertThat(api.delete("/api/v1/networks/uber-net/endpoints/c2").statusCode()).isEqualTo(204);
        assertThat(api.delete("/api/v1/networks/uber-net").statusCode()).isEqualTo(204);
        assertThat(api.delete("/api/v1/hosts/h1").statusCode()).isEqualTo(204);
        assertThat(bed.store.current().hosts()).isEmpty();
        assertThat(bed.store.current().networks()).isEmpty();
        assertThat(bed.store.current().revision()).isEqualTo(8);
        assertThat(WeftClient.json(api.get("/health")).path("revision").asLong()).isEqualTo(8);
    }

    @Test
    void what_a_newcomer_leaves_out_gets_the_defaults_docker_users_expect() {
        JsonNode host = api.created("/api/v1/hosts", "{\"name\":\"h1\",\"tunnelIp\":\"192.168.1.1\"}");
        assertThat(host.path("datapathType").asText()).isEqualTo("system");
        JsonNode net = api.created("/api/v1/networks",
                "{\"name\":\"red\",\"subnets\":[{\"cidr\":\"10.0.0.0/24\"}]}");
        assertThat(net.path("encap").asText()).isEqualTo("vxlan");
        assertThat(net.path("subnets").get(0).path("gateway").asText()).isEqualTo("10.0.0.1");
        JsonNode ep = api.created("/api/v1/networks/red/endpoints",
                "{\"name\":\"c1\",\"host\":\"h1\",\"port\":\"v1\"}");
        assertThat(ep.path("gateway").asText()).isEqualTo("10.0.0.1");
        assertThat(ep.path("ip").asText()).isEqualTo("10.0.0.2");
    }

    @Test
    void aliases_are_dns_labels_kept_in_lower_case_and_bad_ones_are_refused_changing_nothing() {
        api.created("/api/v1/hosts", "{\"name\":\"h1\",\"tunnelIp\":\"192.168.1.1\"}");
        api.created("/api/v1/networks", "{\"name\":\"red\",\"subnets\":[{\"cidr\":\"10.0.0.0/24\"}]}");
        JsonNode ep = api.created(EPS, "{\"name\":\"c1\",\"host\":\"h1\",\"port\":\"v1\",\"aliases\":[\"Web\",\"api-2\"]}");
        assertThat(ep.path("aliases")).extracting(JsonNode::asText).containsExactly("api-2", "web");
        assertThat(WeftClient.json(api.get(EPS + "/c1")).path("aliases")).extracting(JsonNode::asText)
                .containsExactly("api-2", "web");
        assertThat(bed.store.current().endpoints().values()).singleElement()
                .satisfies(e -> assertThat(e.aliases()).containsExactly("api-2", "web"));
        long revision = bed.store.current().revision();
        for (String bad : List.of("\"a.b\"", "\"-web\"", "\"\"", "\"" + "x".repeat(64) + "\"", "\"w_b\"")) {
            HttpResponse<String> r = api.post(EPS, "{\"name\":\"c2\",\"host\":\"h1\",\"port\":\"v2\",\"aliases\":["
                    + bad + "]}");
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                    assertThat(t).startsWith("application/problem+json"));
        }
        assertThat(bed.store.current().revision()).isEqualTo(revision);
        HttpResponse<String> badPut = api.send("PUT", EPS + "/c1/aliases", "{\"aliases\":[\"a.b\"]}");
        assertThat(badPut.statusCode()).as(badPut.body()).isEqualTo(400);
        assertThat(bed.store.current().revision()).isEqualTo(revision);
        assertThat(api.send("PUT", EPS + "/nobody/aliases", "{\"aliases\":[]}").statusCode()).isEqualTo(404);

        HttpResponse<String> renamed = api.send("PUT", EPS + "/c1/aliases", "{\"aliases\":[\"www\"]}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(WeftClient.json(renamed).path("aliases")).extracting(JsonNode::asText).containsExactly("www");
        assertThat(bed.store.current().endpoints().values()).singleElement()
                .satisfies(e -> assertThat(e.aliases()).containsExactly("www"));
    }

    @Test
    void a_hostname_is_a_dns_label_shown_when_given_and_a_bad_one_is_refused_changing_nothing() {
        api.created("/api/v1/hosts", "{\"name\":\"h1\",\"tunnelIp\":\"192.168.1.1\"}");
        api.created("/api/v1/networks", "{\"name\":\"red\",\"subnets\":[{\"cidr\":\"10.0.0.0/24\"}]}");
        JsonNode ep = api.created(EPS, "{\"name\":\"h1-0a0b\",\"host\":\"h1\",\"port\":\"v1\","
                + "\"aliases\":[\"web1\"],\"hostname\":\"Web1\"}");
        assertThat(ep.path("hostname").asText()).isEqualTo("web1");
        assertThat(WeftClient.json(api.get(EPS + "/h1-0a0b")).path("hostname").asText()).isEqualTo("web1");
        JsonNode plain = api.created(EPS, "{\"name\":\"c2\",\"host\":\"h1\",\"port\":\"v2\"}");
        assertThat(plain.has("hostname")).as("absent when PTR answers the endpoint's name").isFalse();
        long revision = bed.store.current().revision();
        for (String bad : List.of("\"web1.red\"", "\"-web\"", "\"\"", "\"" + "x".repeat(64) + "\"", "\"my_app\"",
                "[\"web1\"]")) {
            HttpResponse<String> r = api.post(EPS, "{\"name\":\"c3\",\"host\":\"h1\",\"port\":\"v3\",\"hostname\":"
                    + bad + "}");
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                    assertThat(t).startsWith("application/problem+json"));
            HttpResponse<String> put = api.send("PUT", EPS + "/h1-0a0b/aliases", "{\"aliases\":[],\"hostname\":"
                    + bad + "}");
            assertThat(put.statusCode()).as(bad + ": " + put.body()).isEqualTo(400);
        }
        HttpResponse<String> named = api.post(EPS, "{\"name\":\"c3\",\"host\":\"h1\",\"port\":\"v3\","
                + "\"hostname\":\"my_app\"}");
        assertThat(WeftClient.json(named).path("detail").asText()).contains("hostname 'my_app' is not a DNS label");
        assertThat(bed.store.current().revision()).isEqualTo(revision);

        HttpResponse<String> renamed = api.send("PUT", EPS + "/h1-0a0b/aliases",
                "{\"aliases\":[\"web2\"],\"hostname\":\"web2\"}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(WeftClient.json(renamed).path("hostname").asText()).isEqualTo("web2");
        HttpResponse<String> cleared = api.send("PUT", EPS + "/h1-0a0b/aliases", "{\"aliases\":[]}");
        assertThat(WeftClient.json(cleared).has("hostname")).isFalse();
        assertThat(bed.store.current().endpoints().get(new EndpointId("red", "h1-0a0b")).hostname())
                .isEmpty();
    }

    @Test
    void the_api_root_points_the_way() {
        JsonNode index = WeftClient.json(api.get("/api/v1"));
        assertThat(index.path("links").path("openapi").asText()).isEqualTo("/api/v1/openapi.json");
        assertThat(index.path("links").path("page").asText()).isEqualTo("/");
        for (String link : List.of("health", "networks", "hosts", "topology", "switches")) {
            String path = index.path("links").path(link).asText();
            assertThat(api.get(path).statusCode()).as(link + " " + path).isEqualTo(200);
        }
        assertThat(index.path("links").path("events").asText()).isEqualTo("/api/v1/events");
        assertThat(index.path("links").path("trace").asText()).isEqualTo("/api/v1/trace");
        assertThat(index.path("links").path("metrics").asText()).isEqualTo("/metrics");
        assertThat(WeftClient.json(api.get("/api/v1/")).path("links")).isEqualTo(index.path("links"));
    }

    @Test
    void a_dry_run_refuses_a_network_exactly_as_a_create_would_and_commits_nothing() {
        bed.withFixture();
        String net = "{\"name\":\"NAME\",\"subnets\":[{\"cidr\":\"10.9.0.0/24\",\"gateway\":\"10.9.0.1\"}],"
                + "\"encap\":\"vxlan\"EXTRA}";
        List<String> refused = List.of(net.replace("NAME", "blue").replace("EXTRA", ",\"mtu\":9000"),
                net.replace("NAME", "blue").replace("EXTRA", ",\"vni\":100"),
                net.replace("NAME", "red").replace("EXTRA", ""),
                net.replace("NAME", "blue").replace("EXTRA", "").replace("10.9.0.1", "10.8.0.1"));
        for (String body : refused) {
            long revision = bed.store.current().revision();
            HttpResponse<String> dry = api.post("/api/v1/networks?dryRun=true", body);
            assertThat(bed.store.current().revision()).as("revision after a refused dry run").isEqualTo(revision);
            HttpResponse<String> real = api.post("/api/v1/networks", body);
            assertThat(dry.statusCode()).as(dry.body()).isGreaterThanOrEqualTo(400).isEqualTo(real.statusCode());
            assertThat(dry.headers().firstValue("Content-Type")).isEqualTo(real.headers().firstValue("Content-Type"));
            assertThat(WeftClient.json(dry)).isEqualTo(WeftClient.json(real));
            assertThat(bed.store.current().revision()).isEqualTo(revision);
        }
        assertThat(api.post("/api/v1/networks?dryRun=maybe", net.replace("NAME", "blue").replace("EXTRA", ""))
                .statusCode()).isEqualTo(400);
    }

    @Test
    void a_dry_run_answers_200_with_the_network_a_create_would_make_and_stores_nothing() {
        bed.withFixture();
        long revision = bed.store.current().revision();
        String blue = "{\"name\":\"blue\",\"subnets\":[{\"cidr\":\"10.9.0.0/24\",\"gateway\":\"10.9.0.1\"}],"
                + "\"encap\":\"gre\"}";
        HttpResponse<String> dry = api.post("/api/v1/networks?dryRun=true", blue);
        assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
        JsonNode wouldBe = WeftClient.json(dry);
        assertThat(wouldBe.path("vni").asInt()).isEqualTo(1);
        assertThat(wouldBe.path("mtu").asInt()).isEqualTo(1458);
        assertThat(bed.store.current().revision()).isEqualTo(revision);
        assertThat(api.get("/api/v1/networks/blue").statusCode()).isEqualTo(404);
        JsonNode created = api.created("/api/v1/networks", blue);
        for (String field : List.of("name", "vni", "encap", "mtu", "subnets")) {
            assertThat(created.path(field)).as(field).isEqualTo(wouldBe.path(field));
        }
    }

    @Test
    void host_shows_the_controllers_status() {
        bed.withFixture();
        bed.view.statuses.put("h1", new HostStatus("h1", true, false, Optional.of("0000aabbccddeeff"),
                List.of("vxlan-h2"), Optional.of(Instant.parse("2026-01-02T03:04:05Z")), 12, 12, true,
                Optional.of("no route to 192.168.1.2"), 3, Optional.empty(), 0, 5));
        JsonNode h = WeftClient.json(api.get("/api/v1/hosts/h1"));
        JsonNode s = h.path("status");
        assertThat(s.path("ovsdbConnected").asBoolean()).isTrue();
        assertThat(s.path("openflowConnected").asBoolean()).isFalse();
        assertThat(s.path("datapathId").asText()).isEqualTo("0000aabbccddeeff");
        assertThat(s.path("tunnelPorts").get(0).asText()).isEqualTo("vxlan-h2");
        assertThat(s.path("lastSync").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(s.path("flowsInstalled").asInt()).isEqualTo(12);
        assertThat(s.path("lastError").asText()).contains("no route");
        assertThat(s.path("appliedRevision").asLong()).isEqualTo(3);
        assertThat(s.path("flowModsSent").asLong()).isEqualTo(5);
        assertThat(WeftClient.json(api.get("/api/v1/hosts/h2")).has("status")).isFalse();
    }

    @Test
    void binding_follows_the_host_from_waiting_to_bound() {
        bed.withFixture();
        String c1 = "/api/v1/networks/red/endpoints/c1";
        assertThat(WeftClient.json(api.get(c1)).path("binding").asText()).isEqualTo("waiting-for-host");
        bed.view.statuses.put("h1", status("h1", true, 0));
        assertThat(WeftClient.json(api.get(c1)).path("binding").asText()).isEqualTo("waiting-for-port");
        bed.view.ofports.put("h1/veth-c1", 7);
        JsonNode ep = WeftClient.json(api.get(c1));
        assertThat(ep.path("binding").asText()).isEqualTo("installing");
        assertThat(ep.path("ofport").asInt()).isEqualTo(7);
        // c1 was written at revision 4; acknowledging 4 binds it even when later commits are not applied yet.
        bed.view.writtenAt.put(new EndpointId("red", "c1"), 4L);
        bed.view.statuses.put("h1", status("h1", true, 4));
        api.created("/api/v1/networks", "{\"name\":\"blue\",\"subnets\":[{\"cidr\":\"10.9.0.0/24\",\"gateway\":"
                + "\"10.9.0.1\"}],\"encap\":\"vxlan\"}");
        assertThat(WeftClient.json(api.get(c1)).path("binding").asText()).isEqualTo("bound");
        bed.view.statuses.put("h1", status("h1", true, 3));
        assertThat(WeftClient.json(api.get(c1)).path("binding").asText()).isEqualTo("installing");
    }

    private static HostStatus status(String host, boolean connected, long applied) {
        return new HostStatus(host, connected, connected, Optional.empty(), List.of(), Optional.empty(), 0, 0,
                connected, Optional.empty(), applied, Optional.empty(), 0, 0);
    }

    @Test
    void wait_returns_the_install_time_or_202_when_the_hosts_do_not_acknowledge_in_time() {
        bed.withFixture();
        long sent = System.nanoTime();
        JsonNode ep = api.created(EPS + "?wait=true", "{\"name\":\"c2\",\"host\":\"h2\",\"port\":\"veth-c2\"}");
        double wallMs = (System.nanoTime() - sent) / 1e6;
        // Counted from the request's arrival (commit included), so within what the client itself waited.
        assertThat(ep.path("installedInMs").asDouble()).isPositive().isLessThanOrEqualTo(wallMs);
        assertThat(bed.view.lastAwaited).isEqualTo(ep.path("revision").asLong()).isEqualTo(5);
        assertThat(ep.has("installPending")).isFalse();

        bed.view.stalled = true;
        HttpResponse<String> r = api.post(EPS + "?wait=true&timeout=50ms",
                "{\"name\":\"c3\",\"host\":\"h2\",\"port\":\"veth-c3\"}");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("Location")).contains("/api/v1/networks/red/endpoints/c3");
        JsonNode pending = WeftClient.json(r);
        assertThat(pending.path("installPending").asText()).contains("within 50 ms", "h1 (installing)");
        assertThat(pending.path("pending").path("h1").asText()).isEqualTo("installing");
        assertThat(pending.has("installedInMs")).isFalse();
        assertThat(bed.store.current().endpoints()).hasSize(3);

        HttpResponse<String> d = api.delete(EPS + "/c3?wait=true&timeout=20ms");
        assertThat(d.statusCode()).isEqualTo(202);
        bed.view.stalled = false;
        long deleteSent = System.nanoTime();
        HttpResponse<String> d2 = api.delete(EPS + "/c2?wait=true");
        double deleteWallMs = (System.nanoTime() - deleteSent) / 1e6;
        assertThat(d2.statusCode()).isEqualTo(200);
        assertThat(WeftClient.json(d2).path("installedInMs").asDouble()).isPositive()
                .isLessThanOrEqualTo(deleteWallMs);
    }

    @Test
    void a_wait_names_who_acknowledged_and_answers_202_naming_the_hosts_that_cannot() {
        bed.withFixture();
        bed.view.statuses.put("h1", status("h1", true, 0));
        bed.view.statuses.put("h2", status("h2", true, 0));
        JsonNode installed = api.created(EPS + "?wait=true", "{\"name\":\"c2\",\"host\":\"h2\",\"port\":"
                + "\"veth-c2\"}");
        assertThat(installed.path("acknowledgedBy")).extracting(JsonNode::asText).containsExactly("h1", "h2");
        assertThat(installed.has("pending")).isFalse();

        // The controller gives up on a host it cannot reach: the wait is over, but the change is not installed.
        bed.view.unreachable.put("h2", "OpenFlow not connected");
        HttpResponse<String> r = api.post(EPS + "?wait=5s", "{\"name\":\"c3\",\"host\":\"h2\",\"port\":"
                + "\"veth-c3\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode reply = WeftClient.json(r);
        assertThat(reply.has("installedInMs")).isFalse();
        assertThat(reply.path("acknowledgedBy")).extracting(JsonNode::asText).containsExactly("h1");
        assertThat(reply.path("pending").path("h2").asText()).isEqualTo("OpenFlow not connected");
        assertThat(reply.path("installPending").asText()).contains("h2 (OpenFlow not connected)")
                .doesNotContain("within");
        assertThat(bed.store.current().endpoints()).hasSize(3);

        HttpResponse<String> d = api.delete(EPS + "/c3?wait=5s");
        assertThat(d.statusCode()).isEqualTo(202);
        assertThat(WeftClient.json(d).path("pending").path("h2").asText()).isEqualTo("OpenFlow not connected");
    }

    @Test
    void wait_takes_a_duration() {
        bed.withFixture();
        bed.view.stalled = true;
        HttpResponse<String> r = api.post(EPS + "?wait=80ms", "{\"name\":\"c2\",\"host\":\"h2\",\"port\":"
                + "\"veth-c2\"}");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(WeftClient.json(r).path("installPending").asText()).contains("within 80 ms");
        assertThat(api.post(EPS + "?wait=80ms&timeout=1s", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void waited_writes_hold_no_thread_while_they_wait() throws Exception {
        bed.withFixture();
        bed.view.stalled = true;
        int writes = 2 * RestServer.MAX_THREADS; // within the fixture subnet's free addresses
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            replies.add(http.sendAsync(HttpRequest.newBuilder(URI.create(api.root() + EPS + "?wait=60s"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"w" + i + "\",\"host\":\"h2\","
                            + "\"port\":\"veth-w" + i + "\"}")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        // More waits than the server has threads: each would need its own if a wait held one.
        await("every write waiting").atMost(Duration.ofSeconds(60)).until(() -> {
            for (CompletableFuture<HttpResponse<String>> f : replies) {
                if (f.isDone()) {
                    throw new AssertionError("a write answered before its wait was over: "
                            + f.handle((r, e) -> e != null ? e.toString() : r.statusCode() + " " + r.body()).join());
                }
            }
            return bed.view.waits.size() == writes;
        });
        assertThat(restThreads()).isLessThanOrEqualTo(RestServer.MAX_THREADS);
        assertThat(api.get("/api/v1/networks/red").statusCode()).as("the API answers meanwhile").isEqualTo(200);

        bed.view.release();
        for (CompletableFuture<HttpResponse<String>> f : replies) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(WeftClient.json(r).has("installedInMs")).isTrue();
        }
    }

    @Test
    void clients_that_never_finish_their_body_hold_no_thread() throws Exception {
        bed.withFixture();
        long revision = bed.store.current().revision();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * RestServer.MAX_THREADS; i++) {
                Socket s = new Socket("127.0.0.1", bed.server.port());
                s.setSoTimeout(20_000);
                slow.add(s);
                s.getOutputStream().write(("POST " + EPS + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                        + "\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                // The server asks for the body once it reads it: were a read to hold a thread, the pool would run out
                // and a request past it would wait here until the first ones time out (30 s).
                assertThat(new String(s.getInputStream().readNBytes(25), StandardCharsets.US_ASCII))
                        .as("request %d", i).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
                s.getOutputStream().write("{\"name\":".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(api.get("/api/v1/networks/red").statusCode()).isEqualTo(200);
            assertThat(restThreads()).isLessThanOrEqualTo(RestServer.MAX_THREADS);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertThat(bed.store.current().revision()).isEqualTo(revision);
    }

    private static long restThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(RestServer.THREAD_NAME)).count();
    }

    @Test
    void flows_come_as_json_or_as_ovs_ofctl_text() {
        bed.withFixture();
        FlowRule a = new FlowRule(0, 100, Match.ANY, List.of(new Instruction.GotoTable(10)), 0x1234L);
        FlowRule b = new FlowRule(10, 0, Match.ANY, List.of(), 0x99L);
        bed.view.desired.put("h1", List.of(a, b));
        bed.view.installed.put("h1", List.of(a));
        JsonNode f = WeftClient.json(api.get("/api/v1/hosts/h1/flows"));
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
        bed.view.switches = List.of(new PlainSwitch(0xabcL, new java.util.TreeMap<>(Map.of(1L, "s1-eth1",
                2L, "s1-eth2")), true, "1.0"));
        JsonNode sw = WeftClient.json(api.get("/api/v1/switches")).get(0);
        assertThat(sw.path("datapathId").asText()).isEqualTo("0000000000000abc");
        assertThat(sw.path("ports").get(1).path("name").asText()).isEqualTo("s1-eth2");
        assertThat(sw.path("ports").get(1).path("ofport").asLong()).isEqualTo(2);
        assertThat(sw.path("explanation").asText()).contains("not the br-int of a registered host");
        assertThat(sw.path("inSync").asBoolean()).isTrue();
        assertThat(sw.path("openflow").asText()).isEqualTo("1.0");
    }

    @Test
    void topology_lists_plain_switches_with_port_roles_links_and_learned_hosts() {
        bed.view.topology = Topology.EMPTY.withSwitch(1, Set.of(1L, 2L)).withSwitch(2, Set.of(1L, 2L))
                .withLink(new PortRef(1, 2), new PortRef(2, 1)).settled(new PortRef(1, 1))
                .withHost(MacAddress.parse("00:00:00:00:00:01"), new PortRef(1, 1),
                        Optional.of(Ipv4Address.parse("10.0.0.1")));
        JsonNode t = WeftClient.json(api.get("/api/v1/topology"));
        assertThat(t.path("switches").get(0).path("datapathId").asText()).isEqualTo("0000000000000001");
        assertThat(t.path("switches").get(0).path("ports").toString())
                .isEqualTo("[{\"ofport\":1,\"role\":\"edge\"},{\"ofport\":2,\"role\":\"link\"}]");
        assertThat(t.path("switches").get(1).path("ports").get(1).path("role").asText()).isEqualTo("probing");
        assertThat(t.path("links").toString()).isEqualTo("[{\"a\":{\"datapathId\":\"0000000000000001\","
                + "\"ofport\":2},\"b\":{\"datapathId\":\"0000000000000002\",\"ofport\":1}}]");
        JsonNode host = t.path("hosts").get(0);
        assertThat(host.path("mac").asText()).isEqualTo("00:00:00:00:00:01");
        assertThat(host.path("ip").asText()).isEqualTo("10.0.0.1");
        assertThat(host.path("at").path("ofport").asLong()).isEqualTo(1);
    }

    @Test
    void fifty_parallel_announcements_over_http_get_fifty_distinct_addresses() throws Exception {
        bed.withFixture();
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
            ips.add(WeftClient.json(r).path("ip").asText());
        }
        pool.shutdown();
        assertThat(ips).hasSize(50).doesNotContain("10.0.0.1", "10.0.0.5", "10.0.0.0", "10.0.0.255");
    }

    /** A store that cannot take a write (etcd without quorum) is a 503 problem saying why; reads go on. */
    @Test
    void aWriteTheStoreCannotTakeIsA503ProblemSayingWhy() {
        bed.withFixture();
        bed.refuseWrites("etcd has no quorum: 2 of 3 members unreachable (127.0.0.1:22379, 127.0.0.1:32379)");

        HttpResponse<String> r = api.post("/api/v1/networks/red/endpoints",
                "{\"name\":\"c2\",\"host\":\"h2\",\"port\":\"veth-c2\"}");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        JsonNode problem = WeftClient.json(r);
        assertThat(problem.path("type").asText()).isEqualTo("urn:weft:problem:store-unavailable");
        assertThat(problem.path("detail").asText()).isEqualTo("the change was not committed: etcd has no quorum: "
                + "2 of 3 members unreachable (127.0.0.1:22379, 127.0.0.1:32379)");
        assertThat(api.get("/api/v1/networks/red/endpoints/c1").statusCode()).isEqualTo(200);
        assertThat(bed.store.current().endpoints()).hasSize(1);
    }
}
