package io.weft.controller.store.etcd;

import static io.weft.controller.store.etcd.EtcdLayoutTest.LAYOUT;
import static io.weft.controller.store.etcd.EtcdLayoutTest.endpoint;
import static io.weft.controller.store.etcd.EtcdLayoutTest.host;
import static io.weft.controller.store.etcd.EtcdLayoutTest.network;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.controller.store.Codec;
import io.weft.controller.store.Mutation;
import io.weft.controller.store.StoreChange;
import io.weft.model.EndpointId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchedTest {

    private static KeyChange put(String relative, String value, long revision) {
        return new KeyChange("/weft-a/intent/" + relative, Optional.of(value), revision);
    }

    private static KeyChange delete(String relative, long revision) {
        return new KeyChange("/weft-a/intent/" + relative, Optional.empty(), revision);
    }

    private static KeyChange guard(long revision) {
        return put("guard", "0", revision);
    }

    private static final String H1 = Codec.encode(host("h1", "192.168.1.1"));
    private static final String RED = Codec.encode(network("red", 7));
    private static final String C1 = Codec.encode(endpoint("red", "c1", "h1", "10.0.0.2"));

    @Test
    void the_keys_of_one_transaction_are_one_change_at_its_revision() {
        Watched.Step step = Watched.EMPTY.advance(List.of(put("hosts/h1", H1, 12), put("networks/red", RED, 12),
                guard(12), put("endpoints/red/c1", C1, 15), guard(15)), LAYOUT);

        assertThat(step.changes()).extracting(c -> c.after().revision()).containsExactly(12L, 15L);
        StoreChange first = step.changes().get(0);
        assertThat(first.before().revision()).isZero();
        assertThat(first.mutations()).containsExactly(new Mutation.PutHost(host("h1", "192.168.1.1")),
                new Mutation.PutNetwork(network("red", 7)));
        assertThat(step.changes().get(1).before()).isEqualTo(first.after());
        assertThat(step.after().state().revision()).isEqualTo(15);
        assertThat(step.after().guardRevision()).isEqualTo(15);
        assertThat(step.after().state().endpoints()).containsKey(new EndpointId("red", "c1"));
    }

    @Test
    void revisions_already_applied_are_not_applied_again() {
        Watched at15 = Watched.EMPTY.advance(List.of(put("hosts/h1", H1, 15), guard(15)), LAYOUT).after();
        Watched.Step again = at15.advance(List.of(delete("hosts/h1", 14), guard(14)), LAYOUT);
        assertThat(again.changes()).isEmpty();
        assertThat(again.after()).isEqualTo(at15);
    }

    @Test
    void a_read_holds_every_key_at_the_newest_revision() {
        Watched read = Watched.read(List.of(put("endpoints/red/c1", C1, 20), guard(20), put("hosts/h1", H1, 3),
                put("networks/red", RED, 7)), LAYOUT);
        assertThat(read.state().revision()).isEqualTo(20);
        assertThat(read.guardRevision()).isEqualTo(20);
        assertThat(read.state().hosts()).containsOnlyKeys("h1");
        assertThat(read.state().endpoints()).hasSize(1);
        assertThat(Watched.read(List.of(), LAYOUT)).isEqualTo(Watched.EMPTY);
    }

    @Test
    void a_resync_is_one_change_holding_the_difference() {
        Watched old = Watched.read(List.of(put("hosts/h1", H1, 3), put("networks/red", RED, 7),
                put("endpoints/red/c1", C1, 9), guard(9)), LAYOUT);
        Watched fresh = Watched.read(List.of(put("hosts/h1", H1, 3), put("networks/red", RED, 7), guard(30)),
                LAYOUT);

        Watched.Step step = old.resync(fresh, 44);

        assertThat(step.changes()).hasSize(1);
        assertThat(step.changes().get(0).before()).isEqualTo(old.state());
        assertThat(step.changes().get(0).mutations())
                .containsExactly(new Mutation.DeleteEndpoint(new EndpointId("red", "c1")));
        assertThat(step.after().state().revision()).isEqualTo(30);
        assertThat(step.after().state().endpoints()).isEmpty();
        assertThat(step.after().guardRevision()).isEqualTo(30);
    }

    @Test
    void a_resync_that_finds_nothing_new_tells_nothing() {
        Watched old = Watched.read(List.of(put("hosts/h1", H1, 3), guard(3)), LAYOUT);
        Watched.Step step = old.resync(Watched.read(List.of(put("hosts/h1", H1, 3), guard(3)), LAYOUT), 50);
        assertThat(step.changes()).isEmpty();
        assertThat(step.after()).isEqualTo(old);
    }

    @Test
    void deletions_without_a_guard_are_dated_by_the_read() {
        Watched old = Watched.read(List.of(put("hosts/h1", H1, 3), put("networks/red", RED, 8), guard(8)), LAYOUT);
        Watched fresh = Watched.read(List.of(put("hosts/h1", H1, 3), guard(8)), LAYOUT); // red deleted by hand
        Watched.Step step = old.resync(fresh, 61);
        assertThat(step.after().state().revision()).isEqualTo(61);
        assertThat(step.after().state().networks()).isEmpty();
        assertThat(step.after().guardRevision()).isEqualTo(8);
    }

    @Test
    void a_deleted_guard_is_compared_as_missing() {
        Watched old = Watched.read(List.of(put("hosts/h1", H1, 3), guard(3)), LAYOUT);
        assertThat(old.advance(List.of(delete("guard", 5)), LAYOUT).after().guardRevision()).isZero();
    }

    @Test
    void a_key_that_does_not_decode_applies_nothing() {
        assertThatThrownBy(() -> Watched.EMPTY.advance(List.of(put("hosts/h1", H1, 4), put("hosts/h2", "x", 4)),
                LAYOUT)).isInstanceOf(DamagedEtcdKeyException.class).hasMessageContaining("/weft-a/intent/hosts/h2");
    }
}
