package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.intent.IntentService;
import io.weft.controller.metrics.ControllerMetrics;
import io.weft.controller.store.InMemoryStore;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The OpenAPI document and the server agree: same operations, and every documented status is really produced. */
class OpenApiTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");

    private static JsonNode served() {
        try (TestServer bed = new TestServer()) {
            HttpResponse<String> r = bed.client.get("/api/v1/openapi.json");
            assertThat(r.statusCode()).isEqualTo(200);
            return WeftClient.json(r);
        }
    }

    /** "METHOD path" for every documented operation. */
    private static Set<String> documentedOperations(JsonNode doc) {
        Set<String> ops = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                ops.add(m.toUpperCase() + " " + p.getKey());
            }
        }));
        return ops;
    }

    /** "METHOD path status" for every documented response. */
    private static Set<String> documentedResponses(JsonNode doc) {
        Set<String> out = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (METHODS.contains(m.getKey())) {
                m.getValue().path("responses").fieldNames().forEachRemaining(status ->
                        out.add(m.getKey().toUpperCase() + " " + p.getKey() + " " + status));
            }
        }));
        return out;
    }

    @Test
    void documents_exactly_the_registered_routes() {
        JsonNode doc = served();
        assertThat(doc.path("openapi").asText()).startsWith("3.0");
        Set<String> registered;
        try (TestServer bed = new TestServer()) {
            registered = bed.server.routes().stream().map(r -> r.method().name() + " " + r.path())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(documentedOperations(doc)).isEqualTo(registered);
    }

    @Test
    void every_operation_has_its_own_operation_id() {
        List<String> ids = new ArrayList<>();
        List<String> without = new ArrayList<>();
        served().path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (METHODS.contains(m.getKey())) {
                String id = m.getValue().path("operationId").asText("");
                if (id.isEmpty()) {
                    without.add(m.getKey().toUpperCase() + " " + p.getKey());
                }
                ids.add(id);
            }
        }));
        assertThat(without).as("operations without an operationId").isEmpty();
        assertThat(ids).as("operationIds").doesNotHaveDuplicates();
    }

    @Test
    void states_the_defaults_of_what_a_request_may_leave_out() {
        JsonNode schemas = served().at("/components/schemas");
        assertThat(schemas.at("/NetworkRequest/properties/encap/default").asText()).isEqualTo("vxlan");
        assertThat(schemas.at("/HostRequest/properties/datapathType/default").asText()).isEqualTo("system");
        assertThat(schemas.at("/SubnetRequest/properties/gateway/description").asText()).contains("first");
        for (String[] optional : new String[][] {{"NetworkRequest", "encap"}, {"HostRequest", "datapathType"},
                {"SubnetRequest", "gateway"}}) {
            assertThat(schemas.at("/" + optional[0] + "/required")).as(optional[0])
                    .noneMatch(field -> field.asText().equals(optional[1]));
        }
    }

    @Test
    void declares_bearer_tokens_everywhere_but_health() {
        JsonNode doc = served();
        assertThat(doc.at("/components/securitySchemes/bearer/type").asText()).isEqualTo("http");
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.path("security").get(0).has("bearer")).isTrue();
        JsonNode health = doc.at("/paths/~1health/get/security");
        assertThat(health.isArray() && health.isEmpty()).as("GET /health is open for liveness probes").isTrue();
    }

    @Test
    void every_reference_resolves() {
        JsonNode doc = served();
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.elements().forEachRemaining(child -> collectRefs(child, refs));
    }

    private static final String HOST_H3 = "{\"name\":\"h3\",\"tunnelIp\":\"192.168.1.3\",\"datapathType\":\"netdev\"}";
    private static final String NET_BLUE = "{\"name\":\"blue\",\"subnets\":[{\"cidr\":\"10.9.0.0/24\",\"gateway\":"
            + "\"10.9.0.1\"}],\"encap\":\"vxlan\"}";
    private static final String EP_C2 = "{\"name\":\"c2\",\"host\":\"h2\",\"port\":\"veth-c2\"}";
    private static final String EPS = "/api/v1/networks/red/endpoints";

    /** One request per documented response, run against the standard bed; the key is the documented response. */
    private static Map<String, Function<TestServer, HttpResponse<String>>> examples() {
        Map<String, Function<TestServer, HttpResponse<String>>> m = new TreeMap<>();
        m.put("GET /health 200", a -> a.client.get("/health"));
        m.put("GET /api/v1/health 200", a -> a.client.get("/api/v1/health"));
        m.put("GET /api/v1 200", a -> a.client.get("/api/v1"));
        m.put("GET /api/v1/openapi.json 200", a -> a.client.get("/api/v1/openapi.json"));
        m.put("GET /api/v1/switches 200", a -> a.client.get("/api/v1/switches"));
        m.put("GET /api/v1/cluster 200", a -> a.client.get("/api/v1/cluster"));
        m.put("GET /api/v1/topology 200", a -> a.client.get("/api/v1/topology"));
        m.put("GET /metrics 200", a -> a.client.get("/metrics"));
        m.put("GET /api/v1/events 200", a -> SseReader.status(a.client, ""));
        m.put("GET /api/v1/events 400", a -> SseReader.status(a.client, "?since=yesterday"));
        m.put("GET /api/v1/events 406", a -> a.client.get("/api/v1/events"));
        m.put("GET /api/v1/events 503", OpenApiTest::oneEventStreamTooMany);

        m.put("POST /api/v1/hosts 201", a -> a.client.post("/api/v1/hosts", HOST_H3));
        m.put("POST /api/v1/hosts 202", a -> stalled(a).client.post("/api/v1/hosts?wait=true&timeout=10ms", HOST_H3));
        m.put("POST /api/v1/hosts 400", a -> a.client.post("/api/v1/hosts", "{"));
        m.put("POST /api/v1/hosts 409", a -> a.client.post("/api/v1/hosts", HOST_H3.replace("h3", "h1")));
        m.put("GET /api/v1/hosts 200", a -> a.client.get("/api/v1/hosts"));
        m.put("GET /api/v1/hosts/{name} 200", a -> a.client.get("/api/v1/hosts/h1"));
        m.put("GET /api/v1/hosts/{name} 404", a -> a.client.get("/api/v1/hosts/h9"));
        m.put("DELETE /api/v1/hosts/{name} 204", a -> a.client.delete("/api/v1/hosts/h2"));
        m.put("DELETE /api/v1/hosts/{name} 200", a -> a.client.delete("/api/v1/hosts/h2?wait=true"));
        m.put("DELETE /api/v1/hosts/{name} 202",
                a -> stalled(a).client.delete("/api/v1/hosts/h2?wait=true&timeout=10ms"));
        m.put("DELETE /api/v1/hosts/{name} 400", a -> a.client.delete("/api/v1/hosts/h2?wait=yes"));
        m.put("DELETE /api/v1/hosts/{name} 404", a -> a.client.delete("/api/v1/hosts/h9"));
        m.put("DELETE /api/v1/hosts/{name} 409", a -> a.client.delete("/api/v1/hosts/h1"));
        m.put("GET /api/v1/hosts/{name}/flows 200", a -> a.client.get("/api/v1/hosts/h1/flows"));
        m.put("GET /api/v1/hosts/{name}/flows 400", a -> a.client.get("/api/v1/hosts/h1/flows?format=yaml"));
        m.put("GET /api/v1/hosts/{name}/flows 404", a -> a.client.get("/api/v1/hosts/h9/flows"));

        m.put("POST /api/v1/networks 200", a -> a.client.post("/api/v1/networks?dryRun=true", NET_BLUE));
        m.put("POST /api/v1/networks 201", a -> a.client.post("/api/v1/networks", NET_BLUE));
        m.put("POST /api/v1/networks 202",
                a -> stalled(a).client.post("/api/v1/networks?wait=true&timeout=10ms", NET_BLUE));
        m.put("POST /api/v1/networks 400",
                a -> a.client.post("/api/v1/networks", NET_BLUE.replace("10.9.0.0/24", "10.9/8")));
        m.put("POST /api/v1/networks 409", a -> a.client.post("/api/v1/networks", NET_BLUE.replace("blue", "red")));
        m.put("GET /api/v1/networks 200", a -> a.client.get("/api/v1/networks"));
        m.put("GET /api/v1/networks/{name} 200", a -> a.client.get("/api/v1/networks/red"));
        m.put("GET /api/v1/networks/{name} 404", a -> a.client.get("/api/v1/networks/blue"));
        m.put("DELETE /api/v1/networks/{name} 204", a -> withBlue(a).client.delete("/api/v1/networks/blue"));
        m.put("DELETE /api/v1/networks/{name} 200", a -> withBlue(a).client.delete("/api/v1/networks/blue?wait=true"));
        m.put("DELETE /api/v1/networks/{name} 202",
                a -> stalled(withBlue(a)).client.delete("/api/v1/networks/blue?wait=true&timeout=10ms"));
        m.put("DELETE /api/v1/networks/{name} 400", a -> a.client.delete("/api/v1/networks/red?timeout=5s"));
        m.put("DELETE /api/v1/networks/{name} 404", a -> a.client.delete("/api/v1/networks/blue"));
        m.put("DELETE /api/v1/networks/{name} 409", a -> a.client.delete("/api/v1/networks/red"));

        m.put("POST /api/v1/networks/{network}/endpoints 201", a -> a.client.post(EPS, EP_C2));
        m.put("POST /api/v1/networks/{network}/endpoints 202",
                a -> stalled(a).client.post(EPS + "?wait=true&timeout=10ms", EP_C2));
        m.put("POST /api/v1/networks/{network}/endpoints 400",
                a -> a.client.post(EPS, EP_C2.replace("}", ",\"x\":1}")));
        m.put("POST /api/v1/networks/{network}/endpoints 404",
                a -> a.client.post("/api/v1/networks/blue/endpoints", EP_C2));
        m.put("POST /api/v1/networks/{network}/endpoints 409", a -> a.client.post(EPS, EP_C2.replace("c2", "c1")));
        m.put("GET /api/v1/networks/{network}/endpoints 200", a -> a.client.get(EPS));
        m.put("GET /api/v1/networks/{network}/endpoints 404", a -> a.client.get("/api/v1/networks/blue/endpoints"));
        m.put("GET /api/v1/networks/{network}/endpoints/{name} 200", a -> a.client.get(EPS + "/c1"));
        m.put("GET /api/v1/networks/{network}/endpoints/{name} 404", a -> a.client.get(EPS + "/c9"));
        m.put("DELETE /api/v1/networks/{network}/endpoints/{name} 204", a -> a.client.delete(EPS + "/c1"));
        m.put("DELETE /api/v1/networks/{network}/endpoints/{name} 200", a -> a.client.delete(EPS + "/c1?wait=true"));
        m.put("DELETE /api/v1/networks/{network}/endpoints/{name} 202",
                a -> stalled(a).client.delete(EPS + "/c1?wait=true&timeout=10ms"));
        m.put("DELETE /api/v1/networks/{network}/endpoints/{name} 400", a -> a.client.delete(EPS + "/c1?wait=1"));
        m.put("DELETE /api/v1/networks/{network}/endpoints/{name} 404", a -> a.client.delete(EPS + "/c9"));
        m.put("PUT /api/v1/networks/{network}/endpoints/{name}/aliases 200",
                a -> a.client.send("PUT", EPS + "/c1/aliases", "{\"aliases\":[\"web\"]}"));
        m.put("PUT /api/v1/networks/{network}/endpoints/{name}/aliases 400",
                a -> a.client.send("PUT", EPS + "/c1/aliases", "{\"aliases\":[\"a.b\"]}"));
        m.put("PUT /api/v1/networks/{network}/endpoints/{name}/aliases 404",
                a -> a.client.send("PUT", EPS + "/c9/aliases", "{\"aliases\":[]}"));
        m.put("GET /api/v1/trace 200", a -> a.client.get("/api/v1/trace?network=red&from=c1&to=10.0.0.9"));
        m.put("GET /api/v1/trace 400", a -> a.client.get("/api/v1/trace?network=blue&from=c1&to=10.0.0.9"));
        m.put("GET /api/v1/trace 503", a -> {
            a.view.ofports.put("h1/veth-c1", 10); // c1 is on br-int of h1, which cannot be read
            return a.client.get("/api/v1/trace?network=red&from=c1&to=10.0.0.9");
        });
        storeUnavailableExamples(m);
        securityAndMediaExamples(m);
        return m;
    }

    /** Every write answers 503 while the store cannot take one (an etcd cluster without quorum). */
    private static void storeUnavailableExamples(Map<String, Function<TestServer, HttpResponse<String>>> m) {
        m.put("POST /api/v1/hosts 503", a -> unavailable(a).client.post("/api/v1/hosts", HOST_H3));
        m.put("DELETE /api/v1/hosts/{name} 503", a -> unavailable(a).client.delete("/api/v1/hosts/h2"));
        m.put("POST /api/v1/networks 503", a -> unavailable(a).client.post("/api/v1/networks", NET_BLUE));
        m.put("DELETE /api/v1/networks/{name} 503",
                a -> unavailable(withBlue(a)).client.delete("/api/v1/networks/blue"));
        m.put("POST /api/v1/networks/{network}/endpoints 503", a -> unavailable(a).client.post(EPS, EP_C2));
        m.put("DELETE /api/v1/networks/{network}/endpoints/{name} 503",
                a -> unavailable(a).client.delete(EPS + "/c1"));
        m.put("PUT /api/v1/networks/{network}/endpoints/{name}/aliases 503",
                a -> unavailable(a).client.send("PUT", EPS + "/c1/aliases", "{\"aliases\":[\"web\"]}"));
    }

    private static TestServer unavailable(TestServer a) {
        a.refuseWrites("etcd has no quorum: 2 of 3 members unreachable (127.0.0.1:22379, 127.0.0.1:32379)");
        return a;
    }

    /**
     * Every operation but GET /health answers 401 without a token, every write 403 to a read token; every POST
     * 413 to a body over the limit and 415 to one that is not JSON.
     */
    private static void securityAndMediaExamples(Map<String, Function<TestServer, HttpResponse<String>>> m) {
        InMemoryStore store = new InMemoryStore();
        List<Route> routes;
        try (ControllerMetrics metrics = new ControllerMetrics()) {
            routes = new RestServer(new IntentService(store), new FakeControllerView(store), metrics, TestServer.SOLE,
                    RestConfig.parse("127.0.0.1:0")).routes();
        }
        for (Route r : routes) {
            String op = r.method().name() + " " + r.path();
            String method = r.method().name();
            String path = r.path().replace("{network}", "red").replace("{name}", "x");
            String body = method.equals("POST") || method.equals("PUT") ? "{}" : null;
            if (!r.path().equals("/health")) {
                m.put(op + " 401", a -> a.anonymous.send(method, path, body));
            }
            if (!method.equals("GET")) {
                m.put(op + " 403", a -> a.reader.send(method, path, body));
            }
            if (method.equals("POST")) {
                m.put(op + " 413", a -> a.client.post(path, " ".repeat((int) RequestBody.MAX_BYTES + 1)));
                m.put(op + " 415", a -> a.client.send(method, path, body, "text/plain"));
            }
        }
    }

    private static HttpResponse<String> oneEventStreamTooMany(TestServer a) {
        List<SseReader> open = new ArrayList<>();
        try {
            for (int i = 0; i < EventStream.MAX_STREAMS; i++) {
                open.add(SseReader.open(a.client, java.util.Optional.empty()));
            }
            return SseReader.status(a.client, "");
        } finally {
            open.forEach(SseReader::close);
        }
    }

    private static TestServer stalled(TestServer a) {
        a.view.stalled = true;
        return a;
    }

    private static TestServer withBlue(TestServer a) {
        a.client.created("/api/v1/networks", NET_BLUE);
        return a;
    }

    @Test
    void every_documented_response_has_an_example_request() {
        assertThat(examples().keySet()).isEqualTo(documentedResponses(served()));
    }

    @TestFactory
    Stream<DynamicTest> every_documented_response_is_reachable() {
        return examples().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            int status = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf(' ') + 1));
            try (TestServer bed = TestServer.secured().withFixture()) {
                HttpResponse<String> r = e.getValue().apply(bed);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
                if (status >= 400) {
                    assertThat(r.headers().firstValue("Content-Type")).get().asString()
                            .startsWith("application/problem+json");
                }
            }
        }));
    }
}
