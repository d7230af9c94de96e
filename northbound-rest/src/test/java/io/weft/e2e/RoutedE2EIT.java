package io.weft.e2e;

import static io.weft.e2e.E2eSupport.assertReaches;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.TestBedExtension;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 5, scenario 4: one network with two subnets; Weft's distributed gateway routes between them. */
class RoutedE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("routed");

    static WeftProcess weft;

    @BeforeAll
    static void provision() throws Exception {
        weft = new WeftProcess(Files.createTempDirectory("weft-e2e-")).start();
        WeftClient api = weft.client();
        api.addHost(BED.host("h1"));
        api.addHost(BED.host("h2"));
        api.addNetwork("net1", "vxlan", "10.65.10.0/24", "10.65.10.254", "10.65.20.0/24", "10.65.20.254");
        for (BedContainer c : BED.containers()) {
            api.announce(c, c.network());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        weft.close();
    }

    @Test
    void containersInDifferentSubnetsPingThroughTheGateway() {
        BedContainer c1 = BED.container("c1");
        BedContainer c2 = BED.container("c2");
        assertReaches(c1, c2);
        assertReaches(c2, c1);
        // One routed hop: the reply's TTL is one less than the sender's default 64.
        String out = c1.exec("ping", "-c", "1", "-W", "2", c2.ip()).stdout();
        assertThat(out).contains("ttl=63");
        String same = c1.exec("ping", "-c", "1", "-W", "2", BED.container("c3").ip()).stdout();
        assertThat(same).as("same subnet, across hosts, is not routed").contains("ttl=64");
    }

    @Test
    void theGatewayAnswersPings() {
        BedContainer c1 = BED.container("c1");
        assertThat(c1.ping(c1.gateway(), 2, Duration.ofSeconds(2))).isTrue();
    }
}
