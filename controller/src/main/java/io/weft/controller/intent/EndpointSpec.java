package io.weft.controller.intent;

import java.util.List;

/**
 * A container announcement, unvalidated.
 *
 * @param ip  optional; allocated from the network's subnets when null
 * @param mac optional; derived from the IP when null
 * @param aliases optional; other names the endpoint answers to in its network's DNS (DNS labels)
 */
public record EndpointSpec(String name, String host, String port, String ip, String mac, List<String> aliases) {

    /** Without aliases. */
    public EndpointSpec(String name, String host, String port, String ip, String mac) {
        this(name, host, port, ip, mac, null);
    }
}
