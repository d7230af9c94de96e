package io.weft.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.Subnet;
import io.weft.model.TunnelPort;
import io.weft.model.ovs.DesiredPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTest {

    static Endpoint endpoint(String network, String name, String host, String port, String ip) {
        Ipv4Address a = Ipv4Address.parse(ip);
        return new Endpoint(new EndpointId(network, name), host, port, MacAddress.fromIpv4(a), a);
    }

    static final Network RED = new Network("red", 256, Encapsulation.VXLAN, 1450,
            List.of(Subnet.of("10.65.10.0/24", "10.65.10.1")));
    static final Network ROUTED = new Network("routed", 300, Encapsulation.GRE, 1400,
            List.of(Subnet.of("10.1.1.0/24", "10.1.1.1"), Subnet.of("11.1.1.0/24", "11.1.1.1")));

    static NetworkSnapshot snapshot(List<Endpoint> endpoints, Map<String, Map<String, Integer>> ofports) {
        return NetworkSnapshot.of(1, List.of(Host.of("h1", "172.31.1.1"), Host.of("h2", "172.31.1.2"),
                Host.of("h3", "172.31.1.3")), List.of(RED, ROUTED), endpoints, ofports);
    }

    @Test
    void tunnelPlanHasBothEncapsulationsTowardEveryPeer() {
        NetworkSnapshot s = snapshot(List.of(), Map.of());
        List<TunnelPort> ports = TunnelPlan.forHost(s, "h1");
        assertThat(ports).extracting(TunnelPort::portName)
                .containsExactly("vxlan-h2", "gre-h2", "vxlan-h3", "gre-h3")
                .doesNotHaveDuplicates();
        assertThat(ports).allSatisfy(p -> assertThat(p.localIp()).hasToString("172.31.1.1"));
        DesiredPort vx = TunnelPlan.desiredPorts(s, "h1").get(0);
        assertThat(vx.type()).isEqualTo("vxlan");
        assertThat(vx.options()).containsEntry("remote_ip", "172.31.1.2").containsEntry("key", "flow");
        assertThat(TunnelPlan.forHost(s, "nope")).isEmpty();
    }

    @Test
    void nextHopIsLocalPortTunnelOrUnbound() {
        Endpoint c1 = endpoint("red", "c1", "h1", "c1-eth0", "10.65.10.2");
        Endpoint c3 = endpoint("red", "c3", "h2", "c3-eth0", "10.65.10.3");
        Endpoint c4 = endpoint("red", "c4", "h3", "c4-eth0", "10.65.10.4");
        NetworkSnapshot s = snapshot(List.of(c1, c3, c4), Map.of(
                "h1", Map.of("c1-eth0", 5, "vxlan-h2", 1, "gre-h2", 2),
                "h2", Map.of("c3-eth0", 7),
                "h3", Map.of("c4-eth0", 8)));
        assertThat(NextHop.of(s, "h1", c1)).isEqualTo(new NextHop.Local(5));
        assertThat(NextHop.of(s, "h1", c3)).isEqualTo(new NextHop.Tunnel("h2", Encapsulation.VXLAN, "vxlan-h2", 1, 256));
        assertThat(NextHop.of(s, "h1", c4)).isEqualTo(new NextHop.NoTunnel("h3", "vxlan-h3"));
        NextHops fromH1 = new NextHops(s, "h1");
        assertThat(List.of(c1, c3, c4)).allSatisfy(e -> assertThat(fromH1.of(e)).isEqualTo(NextHop.of(s, "h1", e)));
        // Neither port bound: the local one is unbound; toward the remote one h1 uses its tunnel all the same,
        // since h1's flows depend only on what h1 holds.
        NetworkSnapshot unbound = snapshot(List.of(c1, c3), Map.of("h1", Map.of("vxlan-h2", 1)));
        assertThat(NextHop.of(unbound, "h1", c1)).isInstanceOf(NextHop.Unbound.class)
                .extracting(h -> ((NextHop.Unbound) h).reason()).asString().contains("c1-eth0");
        assertThat(NextHop.of(unbound, "h1", c3))
                .isEqualTo(new NextHop.Tunnel("h2", Encapsulation.VXLAN, "vxlan-h2", 1, 256));

        Placement p = Placement.of(s, "red");
        assertThat(p.hostOf(Ipv4Address.parse("10.65.10.3"))).contains("h2");
        assertThat(p.hosts()).containsExactly("h1", "h2", "h3");
        assertThat(NetworkEndpoints.isPresentOn(s, "red", "h3")).isTrue();
        assertThat(NetworkEndpoints.isPresentOn(s, "routed", "h1")).isFalse();
    }

    @Test
    void gatewayRoutesEachEndpointFromTheOtherSubnets() {
        Endpoint c2 = endpoint("routed", "c2", "h2", "c2-eth0", "11.1.1.2");
        List<DistributedGateway.Route> routes = DistributedGateway.routesTo(ROUTED, c2);
        assertThat(routes).containsExactly(new DistributedGateway.Route(MacAddress.parse("0a:58:0a:01:01:01"),
                MacAddress.parse("0a:58:0b:01:01:01"), c2));
        assertThat(DistributedGateway.routesTo(RED, endpoint("red", "c1", "h1", "p", "10.65.10.2"))).isEmpty();
        assertThat(DistributedGateway.ports(ROUTED)).extracting(DistributedGateway.GatewayPort::ip)
                .containsExactly(Ipv4Address.parse("10.1.1.1"), Ipv4Address.parse("11.1.1.1"));
    }

    @Test
    void inconsistentEndpointsAreReportedClearly() {
        Endpoint c1 = endpoint("red", "c1", "h1", "c1-eth0", "10.65.10.2");
        Endpoint twinIp = new Endpoint(new EndpointId("red", "c9"), "h2", "c9-eth0",
                MacAddress.parse("02:00:00:00:00:09"), Ipv4Address.parse("10.65.10.2"));
        Endpoint samePort = endpoint("routed", "c5", "h1", "c1-eth0", "10.1.1.5");
        Endpoint outside = endpoint("routed", "c6", "h2", "c6-eth0", "12.0.0.6");
        Endpoint onGateway = endpoint("red", "c7", "h2", "c7-eth0", "10.65.10.1");
        NetworkSnapshot bad = snapshot(List.of(c1, twinIp, samePort, outside, onGateway), Map.of());
        List<String> problems = SnapshotCheck.problems(bad);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("IP 10.65.10.2 is held by both red/c1 and red/c9"))
                .anySatisfy(p -> assertThat(p).contains("port c1-eth0 is used by both"))
                .anySatisfy(p -> assertThat(p).contains("12.0.0.6 is outside the subnets"))
                .anySatisfy(p -> assertThat(p).contains("10.65.10.1 is the network, broadcast or gateway"))
                .hasSize(4);
        assertThat(SnapshotCheck.problemsOf(bad, twinIp)).hasSize(1);
        assertThatThrownBy(() -> SnapshotCheck.requireValid(bad)).hasMessageContaining("cannot be compiled");
        assertThatThrownBy(() -> Placement.of(bad, "red")).hasMessageContaining("held by both");
        assertThat(SnapshotCheck.problems(snapshot(List.of(c1), Map.of()))).isEmpty();
    }
}
