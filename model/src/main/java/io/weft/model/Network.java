package io.weft.model;

import java.util.List;
import java.util.Optional;

/**
 * An isolated overlay network. Networks never exchange packets with each other, even with identical subnets;
 * the subnets of one network are routed to each other by a gateway present on every host.
 */
public record Network(String name, int vni, Encapsulation encapsulation, int mtu, List<Subnet> subnets) {

    public static final int MAX_VNI = 0xff_ffff;
    /** The MTU range a network may have: IPv4's minimum datagram every host must take, up to jumbo frames. */
    public static final int MIN_MTU = 576;
    public static final int MAX_MTU = 9000;

    public Network {
        Names.require("network", name);
        if (vni < 1 || vni > MAX_VNI) {
            throw new IllegalArgumentException("network " + name + ": VNI " + vni + " is outside 1.." + MAX_VNI);
        }
        if (encapsulation == null) {
            throw new IllegalArgumentException("network " + name + ": encapsulation is missing");
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("network " + name + ": MTU " + mtu + " is outside " + MIN_MTU + ".."
                    + MAX_MTU);
        }
        if (subnets == null || subnets.isEmpty()) {
            throw new IllegalArgumentException("network " + name + ": at least one subnet is required");
        }
        subnets = List.copyOf(subnets);
        for (int i = 0; i < subnets.size(); i++) {
            for (int j = i + 1; j < subnets.size(); j++) {
                if (subnets.get(i).cidr().overlaps(subnets.get(j).cidr())) {
                    throw new IllegalArgumentException("network " + name + ": subnets " + subnets.get(i).cidr()
                            + " and " + subnets.get(j).cidr() + " overlap");
                }
            }
        }
    }

    /** The subnet holding {@code ip}, if any. */
    public Optional<Subnet> subnetOf(Ipv4Address ip) {
        return subnets.stream().filter(s -> s.cidr().contains(ip)).findFirst();
    }

    /** The MAC the distributed gateway answers with for {@code subnet}; stable, unicast, locally administered. */
    public MacAddress gatewayMac(Subnet subnet) {
        return new MacAddress(0x0a58_0000_0000L | subnet.gateway().asLong());
    }
}
