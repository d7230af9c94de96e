package io.weft.controller.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One replica as the others see it, stored as JSON under {@code PREFIX/replicas/ID}.
 *
 * @param id             unique in the deployment ({@code --replica-id})
 * @param restUrl        where its REST API answers
 * @param openflowTarget the target switches are given to reach it ({@code --openflow-advertise})
 * @param startedAt      when it started (ISO-8601)
 * @param version        its Weft version
 */
public record ReplicaInfo(String id, String restUrl, String openflowTarget, String startedAt, String version) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ReplicaInfo {
        if (id == null || id.isBlank() || id.contains("/")) {
            throw new IllegalArgumentException("replica id '" + id + "' must be non-empty and have no '/'");
        }
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException when {@code json} is not a replica (someone else's key) */
    public static ReplicaInfo fromJson(byte[] json) {
        try {
            return JSON.readValue(json, ReplicaInfo.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a replica record: " + e.getMessage(), e);
        }
    }
}
