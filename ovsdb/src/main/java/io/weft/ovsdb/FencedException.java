package io.weft.ovsdb;

/** A write refused before it was sent: a newer leader generation holds the host's OVSDB ({@link LeaderFence}). */
public final class FencedException extends RuntimeException {

    private final long holder;

    public FencedException(String host, long generation, long holder) {
        super(host + ": held by leader generation " + holder + ", newer than this replica's " + generation
                + "; it writes nothing there");
        this.holder = holder;
    }

    public long holder() {
        return holder;
    }
}
