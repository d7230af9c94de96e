package io.weft.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.Transport;

/**
 * The few calls of Docker's Engine API the agent needs, on dockerd's unix socket: list, create and remove the
 * networks of this driver, and read which containers run with which addresses.
 */
public final class DockerEngine implements AutoCloseable {

    private static final String VERSION = "/v1.41";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record IpamConfig(@JsonProperty("Subnet") String subnet, @JsonProperty("Gateway") String gateway) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ipam(@JsonProperty("Driver") String driver, @JsonProperty("Options") Map<String, String> options,
                       @JsonProperty("Config") List<IpamConfig> config) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Network(@JsonProperty("Id") String id, @JsonProperty("Name") String name,
                          @JsonProperty("Driver") String driver, @JsonProperty("Options") Map<String, String> options,
                          @JsonProperty("IPAM") Ipam ipam) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attachment(@JsonProperty("NetworkID") String networkId, @JsonProperty("EndpointID") String endpointId,
                             @JsonProperty("IPAddress") String ipAddress, @JsonProperty("MacAddress") String mac) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Settings(@JsonProperty("Networks") Map<String, Attachment> networks) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Container(@JsonProperty("Id") String id, @JsonProperty("Names") List<String> names,
                            @JsonProperty("NetworkSettings") Settings settings) {
    }

    /** Docker refused or could not be reached; {@code status} 0 for the latter. */
    public static final class DockerException extends RuntimeException {
        private final int status;

        DockerException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Path socket;
    private final HttpClient http = new HttpClient();
    private final Duration timeout;

    public DockerEngine(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("HTTP client: " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    /** The networks of {@code driver} on this daemon. */
    public List<Network> networks(String driver) {
        String filters = "{\"driver\":[\"" + driver + "\"]}";
        return read(send("GET", "/networks?filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8), null),
                new TypeReference<>() { });
    }

    public Network network(String id) {
        return read(send("GET", "/networks/" + id, null), new TypeReference<>() { });
    }

    public void createNetwork(Map<String, Object> body) {
        send("POST", "/networks/create", body);
    }

    public void removeNetwork(String id) {
        send("DELETE", "/networks/" + id, null);
    }

    /** Running containers: only they hold endpoints. */
    public List<Container> runningContainers() {
        return read(send("GET", "/containers/json", null), new TypeReference<>() { });
    }

    private String send(String method, String path, Object body) {
        Request request = http.newRequest("http://docker" + VERSION + path).method(method)
                .transport(new Transport.TCPUnix(socket)).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            if (body != null) {
                request.body(new StringRequestContent("application/json", WeftApi.JSON.writeValueAsString(body)));
            }
            ContentResponse r = request.send();
            if (r.getStatus() >= 300) {
                String message = r.getContentAsString();
                try {
                    message = WeftApi.JSON.readTree(message).path("message").asText(message);
                } catch (IOException notJson) {
                    // keep the body as it is
                }
                throw new DockerException(r.getStatus(), "docker " + method + " " + path + ": " + message);
            }
            return r.getContentAsString();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException(0, "interrupted during docker " + method + " " + path);
        } catch (TimeoutException | ExecutionException e) {
            throw new DockerException(0, "dockerd at " + socket + " did not answer " + method + " " + path + ": "
                    + e.getMessage());
        }
    }

    private static <T> T read(String body, TypeReference<T> type) {
        try {
            return WeftApi.JSON.readValue(body, type);
        } catch (IOException e) {
            throw new DockerException(0, "unexpected reply from dockerd: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
