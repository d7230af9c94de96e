package io.weft.controller.store;

/** A commit lost a race: the store moved past the revision the writer read. Retry from a fresh read. */
public class RevisionConflictException extends Exception {

    private final long actual;

    public RevisionConflictException(long expected, long actual) {
        super("store is at revision " + actual + ", not " + expected);
        this.actual = actual;
    }

    /** The revision the store was at when it refused: a retry plans against a state at least this new. */
    public long actual() {
        return actual;
    }
}
