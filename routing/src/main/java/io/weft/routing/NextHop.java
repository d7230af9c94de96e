package io.weft.routing;

import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.NetworkSnapshot;

/** How one host sends a packet to one endpoint. */
public sealed interface NextHop permits NextHop.Local, NextHop.Tunnel, NextHop.NoTunnel, NextHop.Unbound {

    /** The endpoint is on this host: output to its port. */
    record Local(int ofport) implements NextHop {
    }

    /** The endpoint is on {@code peer}: set tun_id to {@code vni}, output to the tunnel port toward it. */
    record Tunnel(String peer, Encapsulation encapsulation, String portName, int ofport, long vni) implements NextHop {
    }

    /** The endpoint is bound on {@code peer}, but this host's tunnel port toward it has no ofport yet. */
    record NoTunnel(String peer, String portName) implements NextHop {
    }

    /** Not reachable from anywhere yet: the endpoint's own port has no ofport. */
    record Unbound(String reason) implements NextHop {
    }

    /**
     * The next hop from {@code fromHost} to {@code endpoint}. An endpoint whose own port is unbound is unreachable from
     * everywhere: sending into a tunnel toward a port that does not exist yet would only black-hole packets.
     */
    static NextHop of(NetworkSnapshot snapshot, String fromHost, Endpoint endpoint) {
        return new NextHops(snapshot, fromHost).of(endpoint);
    }
}
