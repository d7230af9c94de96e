package io.weft.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Store} promises; each implementation runs it through a subclass. */
abstract class StoreContract {

    protected Store store;

    protected abstract Store newStore();

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Host host(String name, String ip) {
        return Host.of(name, ip);
    }

    static Network network(String name, int vni) {
        return new Network(name, vni, Encapsulation.VXLAN, 1450, List.of(Subnet.of("10.0.0.0/24", "10.0.0.1")));
    }

    static Endpoint endpoint(String net, String name, String host, String ip) {
        Ipv4Address a = Ipv4Address.parse(ip);
        return new Endpoint(new EndpointId(net, name), host, "veth-" + name, MacAddress.fromIpv4(a), a);
    }

    @Test
    void starts_empty_at_revision_zero() {
        assertThat(store.current().revision()).isZero();
        assertThat(store.current().hosts()).isEmpty();
    }

    @Test
    void a_commit_applies_all_mutations_at_a_higher_revision() throws Exception {
        StoreState s = store.commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.1.1")),
                new Mutation.PutNetwork(network("red", 7)),
                new Mutation.PutEndpoint(endpoint("red", "c1", "h1", "10.0.0.2"))));
        assertThat(s.revision()).isPositive();
        assertThat(store.current()).isEqualTo(s);
        assertThat(s.endpoints()).containsKey(new EndpointId("red", "c1"));

        StoreState t = store.commit(s.revision(), List.of(new Mutation.DeleteEndpoint(new EndpointId("red", "c1"))));
        assertThat(t.revision()).isGreaterThan(s.revision());
        assertThat(store.current()).isEqualTo(t);
        assertThat(t.endpoints()).isEmpty();
        assertThat(t.networks()).containsKey("red");
    }

    @Test
    void a_stale_revision_is_refused_and_changes_nothing() throws Exception {
        StoreState s = store.commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.1.1"))));
        assertThatThrownBy(() -> store.commit(0, List.of(new Mutation.PutHost(host("h2", "192.168.1.2")))))
                .isInstanceOf(RevisionConflictException.class);
        assertThatThrownBy(() -> store.commit(s.revision() + 5, List.of(new Mutation.DeleteHost("h1"))))
                .isInstanceOf(RevisionConflictException.class);
        assertThat(store.current().revision()).isEqualTo(s.revision());
        assertThat(store.current().hosts()).containsOnlyKeys("h1");
    }

    @Test
    void listeners_see_every_revision_in_order() throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        List<Long> committed = new ArrayList<>();
        store.addListener(c -> seen.add(c.after().revision()));
        long revision = 0;
        for (int i = 0; i < 20; i++) {
            revision = store.commit(revision, List.of(new Mutation.PutHost(host("h" + i, "192.168.1." + (i + 1)))))
                    .revision();
            committed.add(revision);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 20);
        assertThat(committed).isSorted().doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(committed);
    }

    @Test
    void a_change_tells_the_state_before_and_after() throws Exception {
        List<StoreChange> seen = new CopyOnWriteArrayList<>();
        store.addListener(seen::add);
        StoreState s = store.commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.1.1"))));
        StoreState t = store.commit(s.revision(), List.of(new Mutation.PutHost(host("h2", "192.168.1.2"))));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        assertThat(seen.get(1).before()).isEqualTo(s);
        assertThat(seen.get(1).after()).isEqualTo(t);
        assertThat(seen.get(1).mutations()).containsExactly(new Mutation.PutHost(host("h2", "192.168.1.2")));
    }

    @Test
    void a_failing_listener_does_not_stop_the_others() throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        store.addListener(c -> {
            throw new IllegalStateException("boom");
        });
        store.addListener(c -> seen.add(c.after().revision()));
        StoreState s = store.commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.1.1"))));
        store.commit(s.revision(), List.of(new Mutation.PutHost(host("h2", "192.168.1.2"))));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    }
}
