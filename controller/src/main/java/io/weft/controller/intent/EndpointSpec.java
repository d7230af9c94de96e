package io.weft.controller.intent;

import java.util.List;

/**
 * A container announcement, unvalidated.
 *
 * @param ip  optional; allocated from the network's subnets when null
 * @param mac optional; derived from the IP when null
 * @param aliases optional; other names the endpoint answers to in its network's DNS (DNS labels)
 * @param hostname optional; the name a reverse lookup of its address answers (a DNS label), its name when null
 */
public record EndpointSpec(String name, String host, String port, String ip, String mac, List<String> aliases,
                           String hostname) {

    /** Without aliases. */
    public EndpointSpec(String name, String host, String port, String ip, String mac) {
        this(name, host, port, ip, mac, null);
    }

    /** Without a hostname. */
    public EndpointSpec(String name, String host, String port, String ip, String mac, List<String> aliases) {
        this(name, host, port, ip, mac, aliases, null);
    }
}
