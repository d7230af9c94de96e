package io.weft.controller.store.etcd;

import static io.weft.controller.store.etcd.EtcdLayoutTest.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.store.Mutation;
import io.weft.controller.store.StoreState;
import io.weft.controller.store.StoreUnavailableException;
import io.weft.testbed.EtcdCluster;
import io.weft.testbed.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Members lost one by one: writes go on with one lost, are refused at once (and say why) with two, and resume. */
class EtcdQuorumIT {

    @RegisterExtension
    final EtcdClusterExtension etcd = EtcdClusterExtension.perTest(3);
    private EtcdCluster cluster;
    private Client client;
    private EtcdStore store;
    private final AtomicInteger hosts = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        cluster = etcd.cluster();
        EtcdTarget target = EtcdTarget.parse(cluster.storeUri());
        client = target.connect();
        store = EtcdStore.open(client, new EtcdTarget(target.endpoints(), "/quorum"), EtcdStore.Settings.DEFAULTS);
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        if (client != null) {
            client.close();
        }
    }

    private StoreState addHost() {
        int n = hosts.incrementAndGet();
        return store.update(s -> List.of(new Mutation.PutHost(host("h" + n, "192.168.7." + n))));
    }

    @Test
    void writes_need_a_quorum_and_say_so_when_it_is_lost() throws Exception {
        addHost();

        cluster.kill(0);
        // the lost member may have been the leader: writes come back once the others elect one
        await().atMost(Duration.ofSeconds(15)).ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .until(() -> addHost() != null);

        cluster.kill(1);
        await().atMost(Duration.ofSeconds(15)).until(() -> !store.health().writable());
        StoreState last = store.current();
        assertThat(store.health().detail()).startsWith("etcd has no quorum: 2 of 3 members unreachable (")
                .contains(cluster.member(0).clientAddress()).contains(cluster.member(1).clientAddress());
        assertThatThrownBy(this::addHost).isInstanceOf(StoreUnavailableException.class)
                .hasMessage("the change was not committed: etcd has no quorum: 2 of 3 members unreachable ("
                        + cluster.member(0).clientAddress() + ", " + cluster.member(1).clientAddress() + ")");
        assertThat(store.current()).isEqualTo(last); // reads are still served

        cluster.restart(0);
        cluster.restart(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.health().writable());
        StoreState after = addHost();
        assertThat(after.hosts()).hasSize(last.hosts().size() + 1);
        assertThat(after.revision()).isGreaterThan(last.revision());
    }
}
