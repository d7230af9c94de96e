package io.weft.southbound;

/**
 * The OpenFlow version a switch and Weft agreed on in the handshake. 1.0 has one flow table and a fixed match (Weft
 * uses in_port, eth_src, eth_dst, eth_type of it), output actions, and no meters, roles or bundles; 1.3 has the
 * multi-table pipeline; 1.4 adds bundles (atomic updates).
 */
public enum OpenFlowVersion {
    OF_10("1.0"),
    OF_13("1.3"),
    OF_14("1.4");

    private final String number;

    OpenFlowVersion(String number) {
        this.number = number;
    }

    /** One flow table only, no goto, no metadata, no meters: OpenFlow 1.0. */
    public boolean singleTable() {
        return this == OF_10;
    }

    /** "1.0", "1.3", "1.4". */
    public String number() {
        return number;
    }

    @Override
    public String toString() {
        return "OpenFlow " + number;
    }
}
