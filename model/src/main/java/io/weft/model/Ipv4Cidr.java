package io.weft.model;

/** An IPv4 prefix such as 10.1.1.0/24. The address must be the network address (no host bits set). */
public record Ipv4Cidr(Ipv4Address network, int prefixLength) {

    public Ipv4Cidr {
        if (network == null) {
            throw new IllegalArgumentException("CIDR network address is missing");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0..32");
        }
        if ((network.bits() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(network + "/" + prefixLength
                    + " has host bits set; did you mean " + Ipv4Address.of(network.bits() & mask(prefixLength))
                    + "/" + prefixLength + "?");
        }
    }

    public static Ipv4Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("CIDR is missing");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected a.b.c.d/len)");
        }
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected a.b.c.d/len)");
        }
        return new Ipv4Cidr(Ipv4Address.parse(text.substring(0, slash)), Integer.parseInt(len));
    }

    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public int mask() {
        return mask(prefixLength);
    }

    public boolean contains(Ipv4Address address) {
        return (address.bits() & mask()) == network.bits();
    }

    public boolean overlaps(Ipv4Cidr other) {
        int common = Math.min(prefixLength, other.prefixLength);
        return ((network.bits() ^ other.network.bits()) & mask(common)) == 0;
    }

    public Ipv4Address broadcast() {
        return Ipv4Address.of(network.bits() | ~mask());
    }

    /** Number of addresses in the prefix, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
