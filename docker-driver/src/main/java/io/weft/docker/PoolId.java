package io.weft.docker;

import io.weft.model.Ipv4Cidr;
import io.weft.model.Names;
import java.util.Optional;

/**
 * The PoolID this IPAM gives Docker, which Docker quotes back on every RequestAddress. A pool of a network the agent
 * mirrored names its Weft network ({@code weft:NETWORK:CIDR}); a pool requested by a {@code docker network create}
 * cannot, because Docker tells no driver the network's name before it is created: it gets a token
 * ({@code new:TOKEN:CIDR}) that the agent ties to the Weft network once that exists ({@link PoolBook}).
 */
public record PoolId(Optional<String> network, Optional<String> token, Ipv4Cidr cidr) {

    public static PoolId ofNetwork(String network, Ipv4Cidr cidr) {
        return new PoolId(Optional.of(network), Optional.empty(), cidr);
    }

    public static PoolId ofToken(String token, Ipv4Cidr cidr) {
        return new PoolId(Optional.empty(), Optional.of(token), cidr);
    }

    public static PoolId parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(":", 3);
        if (parts.length == 3) {
            try {
                Ipv4Cidr cidr = Ipv4Cidr.parse(parts[2]);
                if (parts[0].equals("weft")) {
                    return ofNetwork(Names.require("network", parts[1]), cidr);
                }
                if (parts[0].equals("new") && parts[1].matches("[0-9a-f]{16}")) {
                    return ofToken(parts[1], cidr);
                }
            } catch (IllegalArgumentException e) {
                // falls through to the refusal
            }
        }
        throw new PluginException("pool " + text + " is not one of Weft's: the network was not made with "
                + "--ipam-driver weft");
    }

    @Override
    public String toString() {
        return network.map(n -> "weft:" + n).orElseGet(() -> "new:" + token.orElseThrow()) + ":" + cidr;
    }
}
