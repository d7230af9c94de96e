package io.weft.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TwoSitesIT {

    @RegisterExtension
    static TestBedExtension bed = TestBedExtension.of(TopologySpec.twosites());

    private static final Duration CONVERGE = Duration.ofSeconds(20);

    private static boolean underlayPing(BedHost from, BedHost to) {
        return from.exec("ping", "-n", "-q", "-c", "1", "-W", "1", to.tunnelIp()).ok();
    }

    @Test
    void describesTheSeedTopology() {
        assertThat(bed.hosts()).extracting(BedHost::name, BedHost::tunnelIp, BedHost::gateway)
                .containsExactly(org.assertj.core.api.Assertions.tuple("h1", "172.31.1.11", "172.31.1.1"),
                        org.assertj.core.api.Assertions.tuple("h2", "192.168.1.12", "192.168.1.1"));
        assertThat(bed.bed().routers()).extracting(BedRouter::name).containsExactly("r1", "r2");
        assertThat(bed.bed().segments()).extracting(BedSegment::name).containsExactly("lan1", "lan2", "wan");
        BedHost h1 = bed.host("h1");
        assertThat(h1.ovsdbTarget()).isEqualTo("unix:" + h1.runDir().resolve("db.sock"));
        assertThat(h1.runDir()).startsWith(bed.bed().runDir());
        assertThat(bed.bed().runDir().getFileName().toString()).startsWith("weftbed-");
    }

    @Test
    void underlayPingsAcrossTheRouters() {
        assertThat(underlayPing(bed.host("h1"), bed.host("h2"))).isTrue();
        assertThat(underlayPing(bed.host("h2"), bed.host("h1"))).isTrue();
        assertThat(bed.host("h1").exec("ip", "route", "get", "192.168.1.12").orThrow().stdout())
                .contains("via 172.31.1.1", "dev br-phy");
    }

    @Test
    void eachHostRunsItsOwnOvsWithBrPhyAndNoBrInt() {
        for (BedHost host : bed.hosts()) {
            assertThat(host.vsctl("get", "Open_vSwitch", ".", "external_ids:system-id").orThrow().stdout().strip())
                    .isEqualTo(host.name());
            assertThat(host.vsctl("list-br").orThrow().stdout().strip()).isEqualTo("br-phy");
            assertThat(host.vsctl("get", "Bridge", "br-phy", "datapath_type").orThrow().stdout().strip())
                    .isEqualTo("netdev");
            assertThat(host.vsctl("list-ports", "br-phy").orThrow().stdout().strip()).isEqualTo("eth0");
            assertThat(host.exec("ip", "-o", "-4", "addr", "show", "dev", "br-phy").orThrow().stdout())
                    .contains(host.tunnelIp() + "/" + host.prefixLength());
            assertThat(host.appctl("version").orThrow().stdout()).contains("ovs-vswitchd");
            assertThat(host.ofctl("show", "br-phy").orThrow().stdout()).contains("eth0");
            assertThat(host.currentVswitchdPid()).isPresent();
        }
        assertThat(bed.host("h1").ovsdbPid()).isNotEqualTo(bed.host("h2").ovsdbPid());
    }

    @Test
    void containersHaveEth0AndAFreeVethOnTheirHost() {
        for (BedContainer c : bed.containers()) {
            assertThat(c.network()).isEqualTo("blue");
            assertThat(c.gateway()).isEqualTo("10.65.10.254");
            String eth0 = c.exec("ip", "-o", "addr", "show", "dev", "eth0").orThrow().stdout();
            assertThat(eth0).contains(c.cidr());
            String link = c.exec("ip", "-o", "link", "show", "dev", "eth0").orThrow().stdout();
            assertThat(link).contains("mtu 1400", c.mac());
            assertThat(c.exec("ip", "route", "show", "default").orThrow().stdout()).contains("via " + c.gateway());

            BedHost host = bed.host(c.host());
            String peer = host.exec("ip", "-o", "link", "show", "dev", c.hostInterface()).orThrow().stdout();
            assertThat(peer).contains("state UP", "mtu 1400").doesNotContain("master");
            assertThat(host.vsctl("port-to-br", c.hostInterface()).ok()).isFalse();
            assertThat(c.hostInterface().length()).isLessThanOrEqualTo(15);
            assertThat(c.toEndpoint().port()).isEqualTo(c.hostInterface());
        }
        assertThat(bed.container("c1").host()).isEqualTo("h1");
        assertThat(bed.container("c2").host()).isEqualTo("h2");
        assertThat(bed.bed().network("blue").toModel().subnets()).hasSize(1);
    }

    @Test
    void containersCannotReachEachOtherBeforeWeftWiresThem() {
        assertThat(bed.container("c1").ping("10.65.10.2", 1, Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void anUnderlayLinkGoesDownAndComesBack() {
        BedHost h1 = bed.host("h1");
        BedHost h2 = bed.host("h2");
        bed.bed().linkDown("r1", "wan");
        try {
            assertThat(underlayPing(h1, h2)).isFalse();
        } finally {
            bed.bed().linkUp("r1", "wan");
        }
        await().atMost(CONVERGE).until(() -> underlayPing(h1, h2));
    }

    @Test
    void restartedVswitchdGetsItsUnderlayBack() {
        BedHost h2 = bed.host("h2");
        long before = h2.currentVswitchdPid().orElseThrow();
        long after = bed.bed().restartVswitchd("h2");
        assertThat(after).isNotEqualTo(before).isEqualTo(h2.currentVswitchdPid().orElseThrow());
        assertThat(h2.exec("ip", "-o", "-4", "addr", "show", "dev", "br-phy").orThrow().stdout())
                .contains(h2.tunnelIp());
        await().atMost(CONVERGE).until(() -> underlayPing(bed.host("h1"), h2));
    }

    @Test
    void restartedOvsdbServesTheSameDatabase() {
        BedHost h1 = bed.host("h1");
        h1.vsctl("set", "Open_vSwitch", ".", "external_ids:weftbed-test=kept").orThrow();
        long before = h1.currentOvsdbPid().orElseThrow();
        long after = bed.bed().restartOvsdb("h1");
        assertThat(after).isNotEqualTo(before);
        assertThat(h1.vsctl("get", "Open_vSwitch", ".", "external_ids:weftbed-test").orThrow().stdout().strip())
                .isEqualTo("kept");
    }

    @Test
    void badCommandsFailClearlyAndChangeNothing() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bed.bed().linkDown("h1", "nosuch"))
                .hasMessageContaining("no link between h1 and nosuch");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bed.bed().restartVswitchd("c1"))
                .hasMessageContaining("no host named 'c1'");
        assertThat(underlayPing(bed.host("h1"), bed.host("h2"))).isTrue();
    }
}
