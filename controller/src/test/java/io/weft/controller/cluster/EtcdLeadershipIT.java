package io.weft.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.reconcile.Mandate;
import io.weft.controller.store.StoreHealth;
import io.weft.testbed.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three replicas' election and registry on a real 3-member etcd cluster (Debian's etcd on loopback ports): one
 * leads; when it dies another leads with a larger generation; a leader that loses quorum stops leading within its
 * lease; a superseded one steps down at once; the registry lists the live replicas.
 */
class EtcdLeadershipIT {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final EtcdClusterExtension etcd = EtcdClusterExtension.perTest(3);
    private EtcdTarget target;
    private final List<Client> clients = new ArrayList<>();
    private final List<Replicas> replicas = new ArrayList<>();
    private final Map<String, List<String>> targetsSeen = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        target = EtcdTarget.parse(etcd.cluster().storeUri() + "/it");
    }

    @AfterEach
    void stop() {
        replicas.forEach(Replicas::close);
        clients.forEach(Client::close);
    }

    private Replicas replica(String id) {
        Client client = target.connect();
        clients.add(client);
        ReplicaInfo self = new ReplicaInfo(id, "http://127.0.0.1:1/" + id, "unix:/tmp/" + id + ".sock", "now", "t");
        Replicas r = Replicas.onEtcd(client, target, self, new ReplicaSettings(java.util.Optional.of(id), LEASE),
                () -> { }, targets -> targetsSeen.put(id, targets));
        replicas.add(r);
        r.register();
        r.start();
        return r;
    }

    private static ClusterView view(Replicas r) {
        return r.view(new StoreHealth(true, "not asked"));
    }

    private static List<Replicas> leaders(List<Replicas> among) {
        return among.stream().filter(r -> r.leadership().mandate().kind() == Mandate.Kind.LEADER).toList();
    }

    @Test
    void oneLeadsAndWhenItDiesAnotherLeadsWithALargerGeneration() throws Exception {
        List<Replicas> all = List.of(replica("a"), replica("b"), replica("c"));
        await().atMost(WAIT).until(() -> leaders(all).size() == 1);
        Replicas first = leaders(all).get(0);
        long generation = first.leadership().mandate().generation();
        assertThat(generation).isPositive();
        await().atMost(WAIT).until(() -> all.stream().allMatch(r -> view(r).replicas().size() == 3
                && view(r).leader().map(ClusterView.Leader::generation).orElse(0L) == generation));
        assertThat(targetsSeen.get("a")).containsExactly("unix:/tmp/a.sock", "unix:/tmp/b.sock",
                "unix:/tmp/c.sock");
        all.stream().filter(r -> r != first).forEach(r ->
                assertThat(r.leadership().mandate()).isEqualTo(Mandate.follower(generation)));

        // Dies without resigning: its client goes, its leases run out in etcd.
        int index = replicas.indexOf(first);
        clients.get(index).close();
        List<Replicas> rest = all.stream().filter(r -> r != first).toList();
        await().atMost(WAIT).until(() -> leaders(rest).size() == 1);
        assertThat(leaders(rest).get(0).leadership().mandate().generation()).isGreaterThan(generation);
        await().atMost(WAIT).until(() -> first.leadership().mandate().kind() == Mandate.Kind.FOLLOWER);
        await().atMost(WAIT).until(() -> view(rest.get(0)).replicas().size() == 2);
    }

    @Test
    void aSupersededLeaderStepsDownAtOnceAndALeaderWithoutQuorumStopsWithinItsLease() throws Exception {
        List<Replicas> all = List.of(replica("a"), replica("b"));
        await().atMost(WAIT).until(() -> leaders(all).size() == 1);
        Replicas leader = leaders(all).get(0);
        long generation = leader.leadership().mandate().generation();
        leader.leadership().superseded("test");
        assertThat(leader.leadership().mandate().kind()).isEqualTo(Mandate.Kind.FOLLOWER);
        await().atMost(WAIT).until(() -> leaders(all).size() == 1
                && leaders(all).get(0).leadership().mandate().generation() > generation);

        etcd.cluster().kill(1);
        etcd.cluster().kill(2);
        await().atMost(WAIT).until(() -> leaders(all).isEmpty());
        etcd.cluster().restart(1);
        etcd.cluster().restart(2);
        etcd.cluster().awaitWritable();
        await().atMost(WAIT).until(() -> leaders(all).size() == 1);
    }
}
