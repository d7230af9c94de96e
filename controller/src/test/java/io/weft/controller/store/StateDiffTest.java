package io.weft.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.EndpointId;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateDiffTest {

    private static final StoreState BEFORE = StoreState.EMPTY.apply(List.of(
            new Mutation.PutHost(StoreContract.host("h1", "192.168.1.1")),
            new Mutation.PutHost(StoreContract.host("h2", "192.168.1.2")),
            new Mutation.PutNetwork(StoreContract.network("red", 7)),
            new Mutation.PutNetwork(StoreContract.network("blue", 8)),
            new Mutation.PutEndpoint(StoreContract.endpoint("red", "c1", "h1", "10.0.0.2")),
            new Mutation.PutEndpoint(StoreContract.endpoint("red", "c2", "h2", "10.0.0.3"))));

    @Test
    void the_same_state_differs_by_nothing() {
        assertThat(StateDiff.between(BEFORE, BEFORE)).isEmpty();
        assertThat(StateDiff.between(StoreState.EMPTY, StoreState.EMPTY)).isEmpty();
    }

    @Test
    void removals_additions_and_changes_are_each_one_mutation() {
        StoreState after = BEFORE.apply(List.of(
                new Mutation.DeleteEndpoint(new EndpointId("red", "c2")),
                new Mutation.DeleteHost("h2"),
                new Mutation.DeleteNetwork("blue"),
                new Mutation.PutNetwork(StoreContract.network("green", 9)),
                new Mutation.PutEndpoint(StoreContract.endpoint("red", "c1", "h1", "10.0.0.9")),
                new Mutation.PutEndpoint(StoreContract.endpoint("green", "g1", "h1", "10.0.0.2"))), 40);

        List<Mutation> diff = StateDiff.between(BEFORE, after);

        assertThat(diff).containsExactly(
                new Mutation.DeleteEndpoint(new EndpointId("red", "c2")),
                new Mutation.DeleteNetwork("blue"),
                new Mutation.DeleteHost("h2"),
                new Mutation.PutNetwork(StoreContract.network("green", 9)),
                new Mutation.PutEndpoint(StoreContract.endpoint("green", "g1", "h1", "10.0.0.2")),
                new Mutation.PutEndpoint(StoreContract.endpoint("red", "c1", "h1", "10.0.0.9")));
        StoreState replayed = BEFORE.apply(diff, after.revision());
        assertThat(replayed).isEqualTo(after);
        assertThat(replayed.index().addresses("red")).isEqualTo(after.index().addresses("red"));
    }

    @Test
    void everything_removed_is_a_deletion_of_each_record() {
        StoreState empty = BEFORE.apply(StateDiff.between(BEFORE, StoreState.EMPTY), BEFORE.revision() + 3);
        assertThat(empty.hosts()).isEmpty();
        assertThat(empty.networks()).isEmpty();
        assertThat(empty.endpoints()).isEmpty();
    }
}
