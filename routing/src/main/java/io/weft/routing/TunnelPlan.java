package io.weft.routing;

import io.weft.model.Encapsulation;
import io.weft.model.Host;
import io.weft.model.NetworkSnapshot;
import io.weft.model.TunnelPort;
import io.weft.model.ovs.DesiredPort;
import java.util.ArrayList;
import java.util.List;

/**
 * The tunnel ports a host needs: one per peer host and encapsulation, for both VXLAN and GRE, so that a network can
 * change encapsulation or appear on a host without waiting for OVSDB. Ports carry {@code key=flow}: the pipeline
 * sets the VNI per packet.
 */
public final class TunnelPlan {

    private TunnelPlan() {
    }

    /** Sorted by peer name, then encapsulation (vxlan, gre); empty for an unknown host. */
    public static List<TunnelPort> forHost(NetworkSnapshot snapshot, String host) {
        Host self = snapshot.hosts().get(host);
        return self == null ? List.of() : forHost(self, snapshot.hosts().values());
    }

    /** The tunnels of {@code self} toward every other of {@code hosts}, in the order of {@code hosts}. */
    public static List<TunnelPort> forHost(Host self, Iterable<Host> hosts) {
        List<TunnelPort> ports = new ArrayList<>();
        for (Host peer : hosts) {
            if (peer.name().equals(self.name())) {
                continue;
            }
            for (Encapsulation encap : Encapsulation.values()) {
                ports.add(new TunnelPort(peer.name(), encap, self.tunnelIp(), peer.tunnelIp(), peer.index()));
            }
        }
        return List.copyOf(ports);
    }

    /** The OVSDB rows for {@link #forHost}: the provisioner's input. */
    public static List<DesiredPort> desiredPorts(NetworkSnapshot snapshot, String host) {
        return forHost(snapshot, host).stream().map(TunnelPort::toDesiredPort).toList();
    }
}
