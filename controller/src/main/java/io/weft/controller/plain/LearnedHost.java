package io.weft.controller.plain;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.util.Optional;

/**
 * A host as the switches saw it: its MAC, the edge port it sends from, and its IPv4 address when one of its packets
 * (ARP, IPv4) said it.
 */
public record LearnedHost(MacAddress mac, PortRef at, Optional<Ipv4Address> ip) {
}
