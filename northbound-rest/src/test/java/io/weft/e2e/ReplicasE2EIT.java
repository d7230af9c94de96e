package io.weft.e2e;

import static io.weft.e2e.E2eSupport.assertFlowsUntouched;
import static io.weft.e2e.E2eSupport.assertReaches;
import static io.weft.e2e.E2eSupport.flowAges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import io.weft.testbed.EtcdCluster;
import io.weft.testbed.ExecResult;
import io.weft.testbed.TestBedExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16 on a real bed: a 3-member etcd cluster (Debian's etcd on loopback), three replicas of bin/weft with
 * {@code --store} and their own REST ports and OpenFlow sockets, three emulated hosts with two containers each (c1, c2
 * on h1; c3, c4 on h2; c5, c6 on h3), pinging across hosts. Every replica dials every bridge's passive OpenFlow
 * socket and reads every host's OVSDB; only the leader writes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("onelan,hosts=3,containers=2");

    private static final int LEASE_SECONDS = 3;
    /** Far beyond a failover (lease + campaign + a step): the bound of a wait, not a figure (see BENCHMARKS). */
    private static final Duration FAILOVER = Duration.ofSeconds(30);

    static ReplicaSet set;
    static List<WeftProcess> replicas;
    static EtcdCluster etcd;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        set = ReplicaSet.start(3, LEASE_SECONDS);
        replicas = set.all();
        etcd = set.etcd();
        work = set.work();
        E2eSupport.provisionAllHosts(replicas.get(0).client(), BED, "c1", "c3", "c5");
        assertReaches(BED.container("c1"), BED.container("c3"));
        assertReaches(BED.container("c3"), BED.container("c5"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (set != null) {
            set.close();
        }
    }

    private static JsonNode cluster(WeftProcess r) {
        return ReplicaSet.cluster(r);
    }

    private static WeftProcess awaitLeader(List<WeftProcess> live) {
        return set.awaitLeader(live, FAILOVER);
    }

    private static List<WeftProcess> without(WeftProcess gone) {
        return set.without(gone);
    }

    private static CompletableFuture<ExecResult> ping(BedContainer from, BedContainer to, int count, Path log) {
        return CompletableFuture.supplyAsync(() -> from.exec(Duration.ofSeconds(count / 10 + 30), "sh", "-c",
                "ping -i 0.1 -c " + count + " -W 1 " + to.ip() + " | tee " + log));
    }

    private static void awaitFirstReply(Path log, BedContainer to) {
        await("first echo reply").atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(log).contains(" bytes from " + to.ip()));
    }

    private static Map<String, String> ovsdbPorts() {
        Map<String, String> ports = new HashMap<>();
        for (BedHost h : BED.hosts()) {
            ports.put(h.name(), h.vsctl("list-ports", "br-int").orThrow().stdout()
                    + h.vsctl("get", "Open_vSwitch", ".", "external_ids").orThrow().stdout());
        }
        return ports;
    }

    private static Map<String, Map<String, Double>> allFlowAges() {
        Map<String, Map<String, Double>> ages = new HashMap<>();
        BED.hosts().forEach(h -> ages.put(h.name(), flowAges(h)));
        return ages;
    }

    private static void assertAllFlowsUntouched(Map<String, Map<String, Double>> before) {
        BED.hosts().forEach(h -> assertFlowsUntouched(h, before.get(h.name())));
    }

    // ---- scenarios

    @Test
    @Order(1)
    void killingTheLeaderLosesNoPingAndTheNewLeaderRewritesNothingThenInstallsWhatComes() throws Exception {
        WeftProcess leader = awaitLeader(replicas);
        BedContainer c1 = BED.container("c1");
        BedContainer c3 = BED.container("c3");
        Map<String, Map<String, Double>> before = allFlowAges();
        Path log = Files.createTempFile(work, "ping-", ".txt");
        CompletableFuture<ExecResult> ping = ping(c1, c3, 100, log);
        awaitFirstReply(log, c3);

        leader.kill9();
        List<WeftProcess> survivors = without(leader);
        WeftProcess next = awaitLeader(survivors);
        E2eSupport.awaitInSync(next.client(), next.client().revision(), BED.hosts());
        assertAllFlowsUntouched(before);
        assertThat(next.logText()).as("the new leader sent no flow for flows that were right")
                .doesNotContain("flows added");
        assertThat(ping.get(60, TimeUnit.SECONDS).stdout()).as("pings across the failover")
                .contains("100 packets transmitted, 100 received");

        // The new leader answers the containers' DNS (it knows every switch, and each holds the DNS meter).
        await("c3's name from the new leader").atMost(Duration.ofSeconds(20)).until(() -> c1.exec(
                Duration.ofSeconds(15), "busybox", "nslookup", "c3", "10.65.10.254").stdout()
                .contains("Address: " + c3.ip()));

        // A new endpoint, announced through a replica that follows, is installed by the leader.
        WeftProcess follower = survivors.stream().filter(r -> r != next).findFirst().orElseThrow();
        assertThat(cluster(follower).path("role").asText()).isEqualTo("follower");
        follower.client().announce(BED.container("c2"), "net1");
        assertReaches(BED.container("c2"), BED.container("c5"));

        set.launch(leader);
        set.awaitRegistered(next, 3, FAILOVER);
    }

    @Test
    @Order(2)
    void aLeaderPausedPastItsLeaseChangesNothingWhenItResumes() throws Exception {
        WeftProcess old = awaitLeader(replicas);
        long oldGeneration = cluster(old).at("/leader/generation").asLong();
        old.pause();
        WeftProcess next = awaitLeader(without(old));
        assertThat(cluster(next).at("/leader/generation").asLong()).isGreaterThan(oldGeneration);

        next.client().announce(BED.container("c4"), "net1");
        assertReaches(BED.container("c4"), BED.container("c1"));
        E2eSupport.awaitInSync(next.client(), next.client().revision(), BED.hosts());
        Map<String, Map<String, Double>> flows = allFlowAges();
        Map<String, String> ports = ovsdbPorts();
        assertThat(ports.values()).allSatisfy(p -> assertThat(p)
                .contains("weft-leader-generation=\"" + cluster(next).at("/leader/generation").asLong() + "\""));

        old.resume();
        await("the old leader follows").atMost(FAILOVER).ignoreExceptions()
                .until(() -> cluster(old).path("role").asText().equals("follower"));
        // It had no chance to write: what it would have done shows within a few of its steps, if at all.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> ovsdbPorts().equals(ports));
        assertAllFlowsUntouched(flows);
        String resumed = old.logText();
        assertThat(resumed).as("it stepped down by itself, before anything else")
                .contains("steps down (the lease was not renewed within its TTL)");
        assertThat(resumed).as("no switch or host had to refuse it").doesNotContain("a newer leader has taken over");
        assertReaches(BED.container("c4"), BED.container("c1"));
    }

    @Test
    @Order(3)
    void writesGoOnWithOneEtcdMemberLostAreRefusedWithTwoAndPingsNeverStop() throws Exception {
        WeftClient api = replicas.get(0).client();
        BedContainer c1 = BED.container("c1");
        BedContainer c5 = BED.container("c5");
        Path log = Files.createTempFile(work, "ping-", ".txt");
        CompletableFuture<ExecResult> ping = ping(c1, c5, 200, log);
        awaitFirstReply(log, c5);

        etcd.kill(0);
        await("a write with one member lost").atMost(FAILOVER).ignoreExceptions()
                .until(() -> api.announce(BED.container("c6"), "net1") != null);
        assertReaches(BED.container("c6"), c1);

        etcd.kill(1);
        await("writes refused without quorum").atMost(FAILOVER).until(() -> {
            HttpResponse<String> r = api.send("POST", "/api/v1/networks", network("net9"));
            return r.statusCode() == 503 && r.headers().firstValue("Content-Type").orElse("")
                    .startsWith("application/problem+json");
        });
        assertThat(api.revision()).as("reads still answer").isPositive();

        etcd.restart(0);
        etcd.restart(1);
        etcd.awaitWritable();
        await("writes again").atMost(FAILOVER).ignoreExceptions().until(() -> {
            int status = api.send("POST", "/api/v1/networks", network("net9")).statusCode();
            return status == 201 || status == 409;
        });
        assertThat(api.send("GET", "/api/v1/networks/net9", null).statusCode()).isEqualTo(200);
        assertThat(ping.get(60, TimeUnit.SECONDS).stdout()).as("pings while etcd lost and regained quorum")
                .contains("200 packets transmitted, 200 received");
    }

    private static String network(String name) {
        return "{\"name\":\"" + name + "\",\"encap\":\"vxlan\",\"subnets\":[{\"cidr\":\"10.66.9.0/24\","
                + "\"gateway\":\"10.66.9.254\"}]}";
    }

    @Test
    @Order(4)
    void concurrentAnnouncesThroughEveryReplicaGetDistinctAddressesAndNoneIsLost() throws Exception {
        int each = 10;
        List<CompletableFuture<List<JsonNode>>> writers = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            WeftClient api = replicas.get(i).client();
            int replica = i;
            writers.add(CompletableFuture.supplyAsync(() -> IntStream.range(0, each).mapToObj(n -> {
                String name = "z" + replica + "-" + n;
                HttpResponse<String> r = api.announce("net1", WeftClient.endpoint(name, "h" + (replica + 1),
                        "vz" + replica + n), false);
                assertThat(r.statusCode()).as(name + ": " + r.body()).isEqualTo(201);
                return WeftClient.json(r);
            }).toList()));
        }
        List<JsonNode> created = new ArrayList<>();
        for (CompletableFuture<List<JsonNode>> w : writers) {
            created.addAll(w.get(120, TimeUnit.SECONDS));
        }
        List<String> ips = created.stream().map(e -> e.path("ip").asText()).toList();
        assertThat(ips).hasSize(each * replicas.size()).doesNotHaveDuplicates().doesNotContain("");
        Set<String> taken = new HashSet<>();
        BED.containers().forEach(c -> taken.add(c.ip()));
        assertThat(ips).as("no container's address handed out again").doesNotContainAnyElementsOf(taken);
        for (WeftProcess r : replicas) {
            await("every replica lists every endpoint").atMost(FAILOVER).until(() -> {
                JsonNode listed = r.client().expect(200, "GET", "/api/v1/networks/net1/endpoints", null);
                Set<String> names = new HashSet<>();
                listed.forEach(e -> names.add(e.path("name").asText()));
                return created.stream().allMatch(e -> names.contains(e.path("name").asText()));
            });
        }
        for (JsonNode e : created) {
            replicas.get(0).client().delete("/api/v1/networks/net1/endpoints/" + e.path("name").asText());
        }
    }
}
