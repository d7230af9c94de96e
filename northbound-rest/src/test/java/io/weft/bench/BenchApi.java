package io.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.e2e.WeftApi;
import io.weft.testbed.BedHost;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few REST calls the bench makes; every call reports its client-side wall time. */
final class BenchApi {

    record Reply(int status, JsonNode body, String text, long nanos) {
        boolean ok() {
            return status / 100 == 2;
        }

        double millis() {
            return nanos / 1e6;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    BenchApi(URI base) {
        this.base = base;
    }

    Reply send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(3))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - t0;
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").contains("json") && !r.body().isEmpty()) {
            json = JSON.readTree(r.body());
        }
        return new Reply(r.statusCode(), json == null ? JSON.nullNode() : json, r.body(), took);
    }

    Reply expectOk(String method, String path, String body) throws IOException, InterruptedException {
        Reply r = send(method, path, body);
        if (!r.ok()) {
            throw new IllegalStateException(method + " " + path + " " + (body == null ? "" : body) + ": "
                    + r.status() + " " + r.text());
        }
        return r;
    }

    Reply addHost(BedHost h) throws IOException, InterruptedException {
        return expectOk("POST", "/hosts", WeftApi.hostRegistration(h).toString());
    }

    Reply addNetwork(String name, String cidr, String gateway) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("encap", "vxlan");
        body.putArray("subnets").addObject().put("cidr", cidr).put("gateway", gateway);
        return expectOk("POST", "/networks?wait=true", body.toString());
    }

    static String endpoint(String name, String host, String port) {
        return JSON.createObjectNode().put("name", name).put("host", host).put("port", port).toString();
    }

    Reply announce(String network, String name, String host, String port, boolean waitForInstall)
            throws IOException, InterruptedException {
        return send("POST", "/networks/" + network + "/endpoints" + (waitForInstall ? "?wait=true&timeout=60s" : ""),
                endpoint(name, host, port));
    }

    Reply remove(String network, String name, boolean waitForInstall) throws IOException, InterruptedException {
        return send("DELETE", "/networks/" + network + "/endpoints/" + name
                + (waitForInstall ? "?wait=true&timeout=60s" : ""), null);
    }

    JsonNode host(String name) throws IOException, InterruptedException {
        return expectOk("GET", "/hosts/" + name, null).body();
    }

    long revision() throws IOException, InterruptedException {
        return expectOk("GET", "/health", null).body().path("revision").asLong();
    }

    String flowsText(String host) throws IOException, InterruptedException {
        return expectOk("GET", "/hosts/" + host + "/flows?format=text", null).text();
    }
}
