package io.weft.model;

/** An IPv4 address held as its 32 bits; {@link #toString()} gives dotted-quad. */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {

    public static Ipv4Address of(int bits) {
        return new Ipv4Address(bits);
    }

    /** Parses dotted-quad notation, rejecting anything else (no leading zeros, no short forms). */
    public static Ipv4Address parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("IPv4 address is missing");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected a.b.c.d)");
        }
        int bits = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected a.b.c.d)");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: " + octet + " > 255");
            }
            bits = (bits << 8) | octet;
        }
        return new Ipv4Address(bits);
    }

    /** The address as an unsigned value, handy for OpenFlow fields. */
    public long asLong() {
        return bits & 0xffffffffL;
    }

    public Ipv4Address plus(long n) {
        return new Ipv4Address((int) (asLong() + n));
    }

    public boolean isMulticast() {
        return (bits >>> 28) == 0xe;
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @Override
    public String toString() {
        return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
