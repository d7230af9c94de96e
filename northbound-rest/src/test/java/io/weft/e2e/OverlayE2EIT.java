package io.weft.e2e;

import static io.weft.e2e.E2eSupport.assertIsolated;
import static io.weft.e2e.E2eSupport.assertNoFlowMentions;
import static io.weft.e2e.E2eSupport.assertReaches;
import static io.weft.e2e.E2eSupport.flows;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.TestBedExtension;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, scenarios 1, 2 and 5 on the seed topology: h1 on 172.31.1.0/24 and h2 on 192.168.1.0/24, two L2
 * segments joined by routers; c1 on h1, c2 on h2.
 */
class OverlayE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("twosites");

    static WeftProcess weft;
    static WeftClient api;

    @BeforeAll
    static void startController() throws Exception {
        weft = new WeftProcess(Files.createTempDirectory("weft-e2e-")).start();
        api = weft.client();
        api.addHost(BED.host("h1"));
        api.addHost(BED.host("h2"));
    }

    @AfterAll
    static void stopController() throws Exception {
        weft.close();
    }

    @AfterEach
    void cleanIntent() throws Exception {
        for (String network : new String[] {"uber-net", "gre-net"}) {
            for (String c : new String[] {"c1", "c2"}) {
                api.remove(network, c, true);
            }
            api.delete("/api/v1/networks/" + network);
        }
    }

    @Test
    void containersOnHostsBehindDifferentRoutersPingOverVxlan() throws Exception {
        overlayPings("uber-net", null); // encap left out: VXLAN is the default
        assertThat(flows(BED.host("h1"))).contains("set_field:0x" + vni("uber-net") + "->tun_id");
    }

    @Test
    void theSameOverGre() throws Exception {
        overlayPings("gre-net", "gre");
    }

    @Test
    void aDeletedEndpointLosesItsFlowsEverywhereAndComesBackWhenAnnouncedAgain() throws Exception {
        BedContainer c1 = BED.container("c1");
        BedContainer c2 = BED.container("c2");
        overlayPings("uber-net", "vxlan");

        assertThat(api.remove("uber-net", "c2", true).statusCode()).isEqualTo(200);
        assertNoFlowMentions(BED.hosts(), c2.mac());
        assertIsolated(c1, c2.ip());
        assertThat(BED.host("h2").vsctl("list-ports", "br-int").orThrow().stdout())
                .as("the port Weft added for c2 is removed").doesNotContain(c2.hostInterface());

        api.announce(c2, "uber-net");
        assertReaches(c1, c2);
    }

    /** @param encap null to leave it to the default, VXLAN */
    private void overlayPings(String network, String encap) throws Exception {
        BedContainer c1 = BED.container("c1");
        BedContainer c2 = BED.container("c2");
        api.addNetwork(network, encap, "10.65.10.0/24", "10.65.10.254");
        api.announce(c1, network);
        api.announce(c2, network);
        assertReaches(c1, c2);
        assertReaches(c2, c1);
        String tunnel = (encap == null ? "vxlan" : encap) + "-h1";
        assertThat(flows(BED.host("h2"))).contains("output:" + ofport("h2", tunnel));
    }

    private static String vni(String network) throws Exception {
        return Long.toHexString(api.expect(200, "GET", "/api/v1/networks/" + network, null).path("vni").asLong());
    }

    private static String ofport(String host, String port) {
        return BED.host(host).vsctl("get", "Interface", port, "ofport").orThrow().stdout().trim();
    }
}
