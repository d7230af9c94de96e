package io.weft.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.DatapathType;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every named topology comes up with a working underlay and the containers its description promises. */
class TopologiesIT {

    private static void assertUnderlayFullMesh(TestBed bed) {
        for (BedHost from : bed.hosts()) {
            for (BedHost to : bed.hosts()) {
                if (from != to) {
                    assertThat(from.exec("ping", "-n", "-q", "-c", "1", "-W", "1", to.tunnelIp()).ok())
                            .as(from.name() + " -> " + to.name() + " over the underlay").isTrue();
                }
            }
        }
    }

    private static void assertContainersAsDescribed(TestBed bed) {
        Set<String> networks = bed.networks().stream().map(TopologySpec.Network::name).collect(Collectors.toSet());
        for (BedContainer c : bed.containers()) {
            assertThat(networks).contains(c.network());
            assertThat(c.exec("ip", "-o", "addr", "show", "dev", "eth0").orThrow().stdout()).contains(c.cidr());
            assertThat(bed.host(c.host()).exec("ip", "link", "show", "dev", c.hostInterface()).ok()).isTrue();
            assertThat(bed.network(c.network()).toModel().subnetOf(Ipv4Address.parse(c.ip())))
                    .as("%s's IP lies in a subnet of its network", c.name()).isPresent();
            // What a test announces to Weft is what the bed built: eth0's MAC and IP, the peer on the host.
            Endpoint e = c.toEndpoint();
            assertThat(e.id()).isEqualTo(new EndpointId(c.network(), c.name()));
            assertThat(c.exec("ip", "-o", "link", "show", "dev", "eth0").orThrow().stdout())
                    .contains("link/ether " + e.mac());
            assertThat(c.exec("ip", "-o", "addr", "show", "dev", "eth0").orThrow().stdout())
                    .contains("inet " + e.ip() + "/");
            assertThat(bed.host(e.host()).exec("ip", "link", "show", "dev", e.port()).ok())
                    .as("%s's port %s on %s", c.name(), e.port(), e.host()).isTrue();
        }
        for (BedHost h : bed.hosts()) {
            assertThat(h.exec("ip", "-o", "addr", "show", "dev", "br-phy").orThrow().stdout())
                    .contains(h.tunnelIp() + "/" + h.prefixLength());
            assertThat(h.toModel()).isEqualTo(new Host(h.name(), Ipv4Address.parse(h.tunnelIp()), DatapathType.NETDEV,
                    Optional.of("unix:" + h.runDir().resolve("db.sock")), Optional.empty()));
            assertThat(h.vsctl("get", "Open_vSwitch", ".", "external_ids:system-id").orThrow().stdout())
                    .contains(h.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"redgreen", "routed", "onelan,hosts=3", "mesh,hosts=3,containers=2,networks=2,sites=2"})
    void comesUpWithAWorkingUnderlay(String topology) {
        try (TestBed bed = TestBed.start(TopologySpec.named(topology))) {
            assertUnderlayFullMesh(bed);
            assertContainersAsDescribed(bed);
        }
    }

    @Test
    void redgreenReusesOneSubnetInTwoIsolatedNetworks() {
        try (TestBed bed = TestBed.start(TopologySpec.redgreen())) {
            assertThat(bed.networks()).extracting(n -> n.subnets().get(0).cidr())
                    .containsExactly("10.65.10.0/24", "10.65.10.0/24");
            assertThat(bed.containersIn("red")).extracting(BedContainer::ip).containsExactly("10.65.10.1", "10.65.10.2");
            assertThat(bed.containersIn("green")).extracting(BedContainer::ip)
                    .containsExactly("10.65.10.1", "10.65.10.3");
            assertThat(bed.containers()).extracting(BedContainer::mac).doesNotHaveDuplicates();
        }
    }

    @Test
    void meshSpreadsContainersOverHostsAndNetworks() {
        try (TestBed bed = TestBed.start(TopologySpec.mesh(4, 3, 2))) {
            assertThat(bed.hosts()).hasSize(4);
            assertThat(bed.containers()).hasSize(12);
            for (BedHost h : bed.hosts()) {
                assertThat(bed.containersOn(h.name())).hasSize(3);
            }
            assertThat(bed.containersIn("net1")).hasSize(6);
            assertThat(bed.containersIn("net2")).hasSize(6);
            List<String> ips = bed.containersIn("net1").stream().map(BedContainer::ip).toList();
            assertThat(ips).doesNotHaveDuplicates();
        }
    }

    @Test
    void anExplicitSpecFromTheBuilderComesUp() {
        TopologySpec spec = TopologySpec.builder()
                .segment("lan1", "172.31.7.0/24")
                .host("hx", "lan1", "172.31.7.21/24")
                .host("hy", "lan1", "172.31.7.22/24")
                .network("app", 300, new TopologySpec.NetworkSubnet("10.70.0.0/24", "10.70.0.254"))
                .container("web", "hx", "app", "10.70.0.10/24", "10.70.0.254", "02:00:00:00:aa:01")
                .container("db", "hy", "app", "10.70.0.20/24", "10.70.0.254", null)
                .build();
        try (TestBed bed = TestBed.start(spec)) {
            assertUnderlayFullMesh(bed);
            assertThat(bed.container("web").mac()).isEqualTo("02:00:00:00:aa:01");
            assertThat(bed.container("web").hostInterface()).isEqualTo("ve-web");
            assertThat(bed.container("db").mac()).isNotBlank();
            assertContainersAsDescribed(bed);
        }
    }
}
