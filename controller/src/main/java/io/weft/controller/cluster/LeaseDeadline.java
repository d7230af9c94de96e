package io.weft.controller.cluster;

import java.time.Duration;

/**
 * Until when this replica's election lease is surely alive: the send time of the last keepalive etcd answered,
 * plus the TTL it answered with, less a margin for clock rate drift. etcd counts the TTL from when it handled the
 * keepalive, which is after it was sent, so the lease cannot expire in etcd (and no other replica can be elected)
 * before this deadline. Times are {@link System#nanoTime} values, which keep counting while the process is stopped.
 * Thread-safe.
 */
final class LeaseDeadline {

    /** Of each TTL, kept as a margin: clocks of two machines need not run at quite the same rate. */
    private static final double MARGIN = 0.1;

    private boolean held;
    private long until;

    /** A keepalive sent at {@code sentNanos} was answered: the lease lives {@code ttl} from then, at least. */
    synchronized void renewed(long sentNanos, Duration ttl) {
        if (ttl.isZero() || ttl.isNegative()) {
            lost();
            return;
        }
        long next = sentNanos + (long) (ttl.toNanos() * (1 - MARGIN));
        if (!held || next - until > 0) {
            until = next;
        }
        held = true;
    }

    synchronized void lost() {
        held = false;
    }

    synchronized boolean holds(long nowNanos) {
        return held && nowNanos - until < 0;
    }
}
