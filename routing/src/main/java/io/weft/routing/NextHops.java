package io.weft.routing;

import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.TunnelPort;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Next hops from one host, with its tunnel ports' ofports looked up once per peer: the form to use when resolving many
 * endpoints (a host's full compile resolves every endpoint of every network present on it).
 */
public final class NextHops {

    private final NetworkSnapshot snapshot;
    private final String fromHost;
    /** Per peer and encapsulation: the tunnel port's name and ofport (null when unbound), filled on demand. */
    private final Map<String, Map<Encapsulation, TunnelEnd>> tunnels = new HashMap<>();

    private record TunnelEnd(String portName, Integer ofport) {
    }

    public NextHops(NetworkSnapshot snapshot, String fromHost) {
        this.snapshot = snapshot;
        this.fromHost = fromHost;
    }

    public String fromHost() {
        return fromHost;
    }

    /** See {@link NextHop#of}. */
    public NextHop of(Endpoint endpoint) {
        if (endpoint.host().equals(fromHost)) {
            OptionalInt own = snapshot.ofport(endpoint.host(), endpoint.port());
            return own.isPresent() ? new NextHop.Local(own.getAsInt())
                    : new NextHop.Unbound("port " + endpoint.port() + " of " + endpoint.id() + " has no ofport on "
                    + endpoint.host());
        }
        Network network = snapshot.networks().get(endpoint.network());
        Encapsulation encap = network.encapsulation();
        TunnelEnd tunnel = tunnels.computeIfAbsent(endpoint.host(), h -> new EnumMap<>(Encapsulation.class))
                .computeIfAbsent(encap, e -> {
                    String name = TunnelPort.portName(endpoint.host(), e);
                    OptionalInt ofport = snapshot.ofport(fromHost, name);
                    return new TunnelEnd(name, ofport.isPresent() ? ofport.getAsInt() : null);
                });
        if (tunnel.ofport() == null) {
            return new NextHop.NoTunnel(endpoint.host(), tunnel.portName());
        }
        return new NextHop.Tunnel(endpoint.host(), encap, tunnel.portName(), tunnel.ofport(), network.vni());
    }
}
