package io.weft.controller.reconcile;

import java.util.Locale;

/**
 * How one host came in sync the first time after the reconciler opened it: when its OVSDB cache was read, its switch
 * connected, its flows were compiled, its table was read, and how many flow-mods that took. At start-up every host is
 * counted from the process's start, so that one line per host says where a restart's time went (the restart
 * benchmark reads these lines); a host added later is counted from when it was added. Times are
 * {@link System#nanoTime} values; confined to the reconciler's thread.
 */
final class FirstSync {

    private static final long UNSET = Long.MIN_VALUE;

    private final long originNanos;
    private long ovsdbRead = UNSET;
    private long switchConnected = UNSET;
    private long compiled = UNSET;
    private long readSent = UNSET;
    private long readDone = UNSET;
    private long inSync = UNSET;
    private int flowsCompiled;
    private int flowsRead;
    private long flowModsSent;

    FirstSync(long originNanos) {
        this.originNanos = originNanos;
    }

    void ovsdbRead(long at) {
        if (ovsdbRead == UNSET) {
            ovsdbRead = at;
        }
    }

    void switchConnected(long at) {
        if (switchConnected == UNSET) {
            switchConnected = at;
        }
    }

    void compiled(long at, int flows) {
        if (compiled == UNSET) {
            compiled = at;
            flowsCompiled = flows;
        }
    }

    void readSent(long at) {
        if (readSent == UNSET) {
            readSent = at;
        }
    }

    void readDone(long at, int flows) {
        if (readDone == UNSET) {
            readDone = at;
            flowsRead = flows;
        }
    }

    /** Records the first time the host is in sync; true only that time. */
    boolean inSync(long at, long flowModsSent) {
        if (inSync != UNSET) {
            return false;
        }
        inSync = at;
        this.flowModsSent = flowModsSent;
        return true;
    }

    boolean isInSync() {
        return inSync != UNSET;
    }

    /** Milliseconds from the origin to being in sync, or -1 while it is not. */
    long inSyncMillis() {
        return inSync == UNSET ? -1 : millis(inSync);
    }

    /**
     * E.g. {@code in sync 912 ms after start: OVSDB read at 402 ms, OpenFlow connected at 380 ms, compiled at 610 ms
     * (25110 flows), table read 611-870 ms (25110 flows), 0 flow-mods}.
     */
    String summary() {
        return String.format(Locale.ROOT, "in sync %d ms after start: OVSDB read at %s ms, OpenFlow connected at %s "
                        + "ms, compiled at %s ms (%d flows), table read %s-%s ms (%d flows), %d flow-mods",
                millis(inSync), at(ovsdbRead), at(switchConnected), at(compiled), flowsCompiled, at(readSent),
                at(readDone), flowsRead, flowModsSent);
    }

    private String at(long nanos) {
        return nanos == UNSET ? "?" : Long.toString(millis(nanos));
    }

    private long millis(long nanos) {
        return Math.round((nanos - originNanos) / 1e6);
    }
}
