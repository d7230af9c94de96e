package io.weft.southbound;

/**
 * The controller asked a switch for something its negotiated OpenFlow version cannot express (a second table, a
 * meter, a role on OpenFlow 1.0). Raised before anything is sent, so the switch is left as it was.
 */
public final class UnsupportedByVersionException extends UnsupportedOperationException {

    private final OpenFlowVersion version;

    public UnsupportedByVersionException(OpenFlowVersion version, String what) {
        super(version + " cannot express " + what);
        this.version = version;
    }

    public OpenFlowVersion version() {
        return version;
    }
}
