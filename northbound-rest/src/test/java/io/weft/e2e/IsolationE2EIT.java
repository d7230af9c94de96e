package io.weft.e2e;

import static io.weft.e2e.E2eSupport.assertIsolated;
import static io.weft.e2e.E2eSupport.assertReaches;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.TestBedExtension;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, scenario 3: {@code red} and {@code green} both use 10.65.10.0/24 on two hosts. c1 (red, h1) and c3
 * (green, h1) even share 10.65.10.1. Each network is one LAN; no packet crosses between them.
 */
class IsolationE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("redgreen");

    static WeftProcess weft;

    @BeforeAll
    static void provision() throws Exception {
        weft = new WeftProcess(Files.createTempDirectory("weft-e2e-")).start();
        WeftClient api = weft.client();
        api.addHost(BED.host("h1"));
        api.addHost(BED.host("h2"));
        api.addNetwork("red", "vxlan", "10.65.10.0/24", "10.65.10.254");
        api.addNetwork("green", "vxlan", "10.65.10.0/24", "10.65.10.254");
        for (BedContainer c : BED.containers()) {
            api.announce(c, c.network());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        weft.close();
    }

    @Test
    void redTalksToRedAndGreenToGreenAcrossHosts() {
        assertReaches(BED.container("c1"), BED.container("c2"));
        assertReaches(BED.container("c2"), BED.container("c1"));
        assertReaches(BED.container("c3"), BED.container("c4"));
        assertReaches(BED.container("c4"), BED.container("c3"));
    }

    @Test
    void redNeverReachesGreenEvenAtAnIdenticalAddress() {
        // c2 (red, 10.65.10.2) asks for 10.65.10.1: it must be red's c1 that answers, never green's c3.
        BedContainer c2 = BED.container("c2");
        assertReaches(c2, BED.container("c1"));
        String neighbour = c2.exec("ip", "neigh", "show", "10.65.10.1").stdout();
        org.assertj.core.api.Assertions.assertThat(neighbour).contains(BED.container("c1").mac())
                .doesNotContain(BED.container("c3").mac());
        // Green's c4 (10.65.10.3) is not reachable from red, on the other host or on the same one.
        assertIsolated(c2, BED.container("c4").ip());
        assertIsolated(BED.container("c1"), BED.container("c4").ip());
        // Green's c3 cannot reach red's c2.
        assertIsolated(BED.container("c3"), c2.ip());
    }
}
