package io.weft.controller.intent;

/** A request Weft refuses; nothing was committed. The message says what to change. */
public class IntentException extends RuntimeException {

    /** What kind of mistake it is; the REST layer maps these to 400, 404 and 409. */
    public enum Kind {
        BAD_REQUEST, NOT_FOUND, CONFLICT
    }

    private final Kind kind;

    public IntentException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static IntentException badRequest(String message) {
        return new IntentException(Kind.BAD_REQUEST, message);
    }

    static IntentException notFound(String message) {
        return new IntentException(Kind.NOT_FOUND, message);
    }

    static IntentException conflict(String message) {
        return new IntentException(Kind.CONFLICT, message);
    }
}
