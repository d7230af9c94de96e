package io.weft.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.controller.intent.HostSpec;
import io.weft.controller.intent.IntentService;
import io.weft.controller.store.InMemoryStore;
import io.weft.controller.store.StoreState;
import io.weft.model.DatapathType;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.ovsdb.OvsdbHost;
import io.weft.ovsdb.OvsdbTransport;
import io.weft.ovsdb.PassiveIdentity;
import io.weft.ovsdb.PeerOrigin;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration of unknown passive hosts from their external_ids, and the hand-over of their connection. */
class PassiveHostRegistrarTest {

    private final InMemoryStore store = new InMemoryStore();
    private final IntentService intents = new IntentService(store);
    private final PassiveHostRegistrar registrar = new PassiveHostRegistrar(intents, store::current,
            new PassivePolicy(Set.of(), Optional.empty()), Duration.ofSeconds(5));
    private final OvsdbTransport transport = OvsdbTransport.create(1);

    @AfterEach
    void close() {
        transport.close();
    }

    /** A peer whose certificate TLS verified: allowed, and over TCP from 192.0.2.50. */
    private static PassiveIdentity caller(String systemId, Map<String, String> externalIds) {
        return caller(systemId, externalIds, new PeerOrigin(Optional.of(address("192.0.2.50")), OptionalInt.empty(),
                Optional.of("CN=" + systemId)));
    }

