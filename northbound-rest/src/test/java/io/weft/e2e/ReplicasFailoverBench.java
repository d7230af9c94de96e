package io.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.TestBedExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The failover benchmark of issue 16 (BENCHMARKS.md), not part of the test suite (its name ends in neither Test nor
 * IT): three replicas on a 3-member etcd, three hosts; ten times, the leader is SIGKILLed and at once an endpoint is
 * announced with {@code ?wait} through a surviving replica. Each kill is timed to a new leader (as the survivors'
 * {@code GET /api/v1/cluster} first says) and to the announce's reply (every host installed it). The killed replica
 * is started again before the next kill. {@code northbound-rest/bench-failover.sh} runs it (as root; system
 * properties {@code kills} and {@code leaseSeconds}). The table goes to the output and to
 * northbound-rest/target/bench-failover-results.md.
 */
class ReplicasFailoverBench {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("onelan,hosts=3,containers=2");

    private static final int KILLS = Integer.getInteger("kills", 10);
    private static final int LEASE_SECONDS = Integer.getInteger("leaseSeconds", 3);
    private static final Duration BOUND = Duration.ofSeconds(60);

    private record Kill(double electedMs, double installedMs, String load) {
    }

    @Test
    void failover() throws Exception {
        List<Kill> kills = new ArrayList<>();
        try (ReplicaSet set = ReplicaSet.start(3, LEASE_SECONDS)) {
            E2eSupport.provisionAllHosts(set.get(0).client(), BED, "c1", "c3", "c5");
            BedContainer moving = BED.container("c6");
            for (int i = 0; i < KILLS; i++) {
                WeftProcess leader = set.awaitLeader(set.all(), BOUND);
                List<WeftProcess> survivors = set.without(leader);
                WeftClient via = survivors.get(i % 2).client();
                String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                long t0 = System.nanoTime();
                leader.kill9();
                CompletableFuture<Long> elected = CompletableFuture.supplyAsync(() -> {
                    set.awaitLeader(survivors, BOUND);
                    return System.nanoTime();
                });
                JsonNode reply = via.announce(moving, "net1");
                long installed = System.nanoTime();
                assertThat(reply.has("installedInMs")).isTrue();
                long electedAt = elected.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                kills.add(new Kill((electedAt - t0) / 1e6, (installed - t0) / 1e6, load));
                System.out.printf(Locale.ROOT, "kill %d: leader %s; new leader after %.0f ms, c6 installed after "
                        + "%.0f ms (load %s)%n", i + 1, set.id(leader), (electedAt - t0) / 1e6,
                        (installed - t0) / 1e6, load);
                HttpResponse<String> removed = via.delete("/api/v1/networks/net1/endpoints/c6?wait=60s");
                assertThat(removed.statusCode()).isBetween(200, 299);
                set.launch(leader);
                set.awaitRegistered(survivors.get(0), 3, BOUND);
            }
        }
        String table = table(kills);
        System.out.println(table);
        Files.writeString(Path.of("target", "bench-failover-results.md"), table);
    }

    private static String table(List<Kill> kills) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%d SIGKILLs of the leader, lease %d s, "
                + "3 replicas, 3 hosts%n%n| | p50 ms | max ms |%n|---|---:|---:|%n", kills.size(), LEASE_SECONDS));
        out.append(row("kill to a new leader (GET /api/v1/cluster)", kills.stream().mapToDouble(Kill::electedMs)
                .sorted().toArray()));
        out.append(row("kill to the first new endpoint installed on every host", kills.stream()
                .mapToDouble(Kill::installedMs).sorted().toArray()));
        out.append(String.format(Locale.ROOT, "%nload average (1 min) at each kill: %s%n",
                kills.stream().map(Kill::load).toList()));
        return out.toString();
    }

    private static String row(String what, double[] sorted) {
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", what, median, sorted[n - 1]);
    }
}
