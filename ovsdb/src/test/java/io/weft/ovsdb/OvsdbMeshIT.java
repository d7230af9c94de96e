package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.model.DatapathType;
import io.weft.model.Encapsulation;
import io.weft.model.Ipv4Address;
import io.weft.model.TunnelPort;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import io.weft.testbed.BedHost;
import io.weft.testbed.TestBedExtension;
import io.weft.testbed.TopologySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OVSDB southbound against real ovsdb-server + ovs-vswitchd hosts of the test bed (4 hosts on one LAN).
 * The tests run in order and build on each other, like an operator would: mesh of 3, add h4, hand-made port,
 * remove h4, ovsdb-server restart, passive mode.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OvsdbMeshIT {

    @RegisterExtension
    static TestBedExtension bed = TestBedExtension.of("onelan,hosts=4,containers=0");

    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static OvsdbTransport transport;
    private static final Map<String, OvsdbHost> hosts = new LinkedHashMap<>();
    private static final Map<String, AtomicInteger> connects = new LinkedHashMap<>();

    @BeforeAll
    static void connect() {
        transport = OvsdbTransport.create(2);
        for (BedHost h : bed.hosts()) {
            OvsdbHost host = OvsdbHost.active(h.name(), h.ovsdbTarget(), transport);
            AtomicInteger count = new AtomicInteger();
            host.addListener(new OvsdbHostListener() {
                @Override
                public void connected(OvsdbHost x, OvsdbSnapshot s) {
                    count.incrementAndGet();
                }
            });
            hosts.put(h.name(), host);
            connects.put(h.name(), count);
        }
    }

    @AfterAll
    static void disconnect() {
        hosts.values().forEach(OvsdbHost::close);
        if (transport != null) {
            transport.close();
        }
    }

    private static String controllerTarget(BedHost h) {
        return "punix:" + h.runDir().resolve("br-int.of");
    }

    /** The full mesh among {@code members}: one VXLAN and one GRE port per peer, as TunnelPort names them. */
    private static DesiredBridge meshFor(BedHost self, List<BedHost> members) {
        List<DesiredPort> ports = new ArrayList<>();
        for (BedHost peer : members) {
            if (!peer.name().equals(self.name())) {
                for (Encapsulation e : Encapsulation.values()) {
                    ports.add(new TunnelPort(peer.name(), e, Ipv4Address.parse(self.tunnelIp()),
                            Ipv4Address.parse(peer.tunnelIp())).toDesiredPort());
                }
            }
        }
        return new DesiredBridge(DesiredBridge.INTEGRATION_BRIDGE, DatapathType.NETDEV,
                List.of(controllerTarget(self)), ports);
    }

    private static Map<String, ProvisionResult> applyMesh(List<BedHost> members) throws Exception {
        Map<String, CompletableFuture<ProvisionResult>> running = new LinkedHashMap<>();
        for (BedHost h : members) {
            running.put(h.name(), hosts.get(h.name()).apply(meshFor(h, members)));
        }
        Map<String, ProvisionResult> results = new LinkedHashMap<>();
        for (var e : running.entrySet()) {
            results.put(e.getKey(), e.getValue().get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    private static List<BedHost> first(int n) {
        return bed.hosts().subList(0, n);
    }

    private static List<String> ports(BedHost h) {
        return List.of(h.vsctl("list-ports", "br-int").orThrow().stdout().strip().split("\n"));
    }

    private static void assertMesh(List<BedHost> members) {
        for (BedHost h : members) {
            String show = h.vsctl("show").orThrow().stdout();
            for (BedHost peer : members) {
                if (peer == h) {
                    continue;
                }
                for (Encapsulation e : Encapsulation.values()) {
                    String port = TunnelPort.portName(peer.name(), e);
                    assertThat(show).contains("Port " + port, "type: " + e.ovsType());
                    assertThat(h.vsctl("get", "Interface", port, "options").orThrow().stdout().strip())
                            .isEqualTo("{key=flow, local_ip=\"" + h.tunnelIp() + "\", remote_ip=\""
                                    + peer.tunnelIp() + "\"}");
                    assertThat(h.vsctl("get", "Port", port, "external_ids:weft-peer").orThrow().stdout().strip()
                            .replace("\"", "")).isEqualTo(peer.name());
                }
            }
            assertThat(ports(h)).filteredOn(p -> p.startsWith("vxlan-") || p.startsWith("gre-"))
                    .hasSize(2 * (members.size() - 1));
        }
    }

    @Test
    @Order(1)
    void threeHostMeshAppearsWithTheRightOptionsAndBridgeSettings() throws Exception {
        Map<String, ProvisionResult> results = applyMesh(first(3));
        results.values().forEach(r -> assertThat(r.transactions()).isEqualTo(1));
        assertMesh(first(3));
        for (BedHost h : first(3)) {
            assertThat(h.vsctl("get", "Bridge", "br-int", "fail_mode").orThrow().stdout().strip()).isEqualTo("secure");
            assertThat(h.vsctl("get", "Bridge", "br-int", "protocols").orThrow().stdout().strip()
                    .replace("\"", ""))
                    .isEqualTo("[OpenFlow13, OpenFlow14]");
            assertThat(h.vsctl("get", "Bridge", "br-int", "other_config:disable-in-band").orThrow().stdout().strip()
                    .replace("\"", "")).isEqualTo("true");
            assertThat(h.vsctl("get", "Bridge", "br-int", "datapath_type").orThrow().stdout().strip())
                    .isEqualTo("netdev");
            assertThat(h.vsctl("get-controller", "br-int").orThrow().stdout().strip()).isEqualTo(controllerTarget(h));
            OvsdbHost host = hosts.get(h.name());
            // cur_cfg caught up, so ovs-vswitchd attached the ports: the flow side can read ofports now.
            assertThat(host.snapshot().curCfg()).isGreaterThanOrEqualTo(results.get(h.name()).cfg());
            String tunnel = h.name().equals("h1") ? "vxlan-h2" : "vxlan-h1";
            String ofport = h.vsctl("get", "Interface", tunnel, "ofport").orThrow().stdout().strip();
            assertThat(host.ofport(tunnel)).hasValue(Integer.parseInt(ofport));
            assertThat(host.datapathId()).get().asString().hasSize(16)
                    .isEqualTo(h.vsctl("get", "Bridge", "br-int", "datapath_id").orThrow().stdout().strip()
                            .replace("\"", ""));
        }
    }

    @Test
    @Order(2)
    void aSecondPassWithTheSameDesiredStateSendsNothing() throws Exception {
        Map<String, Integer> before = new LinkedHashMap<>();
        hosts.forEach((n, h) -> before.put(n, h.transactionsSent()));
        Map<String, ProvisionResult> results = applyMesh(first(3));
        results.values().forEach(r -> assertThat(r.changedNothing()).isTrue());
        hosts.forEach((n, h) -> assertThat(h.transactionsSent()).isEqualTo(before.get(n)));
    }

    @Test
    @Order(3)
    void aFourthHostAddsItsPortsEverywhereInOneTransactionPerHost() throws Exception {
        Map<String, Integer> before = new LinkedHashMap<>();
        hosts.forEach((n, h) -> before.put(n, h.transactionsSent()));
        Map<String, ProvisionResult> results = applyMesh(first(4));
        for (BedHost h : first(4)) {
            assertThat(results.get(h.name()).transactions()).isEqualTo(1);
            assertThat(hosts.get(h.name()).transactionsSent() - before.get(h.name())).isEqualTo(1);
        }
        assertMesh(first(4));
    }

    @Test
    @Order(4)
    void aPortAddedByHandSurvivesReconciliationAndHostRemoval() throws Exception {
        BedHost h1 = bed.host("h1");
        h1.vsctl("add-port", "br-int", "hand0", "--", "set", "Interface", "hand0", "type=internal").orThrow();
        // Same desired state: nothing to do, the hand-made port is not Weft's.
        assertThat(hosts.get("h1").apply(meshFor(h1, first(4))).get(30, TimeUnit.SECONDS).changedNothing()).isTrue();
        // Removing h4: its ports go everywhere, the hand-made one stays.
        applyMesh(first(3));
        assertMesh(first(3));
        for (BedHost h : first(3)) {
            assertThat(ports(h)).doesNotContain("vxlan-h4", "gre-h4");
        }
        assertThat(ports(h1)).contains("hand0");
    }

    @Test
    @Order(5)
    void afterAnOvsdbServerRestartTheClientReconnectsResyncsAndConverges() throws Exception {
        BedHost h2 = bed.host("h2");
        OvsdbHost host = hosts.get("h2");
        int connectedBefore = connects.get("h2").get();
        // Damage Weft's state by hand; nobody tells Weft. The reconnection alone must repair it.
        h2.vsctl("del-port", "br-int", "vxlan-h3").orThrow();
        long oldPid = h2.currentOvsdbPid().orElseThrow();
        long newPid = bed.bed().restartOvsdb("h2");
        assertThat(newPid).isNotEqualTo(oldPid);
        await().atMost(CONVERGE).until(() -> connects.get("h2").get() > connectedBefore);
        await().atMost(CONVERGE).until(() -> ports(h2).contains("vxlan-h3"));
        assertMesh(first(3));
        await().atMost(CONVERGE).until(() -> host.snapshot().ofport("vxlan-h3").isPresent());
        assertThat(host.apply(meshFor(h2, first(3))).get(30, TimeUnit.SECONDS).changedNothing()).isTrue();
    }

    @Test
    @Order(6)
    void passiveModeAcceptsAHostThatWasToldSetManagerUnix() throws Exception {
        Path dir = Files.createTempDirectory("weft-ovsdb-it-");
        Path sock = dir.resolve("manager.sock");
        BedHost h3 = bed.host("h3");
        OvsdbHost passive = OvsdbHost.passive("h3", transport);
        try (OvsdbManagerListener listener = OvsdbManagerListener.start(transport, "punix:" + sock,
                ConnectionOptions.defaults(), PassiveHostLookup.knownHosts(id -> id.equals("h3")
                        ? java.util.Optional.of(passive) : java.util.Optional.empty())).get(10, TimeUnit.SECONDS)) {
            assertThat(listener.localPort()).as("a unix listener has no port").isEqualTo(-1);
            h3.vsctl("set-manager", "unix:" + sock).orThrow();
            await().atMost(CONVERGE).until(passive::isConnected);
            assertThat(passive.snapshot().systemId()).contains("h3");
            // Through the passive connection: add h4 back on h3 only.
            ProvisionResult r = passive.apply(meshFor(h3, first(4))).get(30, TimeUnit.SECONDS);
            assertThat(r.transactions()).isEqualTo(1);
            assertThat(ports(h3)).contains("vxlan-h4", "gre-h4");
            assertThat(passive.apply(meshFor(h3, first(4))).get(30, TimeUnit.SECONDS).changedNothing()).isTrue();
        } finally {
            h3.vsctl("del-manager");
            passive.close();
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }
}
