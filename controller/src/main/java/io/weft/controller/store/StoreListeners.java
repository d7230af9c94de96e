package io.weft.controller.store;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's listeners, told of each change on one store-owned thread in the order the changes were handed over; a
 * listener that throws is logged and does not stop the others.
 */
public final class StoreListeners implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreListeners.class);

    private final List<Consumer<StoreChange>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService notifier;

    public StoreListeners(String storeName) {
        this.notifier = Executors.newSingleThreadExecutor(
                new DefaultThreadFactory("weft-store-" + storeName + "-listeners", true));
    }

    public void add(Consumer<StoreChange> listener) {
        listeners.add(listener);
    }

    /** Queues {@code change}; callers hand changes over in revision order (under their commit lock or thread). */
    public void publish(StoreChange change) {
        notifier.execute(() -> {
            for (Consumer<StoreChange> l : listeners) {
                try {
                    l.accept(change);
                } catch (RuntimeException e) {
                    LOG.error("store listener {} failed on revision {}", l, change.after().revision(), e);
                }
            }
        });
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
