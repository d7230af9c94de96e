package io.weft.model;

import java.util.HexFormat;

/** A 48-bit Ethernet address held in the low bits of a long; {@link #toString()} gives aa:bb:cc:dd:ee:ff. */
public record MacAddress(long bits) {

    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("MAC address has more than 48 bits");
        }
    }

    public static MacAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("MAC address is missing");
        }
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected aa:bb:cc:dd:ee:ff)");
        }
        long bits = 0;
        for (String part : parts) {
            if (part.length() != 2 || Character.digit(part.charAt(0), 16) < 0 || Character.digit(part.charAt(1), 16) < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected aa:bb:cc:dd:ee:ff)");
            }
            bits = (bits << 8) | Integer.parseInt(part, 16);
        }
        return new MacAddress(bits);
    }

    /** Docker's convention: 02:42 followed by the IPv4 address, locally administered and unicast. */
    public static MacAddress fromIpv4(Ipv4Address ip) {
        return new MacAddress(0x0242_0000_0000L | ip.asLong());
    }

    public boolean isMulticast() {
        return ((bits >>> 40) & 1) == 1;
    }

    public boolean isZero() {
        return bits == 0;
    }

    @Override
    public String toString() {
        byte[] octets = new byte[6];
        for (int i = 0; i < 6; i++) {
            octets[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return COLONS.formatHex(octets); // not String.format: a MAC is written per store commit, event and reply
    }
}
