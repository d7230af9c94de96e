package io.weft.model;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A limit on bytes held together by many holders (connections buffering unfinished messages): a holder reserves
 * before it keeps more and releases what it let go. Thread-safe; {@link #peak()} is the most ever held.
 */
public final class ByteBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    public ByteBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a byte budget must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Takes {@code bytes} if they fit; false, taking nothing, if they would exceed the capacity. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative reservation " + bytes);
        }
        long now;
        do {
            long before = used.get();
            now = before + bytes;
            if (now > capacity) {
                return false;
            }
            if (used.compareAndSet(before, now)) {
                break;
            }
        } while (true);
        long n = now;
        peak.accumulateAndGet(n, Math::max);
        return true;
    }

    public void release(long bytes) {
        if (bytes < 0 || used.addAndGet(-bytes) < 0) {
            throw new IllegalStateException("released more than was reserved");
        }
    }

    public long capacity() {
        return capacity;
    }

    public long used() {
        return used.get();
    }

    public long peak() {
        return peak.get();
    }
}
