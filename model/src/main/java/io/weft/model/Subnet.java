package io.weft.model;

/** One IPv4 subnet of a network and its gateway, which Weft's distributed router answers on every host. */
public record Subnet(Ipv4Cidr cidr, Ipv4Address gateway) {

    public Subnet {
        if (cidr == null || gateway == null) {
            throw new IllegalArgumentException("subnet needs both cidr and gateway");
        }
        if (cidr.prefixLength() > 30) {
            throw new IllegalArgumentException("subnet " + cidr + " is too small: use a prefix of /30 or shorter");
        }
        if (!cidr.contains(gateway)) {
            throw new IllegalArgumentException("gateway " + gateway + " is outside subnet " + cidr);
        }
        if (gateway.equals(cidr.network()) || gateway.equals(cidr.broadcast())) {
            throw new IllegalArgumentException("gateway " + gateway + " is the network or broadcast address of " + cidr);
        }
    }

    public static Subnet of(String cidr, String gateway) {
        return new Subnet(Ipv4Cidr.parse(cidr), Ipv4Address.parse(gateway));
    }

    /** True for an address a container may hold: inside, and not network, broadcast or gateway. */
    public boolean isAssignable(Ipv4Address ip) {
        return cidr.contains(ip) && !ip.equals(cidr.network()) && !ip.equals(cidr.broadcast()) && !ip.equals(gateway);
    }
}
