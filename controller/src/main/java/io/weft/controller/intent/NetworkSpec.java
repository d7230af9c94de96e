package io.weft.controller.intent;

import java.util.List;

/**
 * A network as a client asks for it, unvalidated.
 *
 * @param encap "vxlan" or "gre"
 * @param vni   optional; allocated when null
 * @param mtu   optional; the underlay MTU minus the encapsulation overhead when null
 */
public record NetworkSpec(String name, List<SubnetSpec> subnets, String encap, Integer vni, Integer mtu) {

    public record SubnetSpec(String cidr, String gateway) {
    }
}
