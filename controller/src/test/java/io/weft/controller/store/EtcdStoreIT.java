package io.weft.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.intent.EndpointSpec;
import io.weft.controller.intent.HostSpec;
import io.weft.controller.intent.IntentService;
import io.weft.controller.intent.NetworkSpec;
import io.weft.controller.store.etcd.EtcdStore;
import io.weft.model.Endpoint;
import io.weft.model.Network;
import io.weft.testbed.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract on a real 3-member etcd cluster, and what replicas sharing one prefix rely on: each sees the
 * others' commits in order, a stale revision is refused, and concurrent writers never allocate twice.
 */
class EtcdStoreIT extends StoreContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @RegisterExtension
    static EtcdClusterExtension etcd = EtcdClusterExtension.perClass(3);
    private static EtcdTarget target;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void target() {
        target = EtcdTarget.parse(etcd.cluster().storeUri());
    }

    @AfterEach
    void closeReplicas() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    @Override
    protected Store newStore() {
        return replicas(1, "/contract-" + PREFIXES.incrementAndGet()).get(0);
    }

    /** {@code n} stores on one prefix, each with its own client, as {@code n} controller replicas would have. */
    private List<Store> replicas(int n, String prefix) {
        List<Store> stores = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Client client = target.connect();
            opened.add(client);
            EtcdStore store = EtcdStore.open(client, new EtcdTarget(target.endpoints(), prefix),
                EtcdStore.Settings.DEFAULTS);
            opened.add(0, store); // stores close before their clients
            stores.add(store);
        }
        return stores;
    }

    @Test
    void replicas_see_each_others_commits_in_order() throws Exception {
        List<Store> r = replicas(2, "/order");
        List<Long> seenByA = new CopyOnWriteArrayList<>();
        List<Long> seenByB = new CopyOnWriteArrayList<>();
        r.get(0).addListener(c -> seenByA.add(c.after().revision()));
        r.get(1).addListener(c -> seenByB.add(c.after().revision()));
        List<Long> committed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Store writer = r.get(i % 2);
            int n = i;
            committed.add(writer.update(s -> List.of(new Mutation.PutHost(host("h" + n, "192.168.2." + (n + 1)))))
                    .revision());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seenByA.size() == 10 && seenByB.size() == 10);
        assertThat(seenByA).containsExactlyElementsOf(committed);
        assertThat(seenByB).containsExactlyElementsOf(committed);
        assertThat(r.get(0).current()).isEqualTo(r.get(1).current());
    }

    @Test
    void a_commit_on_a_revision_another_replica_moved_past_is_refused() throws Exception {
        List<Store> r = replicas(2, "/stale");
        StoreState first = r.get(0).commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.3.1"))));
        assertThatThrownBy(() -> r.get(1).commit(0, List.of(new Mutation.PutHost(host("h2", "192.168.3.1")))))
                .isInstanceOf(RevisionConflictException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> r.get(1).current().revision() == first.revision());
        assertThat(r.get(1).current().hosts()).containsOnlyKeys("h1");
        // planned again against the state with h1, the same address is refused by the plan, not lost by the store
        StoreState second = r.get(1).update(s -> List.of(new Mutation.PutHost(host("h2", "192.168.3.2"))));
        assertThat(second.hosts()).containsOnlyKeys("h1", "h2");
    }

    @Test
    void concurrent_writers_on_three_replicas_allocate_nothing_twice_and_lose_nothing() throws Exception {
        List<Store> r = replicas(3, "/concurrent");
        List<IntentService> services = r.stream().map(IntentService::new).toList();
        services.get(0).createHost(new HostSpec("h1", "192.168.4.1", null, null, null));
        services.get(1).createHost(new HostSpec("h2", "192.168.4.2", null, null, null));
        services.get(0).createNetwork(new NetworkSpec("shared-a",
                List.of(new NetworkSpec.SubnetSpec("10.50.0.0/24", null)), null, null, null));
        services.get(2).createNetwork(new NetworkSpec("shared-b",
                List.of(new NetworkSpec.SubnetSpec("10.60.0.0/24", null)), null, null, null));
        int perReplica = 15;
        ExecutorService writers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int replica = w;
                done.add(writers.submit(() -> {
                    IntentService intents = services.get(replica);
                    intents.createNetwork(new NetworkSpec("net" + replica,
                            List.of(new NetworkSpec.SubnetSpec("10.9." + replica + ".0/24", null)), null, null, null));
                    for (int i = 0; i < perReplica; i++) {
                        intents.announceEndpoint("shared-" + (i % 2 == 0 ? "a" : "b"), new EndpointSpec(
                                "c" + replica + "-" + i, "h" + (1 + i % 2), "veth" + replica + "x" + i, null, null));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdownNow();
        }
        long last = r.stream().mapToLong(s -> s.current().revision()).max().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.stream().allMatch(s -> s.current().revision() == last));
        StoreState state = r.get(0).current();
        assertThat(r.get(1).current()).isEqualTo(state);
        assertThat(r.get(2).current()).isEqualTo(state);
        assertThat(state.endpoints()).hasSize(3 * perReplica);
        assertThat(state.endpoints().values().stream().map(e -> e.network() + " " + e.ip()))
                .doesNotHaveDuplicates();
        assertThat(state.endpoints().values().stream().map(Endpoint::mac)).doesNotHaveDuplicates();
        assertThat(state.networks().values().stream().map(Network::vni)).hasSize(5).doesNotHaveDuplicates();
    }
}
