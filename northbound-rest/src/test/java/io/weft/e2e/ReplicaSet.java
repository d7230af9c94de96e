package io.weft.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.testbed.EtcdCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Replicas of {@code bin/weft controller} on one 3-member {@link EtcdCluster} (Debian's etcd on loopback), each with
 * its own REST port, OpenFlow socket and id {@code rN}: what the replica tests and the failover benchmark run on.
 * Closing it stops every replica and member and removes their directory.
 */
public final class ReplicaSet implements AutoCloseable {

    private final Path work;
    private final EtcdCluster etcd;
    private final int leaseSeconds;
    private final List<WeftProcess> replicas = new ArrayList<>();

    private ReplicaSet(Path work, EtcdCluster etcd, int leaseSeconds) {
        this.work = work;
        this.etcd = etcd;
        this.leaseSeconds = leaseSeconds;
    }

    /** {@code count} replicas with {@code --leader-lease-seconds leaseSeconds}, each up (its API answers). */
    public static ReplicaSet start(int count, int leaseSeconds) throws Exception {
        Path work = Files.createTempDirectory("weft-replicas-");
        ReplicaSet set = new ReplicaSet(work, EtcdCluster.start(3, work), leaseSeconds);
        try {
            for (int i = 0; i < count; i++) {
                // Their --store is this set's own cluster (launch), also when -Dweft.e2e.store=etcd names the shared one.
                set.replicas.add(new WeftProcess(work.resolve("r" + i), Optional.empty()));
            }
            for (int i = 0; i < count; i++) {
                set.launch(set.replicas.get(i));
            }
            return set;
        } catch (Exception | AssertionError e) {
            set.close();
            throw e;
        }
    }

    /** Starts {@code r} (again) with the same options: same id, same store. */
    public void launch(WeftProcess r) throws IOException {
        r.start("--store", etcd.storeUri(), "--replica-id", id(r), "--leader-lease-seconds",
                Integer.toString(leaseSeconds));
    }

    public String id(WeftProcess r) {
        return "r" + replicas.indexOf(r);
    }

    public List<WeftProcess> all() {
        return List.copyOf(replicas);
    }

    public WeftProcess get(int index) {
        return replicas.get(index);
    }

    public EtcdCluster etcd() {
        return etcd;
    }

    public Path work() {
        return work;
    }

    public List<WeftProcess> without(WeftProcess gone) {
        return replicas.stream().filter(r -> r != gone).toList();
    }

    public static JsonNode cluster(WeftProcess r) {
        return r.client().expect(200, "GET", "/api/v1/cluster", null);
    }

    /** The one of {@code live} that leads, once it says so and every one of {@code live} agrees. */
    public WeftProcess awaitLeader(List<WeftProcess> live, Duration atMost) {
        WeftProcess[] leader = new WeftProcess[1];
        await("a leader").atMost(atMost).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
            Set<String> said = new HashSet<>();
            for (WeftProcess r : live) {
                said.add(cluster(r).at("/leader/id").asText(""));
            }
            if (said.size() != 1 || said.contains("")) {
                return false;
            }
            String id = said.iterator().next();
            leader[0] = live.stream().filter(r -> id(r).equals(id)).findFirst().orElse(null);
            return leader[0] != null && cluster(leader[0]).path("role").asText().equals("leader");
        });
        return leader[0];
    }

    /** Waits until {@code by} lists {@code count} live replicas. */
    public void awaitRegistered(WeftProcess by, int count, Duration atMost) {
        await("replicas registered").atMost(atMost).ignoreExceptions()
                .until(() -> cluster(by).path("replicas").size() == count);
    }

    @Override
    public void close() throws Exception {
        for (WeftProcess r : replicas) {
            r.resume(); // a paused one would not stop
            r.close();
        }
        etcd.close();
        try (var paths = Files.walk(work)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
