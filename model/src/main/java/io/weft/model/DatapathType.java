package io.weft.model;

import java.util.Locale;

/** OVS datapath of a bridge: the kernel module ("system") or ovs-vswitchd's userspace datapath ("netdev"). */
public enum DatapathType {
    SYSTEM("system"),
    NETDEV("netdev");

    private final String ovsValue;

    DatapathType(String ovsValue) {
        this.ovsValue = ovsValue;
    }

    public String ovsValue() {
        return ovsValue;
    }

    public static DatapathType parse(String text) {
        if (text != null) {
            for (DatapathType t : values()) {
                if (t.ovsValue.equals(text.toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("datapath type '" + text + "' is not supported (use system or netdev)");
    }
}
