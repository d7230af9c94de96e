package io.weft.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.controller.view.HostStatus;
import io.weft.model.DatapathType;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.ovsdb.ConnectionOptions;
import io.weft.ovsdb.OvsdbTransport;
import io.weft.testbed.BedHost;
import io.weft.testbed.TestBedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, "a host that connects passively over OVSDB appears by its system-id": the bed's real ovsdb-servers are
 * told {@code ovs-vsctl set-manager unix:<Weft's punix listener>} and nobody registers them over REST.
 */
class PassiveHostRegistrationIT {

    private static final Duration CONVERGE = Duration.ofSeconds(20);

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("onelan,hosts=2,containers=0");

    static Path workDir;
    static Path managerSocket;
    static WeftRuntime weft;

    @BeforeAll
    static void startController() throws Exception {
        workDir = Files.createTempDirectory("weft-passive-it-");
        managerSocket = workDir.resolve("ovsdb.sock");
        String openflow = "unix:" + workDir.resolve("openflow.sock");
        // h2 is allowed too: it is refused for its missing tunnel IP, not for being unknown to the operator.
        weft = WeftRuntime.start(new ControllerSettings("127.0.0.1:0", List.of(openflow), openflow,
                Optional.of("punix:" + managerSocket), workDir.resolve("data"), 1500, Optional.empty(),
                Optional.empty(), false, new SouthboundSettings(Set.of("h1", "h2"), Optional.empty(), false,
                        ConnectionOptions.DEFAULT_MAX_FRAME_BYTES, OvsdbTransport.DEFAULT_BUFFER_BUDGET)));
    }

    @AfterAll
    static void stopController() throws Exception {
        for (BedHost h : BED.hosts()) {
            h.vsctl("del-manager");
        }
        if (weft != null) {
            weft.close();
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aHostWithATunnelIpRegistersItselfAndGetsItsIntegrationBridge() {
        BedHost h1 = BED.host("h1");
        // ovs-vswitchd connects to unix controller sockets only in its run directory: Weft dials the bridge there.
        String openflow = "punix:" + h1.runDir().resolve("br-int.weft");
        h1.vsctl("set", "Open_vSwitch", ".", "external_ids:weft-tunnel-ip=" + h1.tunnelIp(),
                "external_ids:weft-datapath-type=netdev", "external_ids:weft-openflow=" + openflow,
                "--", "set-manager", "unix:" + managerSocket).orThrow();

        await("h1 registered and OVSDB-connected").atMost(CONVERGE).until(() -> weft.view().status("h1")
                .map(HostStatus::ovsdbConnected).orElse(false));
        assertThat(weft.store().current().hosts().get("h1")).isEqualTo(new Host("h1",
                Ipv4Address.parse(h1.tunnelIp()), DatapathType.NETDEV, Optional.empty(), Optional.of(openflow)).withIndex(0));
        await("br-int on h1").atMost(CONVERGE).until(() -> h1.vsctl("br-exists", "br-int").ok());
        assertThat(h1.vsctl("get", "Bridge", "br-int", "datapath_type").orThrow().stdout()).contains("netdev");
        await("h1's br-int connected over OpenFlow").atMost(CONVERGE).until(() -> weft.view().status("h1")
                .map(HostStatus::openflowConnected).orElse(false));
    }

    @Test
    void aHostWithoutTunnelIpIsRefusedAndDisconnected() {
        BedHost h2 = BED.host("h2");
        long revision = weft.store().current().revision();
        h2.vsctl("set-manager", "unix:" + managerSocket).orThrow();

        // ovsdb-server records that the manager connection was closed on it (and keeps retrying with backoff).
        await("Weft closed h2's manager connection").atMost(CONVERGE)
                .until(() -> h2.vsctl("--columns=status", "list", "Manager").stdout().contains("sec_since_disconnect"));
        assertThat(weft.store().current().hosts()).doesNotContainKey("h2");
        assertThat(weft.store().current().revision()).as("nothing registered").isEqualTo(revision);
        assertThat(weft.view().status("h2")).isEmpty();
        assertThat(h2.vsctl("br-exists", "br-int").exitCode()).as("no br-int on a refused host").isEqualTo(2);
    }
}
