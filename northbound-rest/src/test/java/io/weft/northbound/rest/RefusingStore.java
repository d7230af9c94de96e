package io.weft.northbound.rest;

import io.weft.controller.store.InMemoryStore;
import io.weft.controller.store.Mutation;
import io.weft.controller.store.RevisionConflictException;
import io.weft.controller.store.Store;
import io.weft.controller.store.StoreChange;
import io.weft.controller.store.StoreHealth;
import io.weft.controller.store.StoreState;
import io.weft.controller.store.StoreUnavailableException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An in-memory store that can be told to refuse writes as the etcd store does without a quorum
 * ({@link StoreUnavailableException}), for the REST API's answer to it; reads go on.
 */
final class RefusingStore implements Store {

    private final InMemoryStore store = new InMemoryStore();
    private volatile String refusal;

    /** From now on every write is refused, saying {@code why}. */
    void refuseWrites(String why) {
        refusal = why;
    }

    private void refuseIfTold() {
        String why = refusal;
        if (why != null) {
            throw new StoreUnavailableException("the change was not committed: " + why);
        }
    }

    @Override
    public StoreState current() {
        return store.current();
    }

    @Override
    public StoreState commit(long expectedRevision, List<Mutation> mutations) throws RevisionConflictException {
        refuseIfTold();
        return store.commit(expectedRevision, mutations);
    }

    @Override
    public StoreState update(Function<StoreState, List<Mutation>> plan) {
        refuseIfTold();
        return store.update(plan);
    }

    @Override
    public void addListener(Consumer<StoreChange> listener) {
        store.addListener(listener);
    }

    @Override
    public StoreHealth health() {
        String why = refusal;
        return why == null ? store.health() : new StoreHealth(false, why);
    }

    @Override
    public void close() {
        store.close();
    }
}
