package io.weft.ovsdb;

/** A failure reported by ovsdb-server (an RPC or operation {@code error}) or by the connection itself. */
public class OvsdbException extends RuntimeException {

    private final String error;

    public OvsdbException(String error, String message) {
        super(message);
        this.error = error;
    }

    public OvsdbException(String error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The OVSDB error tag ({@code "constraint violation"}, {@code "timed out"}, ...) or a Weft tag. */
    public String error() {
        return error;
    }

    /** A {@code wait} operation failed: someone changed the rows between our snapshot and our transaction. */
    public boolean isWaitTimeout() {
        return "timed out".equals(error);
    }
}
