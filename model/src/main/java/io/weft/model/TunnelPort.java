package io.weft.model;

import io.weft.model.ovs.DesiredPort;
import io.weft.model.ovs.Ownership;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tunnel port on one host toward one peer host with one encapsulation.
 * The name reads naturally in {@code ovs-vsctl show}: {@code vxlan-h2}, {@code gre-h2}; peers whose names are
 * too long for an interface name (15 characters) get a stable hashed suffix instead.
 *
 * @param peerIndex the peer's {@link Host#index()}: the port then asks for the number every host's tunnel toward that
 *                  peer asks for ({@link DesiredPort#tunnelOfport})
 */
public record TunnelPort(String peer, Encapsulation encapsulation, Ipv4Address localIp, Ipv4Address remoteIp,
                         OptionalInt peerIndex) {

    public TunnelPort(String peer, Encapsulation encapsulation, Ipv4Address localIp, Ipv4Address remoteIp) {
        this(peer, encapsulation, localIp, remoteIp, OptionalInt.empty());
    }

    private static final int MAX_NAME = 15;
    private static final Pattern HASHED = Pattern.compile("([a-z]+)-[0-9a-f]{8}");

    public String portName() {
        return portName(peer, encapsulation);
    }

    public static String portName(String peer, Encapsulation encapsulation) {
        String name = encapsulation.ovsType() + "-" + peer;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = String.format("%08x", peer.hashCode());
        return hashedPrefix(encapsulation) + "-" + hash;
    }

    /** Whether {@link #portName} gives {@code name} for some peer: such a port is Weft's, never a container's. */
    public static boolean isTunnelPortName(String name) {
        for (Encapsulation e : Encapsulation.values()) {
            if (name.startsWith(e.ovsType() + "-") && name.length() > e.ovsType().length() + 1) {
                return true;
            }
        }
        Matcher m = HASHED.matcher(name);
        return m.matches() && Arrays.stream(Encapsulation.values()).anyMatch(e -> hashedPrefix(e).equals(m.group(1)));
    }

    private static String hashedPrefix(Encapsulation encapsulation) {
        return encapsulation == Encapsulation.VXLAN ? "vx" : "gr";
    }

    /**
     * The OVSDB row this tunnel needs: the VNI comes from the flow ({@code key=flow}), set by the pipeline. It asks
     * for the peer's tunnel port number when the peer has an index.
     */
    public DesiredPort toDesiredPort() {
        OptionalInt number = peerIndex.isPresent()
                ? OptionalInt.of(DesiredPort.tunnelOfport(peerIndex.getAsInt(), encapsulation)) : OptionalInt.empty();
        return new DesiredPort(portName(), encapsulation.ovsType(),
                Map.of("remote_ip", remoteIp.toString(), "local_ip", localIp.toString(), "key", "flow"),
                Map.of(Ownership.OWNER_KEY, Ownership.OWNER_VALUE,
                        Ownership.PEER_KEY, peer,
                        Ownership.ENCAP_KEY, encapsulation.ovsType()), number);
    }
}
