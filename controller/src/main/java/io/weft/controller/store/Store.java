package io.weft.controller.store;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Weft's durable intent: hosts, networks and endpoints, versioned by a single revision that grows with every commit
 * (by one in the embedded store; by etcd's revision, so in larger steps, in the etcd store).
 *
 * <p>Writers read {@link #current()}, validate against it, and {@link #commit} with the revision they read; a commit
 * whose expected revision is stale fails with {@link RevisionConflictException}, and the writer retries from a fresh
 * read. This optimistic scheme is what etcd's transactions offer (compare mod_revision, then put), so an etcd-backed
 * store implements the same interface for several controller replicas.
 */
public interface Store extends AutoCloseable {

    /** How often the default {@link #update} plans again after another writer came first. */
    int MAX_PLAN_ATTEMPTS = 1000;

    /** The latest committed state; never null, revision 0 when empty. */
    StoreState current();

    /**
     * Applies all mutations atomically and durably (they survive a crash once this returns) if the store is still
     * at {@code expectedRevision}.
     *
     * @return the new state, at a revision above {@code expectedRevision}; {@link #current()} is at least as new
     * @throws RevisionConflictException if another commit came first; nothing was changed
     * @throws StoreUnavailableException if the store cannot take a write now; the message says why
     */
    StoreState commit(long expectedRevision, List<Mutation> mutations) throws RevisionConflictException;

    /**
     * Plans against the latest state and commits the plan atomically and durably: {@code plan} sees the state its
     * mutations apply to, so its checks hold when they land. A plan that throws commits nothing. The default is the
     * optimistic loop over {@link #commit} (what a store shared by several replicas does); a single-process store
     * can plan under its commit lock instead, so concurrent writers never plan twice.
     *
     * @throws IllegalStateException if other writers kept coming first, {@value #MAX_PLAN_ATTEMPTS} times
     */
    default StoreState update(Function<StoreState, List<Mutation>> plan) {
        for (int attempt = 0; attempt < MAX_PLAN_ATTEMPTS; attempt++) {
            StoreState state = current();
            try {
                return commit(state.revision(), plan.apply(state));
            } catch (RevisionConflictException e) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("the store is too busy to commit this change: retry");
    }

    /** Calls {@code listener} with every commit, in revision order, on a store-owned thread. */
    void addListener(Consumer<StoreChange> listener);

    /** Whether a write can succeed now, and why not; kept current by the store, cheap to call. */
    default StoreHealth health() {
        return StoreHealth.EMBEDDED;
    }

    @Override
    void close();
}
