package io.weft.controller.store;

import java.util.List;

/** A {@link Store} that forgets everything on close; for tests and throwaway runs. */
public final class InMemoryStore extends AbstractStore {

    public InMemoryStore() {
        this(StoreState.EMPTY);
    }

    public InMemoryStore(StoreState initial) {
        super("memory", initial);
    }

    @Override
    protected void persist(StoreState next, List<Mutation> mutations) {
        // Nothing to make durable.
    }
}
