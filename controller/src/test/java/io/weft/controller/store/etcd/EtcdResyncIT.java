package io.weft.controller.store.etcd;

import static io.weft.controller.store.etcd.EtcdLayoutTest.endpoint;
import static io.weft.controller.store.etcd.EtcdLayoutTest.host;
import static io.weft.controller.store.etcd.EtcdLayoutTest.network;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.store.Mutation;
import io.weft.controller.store.StoreChange;
import io.weft.controller.store.StoreState;
import io.weft.controller.store.StoreUnavailableException;
import io.weft.model.EndpointId;
import io.weft.testbed.EtcdCluster;
import io.weft.testbed.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A watch that fell behind a compaction resyncs; a key that does not decode is refused, and fixing it resumes. */
class EtcdResyncIT {

    @RegisterExtension
    static EtcdClusterExtension etcd = EtcdClusterExtension.perClass(3);
    private static EtcdCluster cluster;
    private static EtcdTarget target;
    private static Client client;
    private final List<EtcdStore> opened = new ArrayList<>();

    @BeforeAll
    static void connect() {
        cluster = etcd.cluster();
        target = EtcdTarget.parse(cluster.storeUri());
        client = target.connect();
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @AfterEach
    void closeStores() {
        opened.forEach(EtcdStore::close);
    }

    private EtcdStore open(String prefix) {
        EtcdStore store = EtcdStore.open(client, new EtcdTarget(target.endpoints(), prefix),
                EtcdStore.Settings.DEFAULTS);
        opened.add(store);
        return store;
    }

    @Test
    void a_watch_behind_a_compaction_reads_again_and_tells_the_difference() throws Exception {
        EtcdStore behind = open("/compacted");
        EtcdStore writer = open("/compacted");
        StoreState start = writer.update(s -> List.of(new Mutation.PutHost(host("h1", "192.168.5.1")),
                new Mutation.PutNetwork(network("red", 5)),
                new Mutation.PutEndpoint(endpoint("red", "c1", "h1", "10.0.0.2"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> behind.current().equals(start));
        List<StoreChange> told = new CopyOnWriteArrayList<>();
        behind.addListener(told::add);

        behind.dropWatch(); // as if its connection were lost
        writer.update(s -> List.of(new Mutation.PutEndpoint(endpoint("red", "c2", "h1", "10.0.0.3"))));
        writer.update(s -> List.of(new Mutation.DeleteEndpoint(new EndpointId("red", "c1"))));
        StoreState last = writer.update(s -> List.of(new Mutation.PutHost(host("h2", "192.168.5.2"))));
        cluster.etcdctl("compact", Long.toString(last.revision())).orThrow();
        behind.rewatch(); // from the revision after its last one: compacted away

        await().atMost(Duration.ofSeconds(10)).until(() -> !told.isEmpty());
        assertThat(told).hasSize(1);
        StoreChange resync = told.get(0);
        assertThat(resync.before()).isEqualTo(start);
        assertThat(resync.mutations()).containsExactlyInAnyOrder(
                new Mutation.DeleteEndpoint(new EndpointId("red", "c1")),
                new Mutation.PutHost(host("h2", "192.168.5.2")),
                new Mutation.PutEndpoint(endpoint("red", "c2", "h1", "10.0.0.3")));
        assertThat(behind.current()).isEqualTo(last);

        // and it follows again from there
        StoreState next = writer.update(s -> List.of(new Mutation.DeleteHost("h2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> behind.current().equals(next));
    }

    @Test
    void a_key_that_does_not_decode_stops_the_open_naming_it() throws Exception {
        cluster.etcdctl("put", "/damaged-at-open/intent/hosts/h1", "{\"name\":\"h1\",").orThrow();
        assertThatThrownBy(() -> open("/damaged-at-open"))
                .isInstanceOf(DamagedEtcdKeyException.class)
                .hasMessageContaining("etcd key /damaged-at-open/intent/hosts/h1 cannot be read");
    }

    @Test
    void a_key_that_stops_decoding_refuses_writes_until_it_is_fixed() throws Exception {
        EtcdStore store = open("/damaged-later");
        StoreState before = store.update(s -> List.of(new Mutation.PutHost(host("h1", "192.168.6.1"))));

        cluster.etcdctl("put", "/damaged-later/intent/networks/red", "not json").orThrow();

        await().atMost(Duration.ofSeconds(10)).until(() -> !store.health().writable());
        assertThat(store.health().detail()).contains("etcd key /damaged-later/intent/networks/red cannot be read");
        assertThat(store.current()).isEqualTo(before); // reads keep the last state read whole
        assertThatThrownBy(() -> store.update(s -> List.of(new Mutation.PutHost(host("h2", "192.168.6.2")))))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("/damaged-later/intent/networks/red");

        cluster.etcdctl("del", "/damaged-later/intent/networks/red").orThrow();

        await().atMost(Duration.ofSeconds(10)).until(() -> store.health().writable());
        StoreState after = store.update(s -> List.of(new Mutation.PutHost(host("h2", "192.168.6.2"))));
        assertThat(after.hosts()).containsOnlyKeys("h1", "h2");
    }
}
