package io.weft.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The plugin calls dockerd 20.10.24 made on the bed (test resource {@code docker-requests/}, see its README). */
final class CapturedRequests {

    record Captured(String path, String body) {
    }

    private CapturedRequests() {
    }

    static List<Captured> all() {
        try (InputStream in = CapturedRequests.class.getResourceAsStream("/docker-requests/dockerd-20.10.24.jsonl")) {
            List<Captured> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                JsonNode n = WeftApi.JSON.readTree(line);
                out.add(new Captured(n.path("path").asText(), n.path("body").asText()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code index}-th call (0-based) to {@code path}. */
    static String body(String path, int index) {
        return all().stream().filter(c -> c.path().equals(path)).skip(index).findFirst().orElseThrow().body();
    }

    static <T> T read(String path, int index, Class<T> type) {
        try {
            return WeftApi.JSON.readValue(body(path, index), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
