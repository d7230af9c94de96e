package io.weft.controller.trace;

/** A trace asked about something that does not exist or cannot be sent; nothing was read. */
public final class TraceQueryException extends RuntimeException {

    public TraceQueryException(String message) {
        super(message);
    }
}
