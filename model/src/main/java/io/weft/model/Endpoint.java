package io.weft.model;

import java.util.List;

/**
 * A container's interface on an overlay network.
 *
 * @param id   network and name
 * @param host the host it runs on
 * @param port the OVS port (the host-side interface name) that carries its traffic into br-int; see {@link PortNames}
 * @param mac  its MAC, unicast
 * @param ip   its IPv4 address, inside one of the network's subnets
 * @param aliases other names it answers to in its network's DNS, besides its own name: DNS labels, in lower case
 */
public record Endpoint(EndpointId id, String host, String port, MacAddress mac, Ipv4Address ip,
                       List<String> aliases) {

    /** Without aliases. */
    public Endpoint(EndpointId id, String host, String port, MacAddress mac, Ipv4Address ip) {
        this(id, host, port, mac, ip, List.of());
    }

    public Endpoint {
        aliases = aliases == null ? List.of() : aliases.stream().map(DnsLabel::require).distinct().sorted().toList();
        if (id == null) {
            throw new IllegalArgumentException("endpoint id is missing");
        }
        Names.require("host", host);
        PortNames.requireEndpointPort(port);
        if (mac == null || ip == null) {
            throw new IllegalArgumentException("endpoint " + id + ": mac and ip are required");
        }
        if (mac.isMulticast() || mac.isZero()) {
            throw new IllegalArgumentException("endpoint " + id + ": MAC " + mac + " is not a unicast address");
        }
    }

    public String network() {
        return id.network();
    }
}
