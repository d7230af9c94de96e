package io.weft.routing;

import io.weft.model.Endpoint;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import java.util.ArrayList;
import java.util.List;

/**
 * The router of one network, present on every host that holds one of its endpoints: one gateway port per subnet
 * (the subnet's gateway IP and {@link Network#gatewayMac}), and a route toward each endpoint from every other subnet.
 */
public final class DistributedGateway {

    /** The gateway's face on one subnet. */
    public record GatewayPort(Subnet subnet, Ipv4Address ip, MacAddress mac) {
    }

    /**
     * A packet sent to {@code ingressMac} (the gateway of a subnet other than the target's) for {@code target}'s IP
     * leaves the router from {@code egressMac} (the gateway of the target's subnet).
     */
    public record Route(MacAddress ingressMac, MacAddress egressMac, Endpoint target) {
    }

    private DistributedGateway() {
    }

    public static List<GatewayPort> ports(Network network) {
        List<GatewayPort> ports = new ArrayList<>(network.subnets().size());
        for (Subnet s : network.subnets()) {
            ports.add(new GatewayPort(s, s.gateway(), network.gatewayMac(s)));
        }
        return ports;
    }

    /** Routes toward {@code target} from the network's other subnets; none for a single-subnet network. */
    public static List<Route> routesTo(Network network, Endpoint target) {
        if (network.subnets().size() == 1) {
            return List.of();
        }
        Subnet own = null;
        for (Subnet s : network.subnets()) {
            if (s.cidr().contains(target.ip())) {
                own = s;
            }
        }
        if (own == null) {
            return List.of();
        }
        MacAddress egress = network.gatewayMac(own);
        List<Route> routes = new ArrayList<>(network.subnets().size() - 1);
        for (Subnet s : network.subnets()) {
            if (!s.equals(own)) {
                routes.add(new Route(network.gatewayMac(s), egress, target));
            }
        }
        return routes;
    }
}
