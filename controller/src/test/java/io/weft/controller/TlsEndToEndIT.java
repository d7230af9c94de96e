package io.weft.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weft.controller.view.HostStatus;
import io.weft.controller.intent.EndpointSpec;
import io.weft.controller.intent.HostSpec;
import io.weft.controller.intent.IntentService;
import io.weft.controller.intent.NetworkSpec;
import io.weft.ovsdb.OvsdbConnection;
import io.weft.ovsdb.SslConfig;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import io.weft.testbed.Pki;
import io.weft.testbed.TestBedExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Issue 10, TLS end to end on the bed (twosites): both hosts are registered with {@code ssl:} OVSDB targets, their
 * bridges connect to Weft's {@code ssl:} OpenFlow listener, certificates come from {@code ovs-pki}, and c1 pings c2
 * across the routed underlay. Then h1 presents a certificate no CA Weft trusts: Weft refuses it, says so in the log,
 * and the host shows as disconnected.
 *
 * <p>Weft runs in the root namespace and each host in its own, so TCP between them goes through relays that only
 * move bytes (TLS stays end to end): a {@code socat} in the host's namespace listens on its loopback and forwards
 * to a unix socket in the host's run directory, where a {@code socat} of the root namespace forwards to Weft's
 * loopback listener (OpenFlow), and the reverse for OVSDB. Traffic stays on loopback and unix sockets.
 */
class TlsEndToEndIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    /** Where, in every host's namespace, the bridge finds the controller (a relay to Weft's listener). */
    private static final int HOST_OPENFLOW_PORT = 6653;
    private static final int HOST_OVSDB_PORT = 6640;

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("twosites");

    static Pki pki;
    static Path workDir;
    static WeftRuntime weft;
    static final List<Process> relays = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        pki = Pki.create();
        workDir = Files.createTempDirectory(Path.of("/tmp"), "weft-tls-it-");
        Pki.Identity controller = pki.controller("weft");
        int openflowPort = freePort();
        weft = WeftRuntime.start(new ControllerSettings("127.0.0.1:0", List.of("ssl:127.0.0.1:" + openflowPort),
                "ssl:127.0.0.1:" + HOST_OPENFLOW_PORT, Optional.empty(), workDir.resolve("data"), 1500,
                Optional.of(new SslConfig(controller.key(), controller.certificate(), controller.trustedCa()))));
        IntentService intents = new IntentService(weft.store(), 1500, true);
        for (BedHost h : BED.hosts()) {
            h.exec("ip", "link", "set", "lo", "up").orThrow(); // the relays' end in the host is its loopback
            useCertificate(h, pki.host(h.name()));
            h.vsctl("set-manager", "pssl:" + HOST_OVSDB_PORT + ":127.0.0.1").orThrow();
            // OVSDB: Weft -> root loopback -> unix socket -> the host's loopback, where ovsdb-server serves pssl.
            Path ovsdbSocket = h.runDir().resolve("ovsdb-relay.sock");
            relays.add(inHost(h, "UNIX-LISTEN:" + ovsdbSocket + ",fork", "TCP:127.0.0.1:" + HOST_OVSDB_PORT));
            int ovsdbPort = freePort();
            relays.add(inRoot("TCP-LISTEN:" + ovsdbPort + ",bind=127.0.0.1,reuseaddr,fork",
                    "UNIX-CONNECT:" + ovsdbSocket));
            // OpenFlow: the bridge -> the host's loopback -> unix socket -> Weft's ssl: listener on root loopback.
            Path openflowSocket = h.runDir().resolve("openflow-relay.sock");
            relays.add(inRoot("UNIX-LISTEN:" + openflowSocket + ",fork", "TCP:127.0.0.1:" + openflowPort));
            relays.add(inHost(h, "TCP-LISTEN:" + HOST_OPENFLOW_PORT + ",bind=127.0.0.1,reuseaddr,fork",
                    "UNIX-CONNECT:" + openflowSocket));
            intents.createHost(new HostSpec(h.name(), h.tunnelIp(), "ssl:127.0.0.1:" + ovsdbPort,
                    h.datapathType(), null));
        }
        BedContainer c1 = BED.container("c1");
        intents.createNetwork(new NetworkSpec(c1.network(), List.of(new NetworkSpec.SubnetSpec(
                "10.65.10.0/24", c1.gateway())), "vxlan", null, null));
        for (BedContainer c : BED.containers()) {
            intents.announceEndpoint(c.network(), new EndpointSpec(c.name(), c.host(), c.hostInterface(), c.ip(),
                    c.mac()));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (weft != null) {
            weft.close();
        }
        relays.forEach(Process::destroy);
        for (BedHost h : BED.hosts()) {
            h.vsctl("del-manager");
            h.vsctl("del-ssl");
        }
        if (pki != null) {
            pki.close();
        }
        if (workDir != null) {
            try (Stream<Path> paths = Files.walk(workDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void containersPingAcrossHostsWithEveryWeftChannelEncrypted() throws Exception {
        for (BedHost h : BED.hosts()) {
            await(h.name() + " connected over OVSDB and OpenFlow, both ssl:").atMost(CONVERGE)
                    .until(() -> weft.view().status(h.name())
                            .map(s -> s.ovsdbConnected() && s.openflowConnected()).orElse(false));
            assertThat(h.vsctl("get", "Controller", "br-int", "target").orThrow().stdout())
                    .contains("ssl:127.0.0.1:" + HOST_OPENFLOW_PORT);
        }
        BedContainer c1 = BED.container("c1");
        BedContainer c2 = BED.container("c2");
        await("c1 pings c2").atMost(CONVERGE).until(() -> c1.ping(c2.ip(), 1, Duration.ofSeconds(2)));
        assertThat(c2.ping(c1.ip(), 3, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aHostPresentingACertificateNoTrustedCaSignedIsRefusedWithAClearLogLine() throws Exception {
        containersPingAcrossHostsWithEveryWeftChannelEncrypted();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(OvsdbConnection.class);
        logger.addAppender(log);
        BedHost h1 = BED.host("h1");
        try {
            Pki.Identity stranger = pki.stranger("h1-stranger");
            useCertificate(h1, new Pki.Identity(stranger.key(), stranger.certificate(),
                    pki.host("unused").trustedCa()));
            h1.ovsdbAppctl("ovsdb-server/reconnect").orThrow();
            await("Weft refuses h1's certificate").atMost(CONVERGE).until(() -> log.list.stream().anyMatch(e ->
                    e.getFormattedMessage().contains("TLS handshake failed")
                            && e.getFormattedMessage().contains("not signed by the CA Weft trusts")));
            await("h1 shows as disconnected").atMost(CONVERGE).until(() -> weft.view().status("h1")
                    .map(s -> !s.ovsdbConnected()).orElse(false));
        } finally {
            logger.detachAppender(log);
            useCertificate(h1, pki.host("h1"));
            h1.ovsdbAppctl("ovsdb-server/reconnect");
        }
        await("h1 back once its certificate is right").atMost(CONVERGE).until(() -> weft.view().status("h1")
                .map(HostStatus::ovsdbConnected).orElse(false));
    }

    /** Copies the files into the host's run directory and points both of its daemons at them. */
    private static void useCertificate(BedHost h, Pki.Identity id) throws IOException {
        Path dir = h.runDir();
        Files.copy(id.key(), dir.resolve("tls-privkey.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(id.certificate(), dir.resolve("tls-cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(id.trustedCa(), dir.resolve("tls-cacert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        h.vsctl("set-ssl", dir.resolve("tls-privkey.pem").toString(), dir.resolve("tls-cert.pem").toString(),
                dir.resolve("tls-cacert.pem").toString()).orThrow();
    }

    private static Process inHost(BedHost h, String from, String to) throws IOException {
        return new ProcessBuilder("nsenter", "--net=/proc/" + h.pid() + "/ns/net", "--", "socat", from, to)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static Process inRoot(String from, String to) throws IOException {
        return new ProcessBuilder("socat", from, to).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
