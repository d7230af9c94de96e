package io.weft.northbound.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The one Java client of the REST API for tests, end-to-end tests and benches: plain HTTP or HTTPS (trusting a given
 * CA), with or without a bearer token. Paths are absolute ({@code /api/v1/hosts}); the orchestrator's calls
 * (register a host, create a network, announce and remove a container) are here once.
 */
public final class WeftClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String API = RestServer.BASE;

    private final URI root;
    private final HttpClient http;
    private final Optional<String> token;
    private final Duration timeout;

    /** @param root scheme, host and port, e.g. {@code http://127.0.0.1:8080} */
    public WeftClient(URI root) {
        this(root, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build(), Optional.empty(), Duration.ofSeconds(60));
    }

    private WeftClient(URI root, HttpClient http, Optional<String> token, Duration timeout) {
        this.root = root;
        this.http = http;
        this.token = token;
        this.timeout = timeout;
    }

    public static WeftClient local(int port) {
        return new WeftClient(URI.create("http://127.0.0.1:" + port));
    }

    /** The same client sending {@code Authorization: Bearer token}. */
    public WeftClient withToken(String bearer) {
        return new WeftClient(root, http, Optional.of(bearer), timeout);
    }

    /** The same server over HTTPS, trusting the certificates {@code tls} trusts. */
    public WeftClient overHttps(SSLContext tls) {
        URI https = URI.create("https://" + root.getRawAuthority());
        return new WeftClient(https, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5)).build(), token, timeout);
    }

    public WeftClient withTimeout(Duration t) {
        return new WeftClient(root, http, token, t);
    }

    public URI root() {
        return root;
    }

    public HttpResponse<String> send(String method, String path, String body) {
        return send(method, path, body, "application/json");
    }

    /** @param contentType sent with a body; the API wants application/json */
    public HttpResponse<String> send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + root + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    /** GET {@code path} with {@code headers}, its body left to read as it comes (a stream of events). */
    public HttpResponse<java.io.InputStream> stream(String path, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).GET();
        headers.forEach(b::header);
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + root + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    public HttpResponse<String> post(String path, String body) {
        return send("POST", path, body);
    }

    public HttpResponse<String> delete(String path) {
        return send("DELETE", path, null);
    }

    /** Sends and insists on {@code status}; the reply's JSON (null node when empty). */
    public JsonNode expect(int status, String method, String path, String body) {
        HttpResponse<String> r = send(method, path, body);
        if (r.statusCode() != status) {
            throw new AssertionError(method + " " + path + (body == null ? "" : " " + body) + ": expected " + status
                    + ", got " + r.statusCode() + " " + r.body());
        }
        return json(r);
    }

    /** POSTs and insists on 201. */
    public JsonNode created(String path, String body) {
        return expect(201, "POST", path, body);
    }

    public static JsonNode json(HttpResponse<String> r) {
        if (r.body().isEmpty()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + r.body(), e);
        }
    }

    // ---- what an orchestrator does

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

    public static String endpoint(String name, String host, String port) {
        return JSON.createObjectNode().put("name", name).put("host", host).put("port", port).toString();
    }

    /** Registers a bed host; insists on 201. */
    public JsonNode addHost(BedHost h) {
        return created(API + "/hosts", hostRegistration(h).toString());
    }

    /** Creates a network and waits until every host holds it; insists on 201. A null encap is left out. */
    public JsonNode addNetwork(String name, String encap, String... cidrAndGateway) {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        if (encap != null) {
            body.put("encap", encap);
        }
        var subnets = body.putArray("subnets");
        for (int i = 0; i < cidrAndGateway.length; i += 2) {
            subnets.addObject().put("cidr", cidrAndGateway[i]).put("gateway", cidrAndGateway[i + 1]);
        }
        return expect(201, "POST", API + "/networks?wait=true", body.toString());
    }

    /** Announces a container; with {@code wait}, the reply comes once every host installed it (or the wait ran out). */
    public HttpResponse<String> announce(String network, String body, boolean wait) {
        return post(API + "/networks/" + network + "/endpoints" + (wait ? "?wait=60s" : ""), body);
    }

    /** Announces a bed container and insists that every host acknowledged it. */
    public JsonNode announce(BedContainer c, String network) {
        String body = JSON.createObjectNode().put("name", c.name()).put("host", c.host())
                .put("port", c.hostInterface()).put("ip", c.ip()).put("mac", c.mac()).toString();
        HttpResponse<String> r = announce(network, body, true);
        JsonNode reply = json(r);
        if (r.statusCode() != 201 || !reply.has("installedInMs")) {
            throw new AssertionError("announce of " + c.name() + " was not acknowledged by every host: "
                    + r.statusCode() + " " + r.body());
        }
        return reply;
    }

    public HttpResponse<String> remove(String network, String endpoint, boolean wait) {
        return delete(API + "/networks/" + network + "/endpoints/" + endpoint + (wait ? "?wait=60s" : ""));
    }

    public long revision() {
        return expect(200, "GET", API + "/health", null).path("revision").asLong();
    }

    public JsonNode host(String name) {
        return expect(200, "GET", API + "/hosts/" + name, null);
    }

    public String flowsText(String host) {
        HttpResponse<String> r = get(API + "/hosts/" + host + "/flows?format=text");
        if (r.statusCode() != 200) {
            throw new AssertionError("flows of " + host + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** Whether the API answers GET /health (open to everyone, for liveness probes). */
    public boolean healthy() {
        try {
            return get("/health").statusCode() == 200;
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }
}
