package io.weft.controller.view;

/** A host's switch could not be read: the host is unknown, not connected over OpenFlow, or did not answer in time. */
public final class HostUnreadableException extends RuntimeException {

    private final String host;

    public HostUnreadableException(String host, String why) {
        super("host " + host + " cannot be read: " + why);
        this.host = host;
    }

    public String host() {
        return host;
    }
}
