package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.controller.intent.IntentService;
import io.weft.controller.store.InMemoryStore;
import io.weft.controller.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A REST server on 127.0.0.1 and an ephemeral port over an in-memory store, and an HTTP client for it. */
final class ApiClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Store store = new InMemoryStore();
    final IntentService intents = new IntentService(store);
    final FakeControllerView view = new FakeControllerView(store);
    final RestServer server = new RestServer(intents, view,
            new RestConfig("127.0.0.1", 0, Duration.ofSeconds(5))).start();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    HttpResponse<String> post(String path, String body) {
        return send("POST", path, body);
    }

    HttpResponse<String> delete(String path) {
        return send("DELETE", path, null);
    }

    /** POSTs and insists on 201. */
    JsonNode created(String path, String body) {
        HttpResponse<String> r = post(path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(r.body(), e);
        }
    }

    /** The standard bed: hosts h1 and h2, network red 10.0.0.0/24 (VNI 100) with endpoint c1 on h1. */
    ApiClient withFixture() {
        created("/api/v1/hosts", "{\"name\":\"h1\",\"tunnelIp\":\"192.168.1.1\",\"ovsdb\":\"unix:/tmp/h1/db.sock\","
                + "\"datapathType\":\"netdev\"}");
        created("/api/v1/hosts", "{\"name\":\"h2\",\"tunnelIp\":\"192.168.1.2\",\"datapathType\":\"netdev\"}");
        created("/api/v1/networks", "{\"name\":\"red\",\"subnets\":[{\"cidr\":\"10.0.0.0/24\",\"gateway\":"
                + "\"10.0.0.1\"}],\"encap\":\"vxlan\",\"vni\":100}");
        created("/api/v1/networks/red/endpoints", "{\"name\":\"c1\",\"host\":\"h1\",\"port\":\"veth-c1\","
                + "\"ip\":\"10.0.0.5\"}");
        return this;
    }

    @Override
    public void close() {
        server.stop();
        store.close();
    }
}
