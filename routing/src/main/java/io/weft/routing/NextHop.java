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

    /** The endpoint is on {@code peer}, but this host's tunnel port toward it has no ofport yet. */
    record NoTunnel(String peer, String portName) implements NextHop {
    }

    /** The endpoint is on this host, and its port has no ofport yet. */
    record Unbound(String reason) implements NextHop {
    }

    /**
     * The next hop from {@code fromHost} to {@code endpoint}. It depends only on what {@code fromHost} itself holds
     * (its tunnel ports and its own endpoints' ports), never on another host's ports: so one host's flows never
     * change because another host's OVSDB is slow, restarting or unreachable, and the other hosts' flows toward a new
     * endpoint go out while its own port is still being made (a packet that arrives before then is dropped on the
     * endpoint's host instead of the sender's).
     */
    static NextHop of(NetworkSnapshot snapshot, String fromHost, Endpoint endpoint) {
        return new NextHops(snapshot, fromHost).of(endpoint);
    }
}
