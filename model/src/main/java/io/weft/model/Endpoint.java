package io.weft.model;

import java.util.List;
import java.util.Optional;

/**
 * A container's interface on an overlay network.
 *
 * @param id   network and name
 * @param host the host it runs on
 * @param port the OVS port (the host-side interface name) that carries its traffic into br-int; see {@link PortNames}
 * @param mac  its MAC, unicast
 * @param ip   its IPv4 address, inside one of the network's subnets
 * @param aliases other names it answers to in its network's DNS, besides its own name: DNS labels, in lower case
 * @param hostname the name a reverse lookup (PTR) of its address answers, a DNS label in lower case (Docker: the
 *                 container's name, where the endpoint's own name is the agent's); the endpoint's name when empty
 */
public record Endpoint(EndpointId id, String host, String port, MacAddress mac, Ipv4Address ip,
                       List<String> aliases, Optional<String> hostname) {

    /** Without aliases. */
    public Endpoint(EndpointId id, String host, String port, MacAddress mac, Ipv4Address ip) {
        this(id, host, port, mac, ip, List.of());
    }

    /** Without a hostname. */
    public Endpoint(EndpointId id, String host, String port, MacAddress mac, Ipv4Address ip, List<String> aliases) {
        this(id, host, port, mac, ip, aliases, Optional.empty());
    }

    public Endpoint {
        aliases = aliases == null ? List.of() : aliases.stream().map(DnsLabel::require).distinct().sorted().toList();
        hostname = hostname == null ? Optional.empty() : hostname.map(h -> DnsLabel.require("hostname", h));
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

    /** This endpoint with other DNS names: {@code aliases}, and {@code hostname} (empty: none). */
    public Endpoint withNames(List<String> newAliases, Optional<String> newHostname) {
        return new Endpoint(id, host, port, mac, ip, newAliases, newHostname);
    }
}
