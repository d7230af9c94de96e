package io.weft.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The REST calls an orchestrator makes, against a running controller. */
public final class WeftApi {

    record Reply(int status, JsonNode body, String contentType) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    WeftApi(URI base) {
        this.base = base;
    }

    Reply send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        return new Reply(r.statusCode(), json, r.headers().firstValue("Content-Type").orElse(""));
    }

    Reply expect(int status, String method, String path, String body) throws IOException, InterruptedException {
        Reply r = send(method, path, body);
        if (r.status() != status) {
            throw new AssertionError(method + " " + path + " " + body + ": expected " + status + ", got "
                    + r.status() + " " + r.body());
        }
        return r;
    }

    /**
     * The POST /hosts body for a test-bed host. Its bridge gets a passive OpenFlow socket in the host's own run
     * directory, because ovs-vswitchd refuses unix controller sockets anywhere else.
     */
    public static ObjectNode hostRegistration(BedHost h) {
        return JSON.createObjectNode()
                .put("name", h.name())
                .put("tunnelIp", h.tunnelIp())
                .put("ovsdb", h.ovsdbTarget())
                .put("datapathType", "netdev")
                .put("openflow", "punix:" + h.runDir().resolve("br-int.weft"));
    }

    Reply addHost(BedHost h) throws IOException, InterruptedException {
        return expect(201, "POST", "/hosts", hostRegistration(h).toString());
    }

    Reply addNetwork(String name, String encap, String... cidrAndGateway) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("encap", encap);
        var subnets = body.putArray("subnets");
        for (int i = 0; i < cidrAndGateway.length; i += 2) {
            subnets.addObject().put("cidr", cidrAndGateway[i]).put("gateway", cidrAndGateway[i + 1]);
        }
        return expect(201, "POST", "/networks?wait=true", body.toString());
    }

    /** Announces a bed container on {@code network}, waiting until every host installed it. */
    Reply announce(BedContainer c, String network) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode()
                .put("name", c.name())
                .put("host", c.host())
                .put("port", c.hostInterface())
                .put("ip", c.ip())
                .put("mac", c.mac());
        Reply r = expect(201, "POST", "/networks/" + network + "/endpoints?wait=true", body.toString());
        if (!r.body().has("installedInMs")) {
            throw new AssertionError("announce of " + c.name() + " was not acknowledged by every host: " + r.body());
        }
        return r;
    }

    Reply remove(String network, String endpoint) throws IOException, InterruptedException {
        return expect(200, "DELETE", "/networks/" + network + "/endpoints/" + endpoint + "?wait=true", null);
    }

    long revision() throws IOException, InterruptedException {
        return expect(200, "GET", "/health", null).body().path("revision").asLong();
    }
}
