package io.weft.southbound;

import io.weft.model.MacAddress;

/** One port of a switch as the switch describes it: OpenFlow port number, interface name, address, link state. */
public record PortInfo(long ofport, String name, MacAddress hwAddress, boolean up) {
}
