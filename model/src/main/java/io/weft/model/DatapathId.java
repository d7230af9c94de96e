package io.weft.model;

import java.util.HexFormat;

/** An OpenFlow datapath id (64 bits) as OVS and Weft's logs, views and probes write it: 16 lower-case hex digits. */
public final class DatapathId {

    private static final HexFormat HEX = HexFormat.of();

    private DatapathId() {
    }

    public static String hex(long dpid) {
        return HEX.toHexDigits(dpid);
    }
}
