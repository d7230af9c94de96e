package io.weft.controller.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every store shares: compare-and-commit under one lock, and listeners told in revision order on one
 * store-owned thread. Subclasses only make a commit durable.
 */
public abstract class AbstractStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(AbstractStore.class);

    private final List<Consumer<StoreChange>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService notifier;
    private volatile StoreState current;

    protected AbstractStore(String name, StoreState initial) {
        this.current = initial;
        this.notifier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weft-store-" + name + "-listeners");
            t.setDaemon(true);
            return t;
        });
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
        StoreChange change = new StoreChange(before, after, mutations);
        notifier.execute(() -> notifyListeners(change));
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

    private void notifyListeners(StoreChange change) {
        for (Consumer<StoreChange> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.error("store listener {} failed on revision {}", l, change.after().revision(), e);
            }
        }
    }

    @Override
    public void close() {
        notifier.shutdown();
        try {
            notifier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
