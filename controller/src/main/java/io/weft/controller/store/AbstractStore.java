package io.weft.controller.store;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The part every store shares: compare-and-commit under one lock, and listeners told in revision order on one
 * store-owned thread. Subclasses only make a commit durable.
 */
public abstract class AbstractStore implements Store {

    private final StoreListeners listeners;
    private volatile StoreState current;

    protected AbstractStore(String name, StoreState initial) {
        this.current = initial;
        this.listeners = new StoreListeners(name);
    }

    @Override
    public StoreState current() {
        return current;
    }

    @Override
    public StoreState commit(long expectedRevision, List<Mutation> mutations) throws RevisionConflictException {
        StoreState after;
        synchronized (this) {
            StoreState before = current;
            if (before.revision() != expectedRevision) {
                throw new RevisionConflictException(expectedRevision, before.revision());
            }
            after = commitLocked(before, mutations);
        }
        awaitDurable(after.revision());
        return after;
    }

    /** Plans under the commit lock: concurrent writers queue instead of planning again after every conflict. */
    @Override
    public StoreState update(Function<StoreState, List<Mutation>> plan) {
        StoreState after;
        synchronized (this) {
            StoreState before = current;
            after = commitLocked(before, plan.apply(before));
        }
        awaitDurable(after.revision());
        return after;
    }

    private StoreState commitLocked(StoreState before, List<Mutation> mutations) {
        StoreState after = before.apply(mutations);
        persist(after, mutations);
        current = after;
        // Submitted under the commit lock to a single thread: listeners see revisions in order.
        listeners.publish(new StoreChange(before, after, mutations));
        return after;
    }

    /**
     * Writes {@code next} so that it survives the process dying (SIGKILL included), under the commit lock; must throw,
     * leaving the stored state unchanged, if it cannot.
     */
    protected abstract void persist(StoreState next, List<Mutation> mutations);

    /**
     * Returns once {@code revision} would also survive the machine losing power. Called outside the commit lock, so a
     * store can flush many commits with one fsync (group commit). Default: nothing more to do.
     */
    protected void awaitDurable(long revision) {
    }

    @Override
    public void addListener(Consumer<StoreChange> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        listeners.close();
    }
}
