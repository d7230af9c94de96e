package io.weft.controller.names;

import io.weft.model.Ipv4Address;
import java.net.InetSocketAddress;

/** Parses {@code --dns-upstream}: an IPv4 address (a resolver is not found by name), with an optional port. */
public final class Upstream {

    private static final int DNS_PORT = 53;

    private Upstream() {
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public static InetSocketAddress parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("--dns-upstream " + text + ": give IPv4[:PORT], e.g. 192.0.2.53:53");
        }
        Ipv4Address ip;
        try {
            ip = Ipv4Address.parse(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dns-upstream " + text + ": " + parts[0]
                    + " is not an IPv4 address (give the resolver's address, not a name)");
        }
        int port = DNS_PORT;
        if (parts.length == 2) {
            try {
                port = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--dns-upstream " + text + ": the port must be 1..65535");
            }
        }
        return new InetSocketAddress(NameResolver.inet(ip), port);
    }
}
