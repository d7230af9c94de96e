package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoalescingRunnerTest {

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void requestsDuringAPassFoldIntoExactlyOneMorePass() {
        AtomicInteger passes = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CoalescingRunner runner = new CoalescingRunner("t", executor, () -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            int n = passes.incrementAndGet();
            CompletableFuture<Void> done = n == 1 ? gate : CompletableFuture.completedFuture(null);
            return done.whenComplete((v, e) -> concurrent.decrementAndGet());
        }, Duration.ofMillis(10), Duration.ofMillis(100));

        runner.request();
        await().until(() -> passes.get() == 1);
        for (int i = 0; i < 100; i++) {
            runner.request();
        }
        gate.complete(null);

        await().until(() -> passes.get() == 2 && concurrent.get() == 0);
        runner.request();
        await().until(() -> passes.get() == 3);
        assertThat(maxConcurrent.get()).isEqualTo(1);
    }

    @Test
    void aFailedPassIsRetriedWithoutAnyNewRequest() {
        AtomicInteger passes = new AtomicInteger();
        CoalescingRunner runner = new CoalescingRunner("t", executor, () -> passes.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new IllegalStateException("switch gone"))
                : CompletableFuture.completedFuture(null), Duration.ofMillis(5), Duration.ofMillis(20));
        runner.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 3);
    }

    @Test
    void aPassThatThrowsIsTreatedAsFailedNotLost() {
        AtomicInteger passes = new AtomicInteger();
        CoalescingRunner runner = new CoalescingRunner("t", executor, () -> {
            if (passes.incrementAndGet() == 1) {
                throw new IllegalStateException("bug");
            }
            return CompletableFuture.completedFuture(null);
        }, Duration.ofMillis(5), Duration.ofMillis(20));
        runner.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 2);
    }
}