    private static PassiveIdentity caller(String systemId, Map<String, String> externalIds, PeerOrigin origin) {
        return new PassiveIdentity("pssl:6640 <- peer", systemId, externalIds, origin);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The failure's message, which the listener logs as its one WARN line. */
    private static String refusal(CompletableFuture<OvsdbHost> session) {
        assertThat(session).isCompletedExceptionally();
        return session.handle((s, e) -> e.getMessage()).join();
    }

    @Test
    void anUnknownHostIsRegisteredAndGetsItsSessionOnceTheReconcilerOpensIt() throws Exception {
        CompletableFuture<OvsdbHost> session = registrar.sessionFor(caller("h9", Map.of("system-id", "h9",
                "weft-tunnel-ip", "192.0.2.9", "weft-datapath-type", "netdev", "weft-openflow", "ptcp:6653")));

        assertThat(store.current().hosts().get("h9")).isEqualTo(new Host("h9", Ipv4Address.parse("192.0.2.9"),
                DatapathType.NETDEV, Optional.empty(), Optional.of("ptcp:6653")).withIndex(0));
        assertThat(session).as("waits for the reconciler").isNotDone();
        OvsdbHost opened = OvsdbHost.passive("h9", transport);
        registrar.opened(opened);
        assertThat(session.get(1, TimeUnit.SECONDS)).isSameAs(opened);
    }

    @Test
    void ovnEncapIpIsTheFallbackAndTheDatapathDefaultsToSystem() {
        registrar.sessionFor(caller("ovn1", Map.of("ovn-encap-ip", "192.0.2.20")));
        Host host = store.current().hosts().get("ovn1");
        assertThat(host.tunnelIp()).isEqualTo(Ipv4Address.parse("192.0.2.20"));
        assertThat(host.datapathType()).isEqualTo(DatapathType.SYSTEM);
    }

    @Test
    void aKnownPassiveHostIsNotRegisteredAgainAndGetsItsOpenSession() throws Exception {
        intents.createHost(new HostSpec("h1", "192.0.2.1", null, "netdev", null));
        OvsdbHost opened = OvsdbHost.passive("h1", transport);
        registrar.opened(opened);
        long revision = store.current().revision();

        CompletableFuture<OvsdbHost> session = registrar.sessionFor(caller("h1", Map.of("weft-tunnel-ip",
                "192.0.2.99")));
        assertThat(session.get(1, TimeUnit.SECONDS)).isSameAs(opened);
        assertThat(store.current().revision()).isEqualTo(revision);
    }

    @Test
    void aHostWithoutTunnelIpIsRefusedNamingTheKeyToSet() {
        String message = refusal(registrar.sessionFor(caller("h2", Map.of("system-id", "h2"))));
        assertThat(message).contains("external_ids:weft-tunnel-ip", "ovn-encap-ip");
        assertThat(store.current().revision()).isZero();
    }

    @Test
    void whatTheIntentServiceRefusesNamesTheKeyItCameFrom() {
        assertThat(refusal(registrar.sessionFor(caller("h3", Map.of("ovn-encap-ip", "300.1.1.1")))))
                .contains("fix external_ids:ovn-encap-ip");
        assertThat(refusal(registrar.sessionFor(caller("h3", Map.of("weft-tunnel-ip", "192.0.2.3",
                "weft-datapath-type", "dpdk"))))).contains("fix external_ids:weft-datapath-type");
        assertThat(refusal(registrar.sessionFor(caller("h3", Map.of("weft-tunnel-ip", "192.0.2.3",
                "weft-openflow", "tcp:1.2.3.4:6653"))))).contains("fix external_ids:weft-openflow");
        assertThat(refusal(registrar.sessionFor(caller("not/a/name", Map.of("weft-tunnel-ip", "192.0.2.3")))))
                .contains("fix external_ids:system-id");
        assertThat(store.current().revision()).as("nothing registered").isZero();
    }

    @Test
    void aTunnelIpOfAnotherHostIsRefused() {
        intents.createHost(new HostSpec("h1", "192.0.2.1", null, "netdev", null));
        assertThat(refusal(registrar.sessionFor(caller("h4", Map.of("weft-tunnel-ip", "192.0.2.1")))))
                .contains("already belongs to host h1", "fix external_ids:weft-tunnel-ip");
        assertThat(store.current().hosts()).containsOnlyKeys("h1");
    }

    @Test
    void anActiveHostIsNeitherReRegisteredNorGivenThePassiveConnection() {
        StoreState before = intents.createHost(new HostSpec("h5", "192.0.2.5", "unix:/tmp/h5.sock", "netdev", null));
        assertThat(refusal(registrar.sessionFor(caller("h5", Map.of("weft-tunnel-ip", "192.0.2.5")))))
                .contains("active OVSDB target unix:/tmp/h5.sock", "del-manager");
        assertThat(store.current()).isEqualTo(before);
    }

    @Test
    void aSessionThatNeverOpensTimesOut() {
        PassiveHostRegistrar impatient = new PassiveHostRegistrar(intents, store::current,
                new PassivePolicy(Set.of(), Optional.empty()), Duration.ofMillis(50));
        CompletableFuture<OvsdbHost> session = impatient.sessionFor(caller("h6", Map.of("weft-tunnel-ip",
                "192.0.2.6")));
        assertThatThrownBy(() -> session.get(5, TimeUnit.SECONDS))
                .hasMessageContaining("host h6 got no OVSDB session within 50 ms of being registered");
    }

    @Test
    void aClosedSessionIsNotHandedOutAgain() {
        intents.createHost(new HostSpec("h7", "192.0.2.7", null, "netdev", null));
        OvsdbHost first = OvsdbHost.passive("h7", transport);
        registrar.opened(first);
        registrar.closed(first);
        CompletableFuture<OvsdbHost> session = registrar.sessionFor(caller("h7", Map.of()));
        assertThat(session).isNotDone();
        OvsdbHost second = OvsdbHost.passive("h7", transport);
        registrar.opened(second);
        assertThat(session.join()).isSameAs(second);
    }

    // ---- issue 10: only peers the operator allows, naming only their own OpenFlow target

    private static final PeerOrigin UNCERTIFIED_TCP = new PeerOrigin(Optional.of(address("192.0.2.50")),
            OptionalInt.empty(), Optional.empty());

    @Test
    void aPeerWithoutCertificateOrAllowListEntryIsRefusedAndNothingRegistered() {
        String message = refusal(registrar.sessionFor(caller("h10", Map.of("weft-tunnel-ip", "192.0.2.10"),
                UNCERTIFIED_TCP)));
        assertThat(message).contains("system-id h10 is not allowed", "--ovsdb-allow", "pssl:");
        assertThat(store.current().revision()).isZero();
    }

    @Test
    void aKnownHostIsRefusedToo() {
        intents.createHost(new HostSpec("h11", "192.0.2.11", null, "netdev", null));
        assertThat(refusal(registrar.sessionFor(caller("h11", Map.of(), UNCERTIFIED_TCP))))
                .contains("not allowed");
    }

    @Test
    void theAllowListAndItsFileAdmitWithoutCertificate(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("allow");
        Files.writeString(file, "# hosts\nh13\n");
        PassiveHostRegistrar allowing = new PassiveHostRegistrar(intents, store::current,
                new PassivePolicy(Set.of("h12"), Optional.of(file)), Duration.ofSeconds(5));
        allowing.sessionFor(caller("h12", Map.of("weft-tunnel-ip", "192.0.2.12"), UNCERTIFIED_TCP));
        allowing.sessionFor(caller("h13", Map.of("weft-tunnel-ip", "192.0.2.13"), UNCERTIFIED_TCP));
        assertThat(store.current().hosts()).containsKeys("h12", "h13");
        assertThat(refusal(allowing.sessionFor(caller("h14", Map.of("weft-tunnel-ip", "192.0.2.14"),
                UNCERTIFIED_TCP)))).contains("not allowed", file.toString());

        Files.writeString(file, "h14 # added later\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        allowing.sessionFor(caller("h14", Map.of("weft-tunnel-ip", "192.0.2.14"), UNCERTIFIED_TCP));
        assertThat(store.current().hosts()).containsKey("h14");
    }

    @Test
    void aTcpOpenflowTargetMayNameOnlyTheHostsOwnAddress() {
        assertThat(refusal(registrar.sessionFor(caller("h15", Map.of("weft-tunnel-ip", "192.0.2.15",
                "weft-openflow", "ptcp:22:10.0.0.1"))))).contains("fix external_ids:weft-openflow", "its own address");
        registrar.sessionFor(caller("h16", Map.of("weft-tunnel-ip", "192.0.2.16", "weft-openflow",
                "ptcp:6653:192.0.2.50")));
        registrar.sessionFor(caller("h17", Map.of("weft-tunnel-ip", "192.0.2.17", "weft-openflow",
                "ptcp:6653:192.0.2.17")));
        assertThat(store.current().hosts()).containsOnlyKeys("h16", "h17");
    }

    @Test
    void aUnixOpenflowTargetIsRefusedFromAPeerOverTheNetwork() {
        assertThat(refusal(registrar.sessionFor(caller("h18", Map.of("weft-tunnel-ip", "192.0.2.18",
                "weft-openflow", "punix:/var/run/openvswitch/br-int.weft")))))
                .contains("only from a host connected over a punix: listener");
        assertThat(store.current().revision()).isZero();
    }

    @Test
    void aUnixOpenflowTargetMustBeTheBridgeSocketInTheHostsOwnRunDirectory(@TempDir Path run) throws Exception {
        // Stands for the host's ovsdb-server: what counts is its command line, as /proc shows it.
        Process ovsdbServer = new ProcessBuilder("sh", "-c", "sleep 60; true", "ovsdb-server",
                "--remote=punix:" + run.resolve("db.sock")).start();
        try {
            PeerOrigin local = new PeerOrigin(Optional.empty(), OptionalInt.of((int) ovsdbServer.pid()),
                    Optional.of("CN=local"));
            for (String foreign : new String[] {"punix:/var/run/docker.sock", "punix:" + run.resolve("other.sock"),
                "punix:/tmp/elsewhere/br-int.weft"}) {
                assertThat(refusal(registrar.sessionFor(caller("h19", Map.of("weft-tunnel-ip", "192.0.2.19",
                        "weft-openflow", foreign), local)))).contains("not in this host's own run directory",
                        run.toString());
            }
            registrar.sessionFor(caller("h19", Map.of("weft-tunnel-ip", "192.0.2.19",
                    "weft-openflow", "punix:" + run.resolve("br-int.weft")), local));
            assertThat(store.current().hosts().get("h19").openflowTarget())
                    .contains("punix:" + run.resolve("br-int.weft"));
        } finally {
            ovsdbServer.descendants().forEach(ProcessHandle::destroyForcibly); // sh's sleep, else left running
            ovsdbServer.destroyForcibly();
        }
    }
}
