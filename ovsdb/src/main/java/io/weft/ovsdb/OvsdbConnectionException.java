package io.weft.ovsdb;

/** The connection failed: the peer closed it, broke the protocol, sent a frame too large, or stopped answering. */
public final class OvsdbConnectionException extends OvsdbException {

    public OvsdbConnectionException(String message) {
        super("connection failed", message);
    }

    public OvsdbConnectionException(String message, Throwable cause) {
        super("connection failed", message, cause);
    }
}
