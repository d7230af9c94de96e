package io.weft.model;

import java.util.Locale;

/** Tunnel encapsulations Weft provisions. {@link #overhead()} is what the outer headers cost over IPv4. */
public enum Encapsulation {
    /** Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8. */
    VXLAN("vxlan", 50),
    /** Outer Ethernet 14 + IPv4 20 + GRE with key 8. */
    GRE("gre", 42);

    private final String ovsType;
    private final int overhead;

    Encapsulation(String ovsType, int overhead) {
        this.ovsType = ovsType;
        this.overhead = overhead;
    }

    /** The OVS interface type, also the lower-case name used in REST and port names. */
    public String ovsType() {
        return ovsType;
    }

    public int overhead() {
        return overhead;
    }

    public static Encapsulation parse(String text) {
        if (text != null) {
            for (Encapsulation e : values()) {
                if (e.ovsType.equals(text.toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException("encapsulation '" + text + "' is not supported (use vxlan or gre)");
    }
}
