package io.weft.controller.reconcile;

import java.time.Duration;

/**
 * How work done off the reconciler's thread comes back to it: as an event, followed by a step. Every completion of
 * an OVSDB transaction, a flow batch or a table read goes through here, so the reconciler's state is only ever
 * touched on its own thread.
 */
interface Loop {

    /** Runs {@code event} on the reconciler's thread, then a step. */
    void run(Runnable event);

    /** A step after {@code delay} (a retry's backoff). */
    void stepAfter(Duration delay);
}
