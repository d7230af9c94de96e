package io.weft.controller.intent;

/**
 * A container announcement, unvalidated.
 *
 * @param ip  optional; allocated from the network's subnets when null
 * @param mac optional; derived from the IP when null
 */
public record EndpointSpec(String name, String host, String port, String ip, String mac) {
}
