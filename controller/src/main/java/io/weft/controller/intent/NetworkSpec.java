package io.weft.controller.intent;

import io.weft.model.Encapsulation;
import io.weft.model.Ipv4Address;
import io.weft.model.Ipv4Cidr;
import java.util.List;

/**
 * A network as a client asks for it, unvalidated. What a client leaves out gets the defaults here, which
 * {@link IntentService} applies and the OpenAPI document states.
 *
 * @param encap "vxlan" or "gre"; {@link #DEFAULT_ENCAP} when null
 * @param vni   optional; allocated when null
 * @param mtu   optional; the underlay MTU minus the encapsulation overhead when null
 */
public record NetworkSpec(String name, List<SubnetSpec> subnets, String encap, Integer vni, Integer mtu) {

    /** As Docker's overlay driver: VXLAN crosses NAT and firewalls that pass UDP, GRE often does not. */
    public static final Encapsulation DEFAULT_ENCAP = Encapsulation.VXLAN;

    /** @param gateway {@link #defaultGateway} of the cidr when null */
    public record SubnetSpec(String cidr, String gateway) {

        /** The subnet's first usable address, where Docker puts a network's gateway too. */
        public static Ipv4Address defaultGateway(Ipv4Cidr cidr) {
            return cidr.network().plus(1);
        }
    }
}
