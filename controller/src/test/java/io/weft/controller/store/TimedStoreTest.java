package io.weft.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A timed store keeps every promise of a store, and times exactly the commits that happened. */
class TimedStoreTest extends StoreContract {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Override
    protected Store newStore() {
        return new TimedStore(new InMemoryStore(), registry);
    }

    @Test
    void times_each_commit_and_not_the_refused_ones() throws Exception {
        store.commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.1.1"))));
        store.update(s -> List.of(new Mutation.PutHost(host("h2", "192.168.1.2"))));
        assertThatThrownBy(() -> store.commit(0, List.of(new Mutation.DeleteHost("h1"))))
                .isInstanceOf(RevisionConflictException.class);
        assertThatThrownBy(() -> store.update(s -> {
            throw new IllegalArgumentException("refused by the plan");
        })).hasMessage("refused by the plan");

        Timer commits = registry.get(TimedStore.COMMIT).timer();
        assertThat(commits.count()).isEqualTo(2);
        assertThat(store.current().revision()).isEqualTo(2);
    }
}
