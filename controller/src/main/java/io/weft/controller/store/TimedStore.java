package io.weft.controller.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A store whose commits are timed ({@code weft_store_commit_seconds}): from the writer's call until its change is
 * durable, waiting for the commit lock and planning included, as a writer lives it; a commit refused (a conflict, a
 * plan that throws) commits nothing and is not counted. Everything else is the wrapped store's.
 */
public final class TimedStore implements Store {

    static final String COMMIT = "weft.store.commit";

    private final Store store;
    private final Timer commits;

    public TimedStore(Store store, MeterRegistry registry) {
        this.store = store;
        this.commits = Timer.builder(COMMIT).description("A commit, from the writer's call until it is durable")
                .serviceLevelObjectives(Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
                        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1))
                .register(registry);
    }

    @Override
    public StoreState current() {
        return store.current();
    }

    @Override
    public StoreState commit(long expectedRevision, List<Mutation> mutations) throws RevisionConflictException {
        long started = System.nanoTime();
        StoreState after = store.commit(expectedRevision, mutations);
        commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return after;
    }

    @Override
    public StoreState update(Function<StoreState, List<Mutation>> plan) {
        long started = System.nanoTime();
        StoreState after = store.update(plan);
        commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return after;
    }

    @Override
    public void addListener(Consumer<StoreChange> listener) {
        store.addListener(listener);
    }

    @Override
    public StoreHealth health() {
        return store.health();
    }

    @Override
    public void close() {
        store.close();
    }
}
