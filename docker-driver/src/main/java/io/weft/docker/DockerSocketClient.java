package io.weft.docker;

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

/** {@link DockerEngine} on dockerd's API socket, with Jetty's HTTP client. */
public final class DockerSocketClient implements DockerEngine {

    private static final String VERSION = "/v1.41";

    private final Path socket;
    private final HttpClient http = new HttpClient();
    private final Duration timeout;

    public DockerSocketClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("HTTP client: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Network> networks(String driver) {
        String filters = "{\"driver\":[\"" + driver + "\"]}";
        return read(send("GET", "/networks?filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8), null),
                new TypeReference<>() { });
    }

    @Override
    public Network network(String id) {
        return read(send("GET", "/networks/" + id, null), new TypeReference<>() { });
    }

    @Override
    public void createNetwork(Map<String, Object> body) {
        send("POST", "/networks/create", body);
    }

    @Override
    public void removeNetwork(String id) {
        send("DELETE", "/networks/" + id, null);
    }

    @Override
    public List<Container> runningContainers() {
        return read(send("GET", "/containers/json", null), new TypeReference<>() { });
    }

    @Override
    public Settings networkSettings(String containerId) {
        return read(send("GET", "/containers/" + containerId + "/json", null), new TypeReference<Inspected>() { })
                .settings();
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
