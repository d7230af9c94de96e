package io.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.EtcdClusterExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16, scenario 3 at the REST API of a real controller started with {@code --store}: with two of three etcd
 * members lost a write is a 503 problem+json that says why, reads are still answered, and once the members are back
 * writes are accepted again.
 */
class EtcdQuorumE2EIT {

    private static final String NETWORK = "{\"name\":\"%s\",\"subnets\":[{\"cidr\":\"10.70.%d.0/24\"}]}";

    private Path dir;
    @RegisterExtension
    final EtcdClusterExtension etcd = EtcdClusterExtension.perTest(3);
    private WeftProcess weft;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("weft-e2e-");
        weft = new WeftProcess(dir.resolve("weft"), Optional.of(etcd.cluster().storeUri() + "/quorum")).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (weft != null) {
            weft.close();
        }
        // What the controller kept under it went with it; the directory itself is the test's.
        try (java.util.stream.Stream<Path> left = Files.walk(dir)) {
            left.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aWriteWithoutQuorumIsA503ProblemThatSaysWhyAndWritesResumeWithIt() throws Exception {
        WeftClient api = weft.client();
        api.created("/api/v1/networks", NETWORK.formatted("before", 1));

        etcd.cluster().kill(1);
        etcd.cluster().kill(2);
        // A write sent before the controller noticed may wait out its deadline (a 503 too, saying it may not have
        // been committed); once the lost quorum is known, writes are refused at once with why.
        HttpResponse<String> refused = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.post("/api/v1/networks", NETWORK.formatted("during", 2)),
                        r -> r.statusCode() == 503 && r.body().contains("no quorum"));

        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = WeftClient.json(refused);
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asText()).isEqualTo("the change was not committed: etcd has no quorum: "
                + "2 of 3 members unreachable (" + etcd.cluster().member(1).clientAddress() + ", "
                + etcd.cluster().member(2).clientAddress() + ")");
        HttpResponse<String> read = api.get("/api/v1/networks");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"before\"").doesNotContain("\"during\"");

        etcd.cluster().restart(1);
        etcd.cluster().restart(2);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.post("/api/v1/networks", NETWORK.formatted("after", 3)).statusCode() == 201);
        // (a write that timed out may still land once the quorum is back: it said so)
        assertThat(api.get("/api/v1/networks").body()).contains("\"before\"", "\"after\"");
    }
}
