package io.weft.controller.reconcile;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an asynchronous pass at most once at a time. A {@link #request()} while a pass runs schedules exactly one more
 * pass after it, however many requests came in. A failed pass is retried with capped exponential backoff, so a host
 * that is unreachable for a while converges when it returns without anyone having to ask again.
 */
public final class CoalescingRunner {

    private static final Logger log = LoggerFactory.getLogger(CoalescingRunner.class);
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUNNING_DIRTY = 2;

    private final String name;
    private final ScheduledExecutorService executor;
    private final Supplier<CompletionStage<?>> pass;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile Duration backoff;
    private volatile boolean closed;

    public CoalescingRunner(String name, ScheduledExecutorService executor, Supplier<CompletionStage<?>> pass,
                            Duration minBackoff, Duration maxBackoff) {
        this.name = name;
        this.executor = executor;
        this.pass = pass;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.backoff = minBackoff;
    }

    /** Asks for a pass soon; cheap and safe to call from any thread, including event loops. */
    public void request() {
        while (!closed) {
            int s = state.get();
            if (s == IDLE && state.compareAndSet(IDLE, RUNNING)) {
                executor.execute(this::run);
                return;
            }
            if (s == RUNNING && state.compareAndSet(RUNNING, RUNNING_DIRTY)) {
                return;
            }
            if (s == RUNNING_DIRTY) {
                return;
            }
        }
    }

    public void close() {
        closed = true;
    }

    private void run() {
        if (closed) {
            return;
        }
        CompletionStage<?> stage;
        try {
            stage = pass.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((ok, error) -> {
            if (error != null) {
                Duration wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                log.debug("{}: pass failed, retrying in {} ms: {}", name, wait.toMillis(), error.toString());
                state.set(RUNNING);
                executor.schedule(this::run, wait.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            backoff = minBackoff;
            if (!state.compareAndSet(RUNNING, IDLE)) {
                state.set(RUNNING);
                executor.execute(this::run);
            }
        });
    }
}
