package io.weft.flows;

import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.Subnet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The topology. h1, h2, h3; red (VNI 256, vxlan) and green (VNI 512, vxlan) both on 10.65.10.0/24, with
 * green/c1 identical to red/c1 (same host, IP and MAC) and green/c2 identical to red/c3; routed (VNI 768, gre) on
 * 10.1.1.0/24 and 11.1.1.0/24. red/c4 on h3 is not bound yet.
 */
final class ReferenceTopology {

    static final Network RED = new Network("red", 256, Encapsulation.VXLAN, 1450,
            List.of(Subnet.of("10.65.10.0/24", "10.65.10.1")));
    static final Network GREEN = new Network("green", 512, Encapsulation.VXLAN, 1450,
            List.of(Subnet.of("10.65.10.0/24", "10.65.10.1")));
    static final Network ROUTED = new Network("routed", 768, Encapsulation.GRE, 1400,
            List.of(Subnet.of("10.1.1.0/24", "10.1.1.1"), Subnet.of("11.1.1.0/24", "11.1.1.1")));

    static final Endpoint RED_C1 = endpoint("red", "c1", "h1", "red-c1", "10.65.10.2");
    static final Endpoint RED_C2 = endpoint("red", "c2", "h1", "red-c2", "10.65.10.4");
    static final Endpoint RED_C3 = endpoint("red", "c3", "h2", "red-c3", "10.65.10.3");
    static final Endpoint RED_C4 = endpoint("red", "c4", "h3", "red-c4", "10.65.10.5");
    static final Endpoint GREEN_C1 = endpoint("green", "c1", "h1", "green-c1", "10.65.10.2");
    static final Endpoint GREEN_C2 = endpoint("green", "c2", "h2", "green-c2", "10.65.10.3");
    static final Endpoint GREEN_C3 = endpoint("green", "c3", "h2", "green-c3", "10.65.10.30");
    static final Endpoint ROUTED_C1 = endpoint("routed", "c1", "h1", "routed-c1", "10.1.1.2");
    static final Endpoint ROUTED_C2 = endpoint("routed", "c2", "h2", "routed-c2", "11.1.1.2");
    static final Endpoint ROUTED_C3 = endpoint("routed", "c3", "h1", "routed-c3", "11.1.1.3");

    static final List<Endpoint> ENDPOINTS = List.of(RED_C1, RED_C2, RED_C3, RED_C4, GREEN_C1, GREEN_C2, GREEN_C3,
            ROUTED_C1, ROUTED_C2, ROUTED_C3);

    static final Map<String, Map<String, Integer>> OFPORTS = Map.of(
            "h1", Map.of("vxlan-h2", 1, "gre-h2", 2, "vxlan-h3", 3, "gre-h3", 4,
                    "red-c1", 10, "red-c2", 11, "green-c1", 12, "routed-c1", 13, "routed-c3", 14),
            "h2", Map.of("vxlan-h1", 1, "gre-h1", 2, "vxlan-h3", 3, "gre-h3", 4,
                    "red-c3", 10, "green-c2", 11, "green-c3", 12, "routed-c2", 13),
            "h3", Map.of("vxlan-h1", 1, "gre-h1", 2, "vxlan-h2", 3, "gre-h2", 4));

    private ReferenceTopology() {
    }

    static Endpoint endpoint(String network, String name, String host, String port, String ip) {
        Ipv4Address a = Ipv4Address.parse(ip);
        return new Endpoint(new EndpointId(network, name), host, port, MacAddress.fromIpv4(a), a);
    }

    static List<Host> hosts() {
        return List.of(Host.of("h1", "172.31.1.1"), Host.of("h2", "172.31.1.2"), Host.of("h3", "172.31.1.3"));
    }

    static NetworkSnapshot snapshot() {
        return NetworkSnapshot.of(1, hosts(), List.of(RED, GREEN, ROUTED), ENDPOINTS, OFPORTS);
    }

    static NetworkSnapshot without(Endpoint removed) {
        List<Endpoint> rest = new ArrayList<>(ENDPOINTS);
        rest.remove(removed);
        return NetworkSnapshot.of(2, hosts(), List.of(RED, GREEN, ROUTED), rest, OFPORTS);
    }

    static int ofport(Endpoint e) {
        return OFPORTS.get(e.host()).get(e.port());
    }
}
