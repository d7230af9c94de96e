package io.weft.controller.events;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One reader's events, in the bus's order, in a bounded queue. If the reader falls so far behind that the queue is
 * full, it is dropped: its queue is emptied, {@link #dropped()} turns true and it gets nothing more; it resumes with
 * a new subscription after the last id it handled.
 */
public final class EventSubscription implements AutoCloseable {

    private static final SequencedEvent WAKE_UP = new SequencedEvent(Long.MIN_VALUE,
            new ControllerEvent.Resync(java.time.Instant.EPOCH));

    private final EventBus bus;
    private final BlockingQueue<SequencedEvent> queue;
    private volatile boolean dropped;
    private volatile boolean closed;

    EventSubscription(EventBus bus, int capacity) {
        this.bus = bus;
        // One slot more for the wake-up of a dropped reader.
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    /** Called by the bus (under its lock): false once this subscription is closed or dropped. */
    boolean offer(SequencedEvent e) {
        if (closed || dropped) {
            return false;
        }
        if (queue.remainingCapacity() > 1 && queue.offer(e)) {
            return true;
        }
        dropped = true;
        queue.clear();
        queue.offer(WAKE_UP);
        return false;
    }

    /**
     * The next event, waiting at most {@code timeout}; empty when none came in that time, or when this subscription
     * was dropped or closed (see {@link #dropped()}).
     */
    public Optional<SequencedEvent> poll(Duration timeout) throws InterruptedException {
        if (dropped || closed) {
            return Optional.empty();
        }
        SequencedEvent e = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return e == null || e == WAKE_UP || dropped ? Optional.empty() : Optional.of(e);
    }

    /** Whether this subscription gets nothing more: dropped or closed. */
    public boolean ended() {
        return dropped || closed;
    }

    /** Whether the bus dropped this reader for falling behind. */
    public boolean dropped() {
        return dropped;
    }

    /** Events waiting to be read. */
    public int backlog() {
        return dropped ? 0 : queue.size();
    }

    @Override
    public void close() {
        closed = true;
        bus.unsubscribe(this);
        queue.clear();
        queue.offer(WAKE_UP);
    }
}
