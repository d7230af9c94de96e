package io.weft.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.cli.ClientCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/**
 * The agent's client of Weft's REST API (/api/v1): plain HTTP or HTTPS trusting a given CA, with an optional bearer
 * token. Every call is bounded in time, so a controller that is down or stuck fails a Docker command with a clear
 * message instead of hanging it. A refusal carries Weft's own problem+json detail.
 */
public final class WeftApi {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Subnet(String cidr, String gateway) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Network(String name, int vni, String encap, int mtu, List<Subnet> subnets) {
    }

    /**
     * An endpoint as Weft reports it; after a waited announce, {@code status} is 201 or 202 (not everywhere yet).
     * {@code aliases}: its other names in its network's DNS, in lower case and sorted, as Weft keeps them;
     * {@code hostname}: the name a reverse lookup of its address answers, null when that is its own name.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Endpoint(String name, String network, String host, String port, String ip, String mac,
                           String gateway, int mtu, int prefixLength, String binding, Map<String, String> pending,
                           List<String> aliases, String hostname) {

        public Endpoint {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }

        Endpoint withNames(List<String> newAliases, String newHostname) {
            return new Endpoint(name, network, host, port, ip, mac, gateway, mtu, prefixLength, binding, pending,
                    newAliases, newHostname);
        }
    }

    /** A refusal or failure, with Weft's explanation; {@code status} 0 when the controller could not be reached. */
    public static final class WeftException extends RuntimeException {
        private final int status;

        WeftException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final URI root;
    private final HttpClient http;
    private final Optional<String> token;
    private final Duration timeout;

    /**
     * @param root    e.g. {@code http://127.0.0.1:8080} or {@code https://weft.example:8443}
     * @param timeout how long one call may take beyond any wait it asks the controller for
     */
    public WeftApi(URI root, Optional<String> token, Optional<Path> ca, Duration timeout) {
        this.root = root;
        this.token = token;
        this.timeout = timeout;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout);
        ca.ifPresent(path -> b.sslContext(ClientCredentials.trusting(path)));
        this.http = b.build();
    }

    public URI root() {
        return root;
    }

    /** A registered host's datapath type: {@code system} (kernel) or {@code netdev} (userspace). */
    public String datapathType(String host) {
        try {
            return JSON.readTree(call("GET", "/hosts/" + enc(host), null, Duration.ZERO)).path("datapathType")
                    .asText();
        } catch (IOException e) {
            throw new WeftException(0, "Weft's reply is not what the agent expects: " + e.getMessage());
        }
    }

    public List<Network> networks() {
        return read(call("GET", "/networks", null, Duration.ZERO), new TypeReference<>() { });
    }

    public void createNetwork(Map<String, Object> body) {
        call("POST", "/networks?wait=true", body, Duration.ofSeconds(30));
    }

    /** The network Weft would make of {@code body} now, checked exactly as a create; nothing is created. */
    public Network dryRunCreateNetwork(Map<String, Object> body) {
        return read(call("POST", "/networks?dryRun=true", body, Duration.ZERO), new TypeReference<>() { });
    }

    /** @return false if it was already gone */
    public boolean deleteNetwork(String name) {
        try {
            call("DELETE", "/networks/" + enc(name), null, Duration.ZERO);
            return true;
        } catch (WeftException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    public List<Endpoint> endpoints(String network) {
        return read(call("GET", "/networks/" + enc(network) + "/endpoints", null, Duration.ZERO),
                new TypeReference<>() { });
    }

    /** Announces and waits until every host of the network acknowledged the flows, at most {@code wait}. */
    public Endpoint announce(String network, Map<String, Object> body, Duration wait) {
        return read(call("POST", "/networks/" + enc(network) + "/endpoints?wait=" + wait.toMillis() + "ms", body,
                wait), new TypeReference<>() { });
    }

    /** Removes it and waits until its flows are gone everywhere, at most {@code wait}; false if it was not there. */
    public boolean removeEndpoint(String network, String name, Duration wait) {
        try {
            call("DELETE", "/networks/" + enc(network) + "/endpoints/" + enc(name) + "?wait=" + wait.toMillis()
                    + "ms", null, wait);
            return true;
        } catch (WeftException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Replaces the endpoint's DNS aliases and hostname (null: none); false if the endpoint is gone. */
    public boolean setAliases(String network, String name, List<String> aliases, String hostname) {
        Map<String, Object> body = hostname == null ? Map.of("aliases", aliases)
                : Map.of("aliases", aliases, "hostname", hostname);
        try {
            call("PUT", "/networks/" + enc(network) + "/endpoints/" + enc(name) + "/aliases", body, Duration.ZERO);
            return true;
        } catch (WeftException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private String call(String method, String path, Object body, Duration wait) {
        URI uri = URI.create(root + "/api/v1" + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout.plus(wait))
                .header("Accept", "application/json");
        try {
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (SSLHandshakeException e) {
            throw new WeftException(0, "Weft controller at " + root + " could not be reached over TLS (" + method
                    + " " + path + "): " + e.getMessage() + "; give --ca with the PEM CA that signed its certificate");
        } catch (HttpTimeoutException e) {
            throw new WeftException(0, "Weft controller at " + root + " did not answer " + method + " " + path
                    + " within " + timeout.plus(wait).toMillis() + " ms");
        } catch (IOException e) {
            throw new WeftException(0, "Weft controller at " + root + " is unreachable (" + method + " " + path
                    + "): " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeftException(0, "interrupted during " + method + " " + path);
        }
        if (r.statusCode() >= 300) {
            throw new WeftException(r.statusCode(), "Weft: " + detail(r));
        }
        return r.body();
    }

    private static String detail(HttpResponse<String> r) {
        try {
            JsonNode problem = JSON.readTree(r.body());
            if (problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
        } catch (IOException | RuntimeException notJson) {
            // the status says enough
        }
        return "HTTP " + r.statusCode() + " " + r.body();
    }

    private static <T> T read(String body, TypeReference<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new WeftException(0, "Weft's reply is not what the agent expects: " + e.getMessage());
        }
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
