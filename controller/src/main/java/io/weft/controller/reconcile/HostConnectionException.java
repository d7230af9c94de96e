package io.weft.controller.reconcile;

/**
 * A host's connection cannot be made with this controller's configuration, for example an {@code ssl:} target
 * stored before the controller was restarted without TLS files. Thrown by {@link HostConnector#connect} before
 * anything was opened; the message says what is wrong and what to change, for the host's status and the log.
 */
public final class HostConnectionException extends RuntimeException {

    private final String host;

    public HostConnectionException(String host, String message) {
        super("host " + host + ": " + message);
        this.host = host;
    }

    public String host() {
        return host;
    }
}
