package io.weft.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryStoreTest extends StoreContract {

    @Override
    protected Store newStore() {
        return new InMemoryStore();
    }

    @Test
    void the_embedded_stores_number_commits_one_by_one() throws Exception {
        StoreState s = store.commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.1.1"))));
        StoreState t = store.commit(s.revision(), List.of(new Mutation.DeleteHost("h1")));
        assertThat(List.of(s.revision(), t.revision())).containsExactly(1L, 2L);
    }
}
