package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/cluster} of a controller without --store: one replica, leading, on the embedded store. */
class ClusterApiTest {

    @Test
    void aSoleReplicaShowsItselfAsLeaderOnTheEmbeddedStore() throws Exception {
        try (TestServer bed = new TestServer()) {
            HttpResponse<String> r = bed.client.get("/api/v1/cluster");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(r.body());
            assertThat(body.path("self").asText()).isEqualTo("test");
            assertThat(body.path("role").asText()).isEqualTo("sole");
            assertThat(body.at("/leader/id").asText()).isEqualTo("test");
            assertThat(body.at("/leader/generation").asLong()).isZero();
            assertThat(body.path("replicas")).hasSize(1);
            assertThat(body.at("/replicas/0/openflowTarget").asText()).isEqualTo("unix:/tmp/weft-test.sock");
            assertThat(body.at("/store/kind").asText()).isEqualTo("embedded");
            assertThat(body.at("/store/writable").asBoolean()).isTrue();
        }
    }
}
