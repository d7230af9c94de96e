package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.TestBedExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code weft trace} on a real bed: red and green both 10.65.10.0/24 on h1 and h2 (c1, c2 red; c3, c4 green). The
 * trace itself (GET /api/v1/trace) is the trace helper's; this checks what the command makes of it.
 */
class CliTraceE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("redgreen");

    static WeftCli weft;

    @BeforeAll
    static void provision() throws Exception {
        weft = WeftCli.withController();
        WeftClient api = weft.controller().client();
        api.addHost(BED.host("h1"));
        api.addHost(BED.host("h2"));
        api.addNetwork("red", null, "10.65.10.0/24", "10.65.10.254");
        api.addNetwork("green", null, "10.65.10.0/24", "10.65.10.254");
        for (BedContainer c : BED.containers()) {
            api.announce(c, c.network());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (weft != null) {
            weft.close();
        }
    }

    @Test
    void redToRedAcrossHostsIsDeliveredStepByStep() {
        WeftCli.Result r = weft.run("trace", "red", "c1", "c2");
        assertThat(r.status()).as("%s", r).isZero();
        assertThat(r.lines().get(0)).startsWith("red: c1 -> c2 (icmp): DELIVERED to c2 on h2");
        assertThat(r.out()).contains("HOST  TABLE").containsPattern("(?m)^h1 ").containsPattern("(?m)^h2 ");
        JsonNode json = RenderingsTest.json(weft.run("trace", "red", "c1", "c2", "--format", "json").out());
        assertThat(json.path("verdict").asText()).isEqualTo("delivered");
        assertThat(json.at("/deliveredTo/endpoint").asText()).isEqualTo("c2");
    }

    @Test
    void redToAGreenAddressIsDroppedAndSaysWhy() {
        WeftCli.Result r = weft.run("trace", "red", "c1", BED.container("c4").ip(), "--proto", "tcp", "--port", "80");
        assertThat(r.status()).as("%s", r).isZero();
        assertThat(r.lines().get(0)).isEqualTo("red: c1 -> " + BED.container("c4").ip() + " (tcp): DROPPED");
        assertThat(r.lines().get(1)).contains("red");
    }

    @Test
    void anUnknownEndpointIsRefusedOnOneLine() {
        WeftCli.Result r = weft.run("trace", "red", "c9", "c2");
        assertThat(r.status()).as("%s", r).isEqualTo(Exit.REFUSED);
        assertThat(r.err()).startsWith("weft: ").contains("c9").hasLineCount(1);
    }
}
