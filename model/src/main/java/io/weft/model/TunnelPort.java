package io.weft.model;

import io.weft.model.ovs.DesiredPort;
import io.weft.model.ovs.Ownership;
import java.util.Map;

/**
 * A tunnel port on one host toward one peer host with one encapsulation.
 * The name reads naturally in {@code ovs-vsctl show}: {@code vxlan-h2}, {@code gre-h2}; peers whose names are
 * too long for an interface name (15 characters) get a stable hashed suffix instead.
 */
public record TunnelPort(String peer, Encapsulation encapsulation, Ipv4Address localIp, Ipv4Address remoteIp) {

    private static final int MAX_NAME = 15;

    public String portName() {
        return portName(peer, encapsulation);
    }

    public static String portName(String peer, Encapsulation encapsulation) {
        String name = encapsulation.ovsType() + "-" + peer;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = String.format("%08x", peer.hashCode());
        String prefix = encapsulation == Encapsulation.VXLAN ? "vx" : "gr";
        return prefix + "-" + hash;
    }

    /** The OVSDB row this tunnel needs: the VNI comes from the flow ({@code key=flow}), set by the pipeline. */
    public DesiredPort toDesiredPort() {
        return new DesiredPort(portName(), encapsulation.ovsType(),
                Map.of("remote_ip", remoteIp.toString(), "local_ip", localIp.toString(), "key", "flow"),
                Map.of(Ownership.OWNER_KEY, Ownership.OWNER_VALUE,
                        Ownership.PEER_KEY, peer,
                        Ownership.ENCAP_KEY, encapsulation.ovsType()));
    }
}
