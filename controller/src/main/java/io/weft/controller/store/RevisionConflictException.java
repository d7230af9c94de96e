package io.weft.controller.store;

/** A commit lost a race: the store moved past the revision the writer read. Retry from a fresh read. */
public class RevisionConflictException extends Exception {

    public RevisionConflictException(long expected, long actual) {
        super("store is at revision " + actual + ", not " + expected);
    }
}
