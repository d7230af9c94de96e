package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.model.DatapathType;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import io.weft.testbed.OvsSandbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ssl:} against a real ovsdb-server serving {@code pssl:} with a certificate made here, and passive
 * {@code ptcp:} with {@code ovs-vsctl set-manager tcp:127.0.0.1:PORT}. Both need an ovsdb-server in the root
 * namespace (the bed's hosts cannot reach our loopback), so this class runs its own {@link OvsSandbox}.
 */
class OvsdbTransportsIT {

    private static Path certs;
    private static SslConfig ssl;
    private static int sslPort;
    private static OvsSandbox ovs;
    private static OvsdbTransport transport;

    @BeforeAll
    static void start() throws IOException {
        certs = Files.createTempDirectory("weft-ovsdb-tls-");
        ssl = selfSigned("weft-test");
        sslPort = freePort();
        ovs = OvsSandbox.start(OvsSandbox.Options.defaults().in(OvsSandbox.Placement.OVSDB_IN_ROOT)
                .withSystemId("tls").withRemote("pssl:" + sslPort + ":127.0.0.1")
                .withTls(new OvsSandbox.Tls(ssl.privateKey(), ssl.certificate(), ssl.caCertificate())));
        transport = OvsdbTransport.create(1);
    }

    @AfterAll
    static void stop() throws IOException {
        if (transport != null) {
            transport.close();
        }
        if (ovs != null) {
            ovs.close();
        }
        try (var files = Files.list(certs)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(certs);
    }

    /** One self-signed certificate that is its own CA: ovsdb-server and Weft both present it and trust it. */
    private static SslConfig selfSigned(String name) throws IOException {
        Path key = certs.resolve(name + "-key.pem");
        Path cert = certs.resolve(name + "-cert.pem");
        ovsRun("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=" + name,
                "-keyout", key.toString(), "-out", cert.toString());
        return new SslConfig(key, cert, cert);
    }

    private static void ovsRun(String... argv) throws IOException {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void sslConnectionMonitorsAndTransacts() throws Exception {
        String target = "ssl:127.0.0.1:" + sslPort;
        ConnectionOptions options = ConnectionOptions.defaults().withSsl(ssl);
        // ovsdb-server may still be binding pssl right after start: the host's reconnect loop covers that.
        try (OvsdbHost host = OvsdbHost.active("tls", target, transport, options, ReconnectBackoff.defaults())) {
            await().atMost(Duration.ofSeconds(20)).until(host::isConnected);
            assertThat(host.snapshot().systemId()).contains("tls");
            DesiredPort hand = new DesiredPort("vxlan-peer", "vxlan", Map.of("remote_ip", "192.0.2.7", "key", "flow"),
                    ProvisionPlanner.OWNER_MARK);
            DesiredBridge desired = new DesiredBridge("br-tls", DatapathType.NETDEV, List.of(), List.of(hand));
            ProvisionResult r = host.apply(desired).get(30, TimeUnit.SECONDS);
            assertThat(r.transactions()).isEqualTo(1);
            assertThat(ovs.vsctl("get", "Interface", "vxlan-peer", "options:remote_ip").strip())
                    .isEqualTo("\"192.0.2.7\"");
            assertThat(host.apply(desired).get(30, TimeUnit.SECONDS).changedNothing()).isTrue();
        }
    }

    @Test
    void sslWithACertificateTheServerDoesNotTrustFailsClearly() throws Exception {
        SslConfig stranger = selfSigned("stranger");
        ConnectionOptions options = ConnectionOptions.defaults().withSsl(
                new SslConfig(stranger.privateKey(), stranger.certificate(), ssl.caCertificate()));
        // ovsdb-server may still be binding pssl right after start: retry only "cannot connect".
        String failure = await().atMost(Duration.ofSeconds(20)).until(() -> rejection(options),
                f -> !f.contains("cannot connect"));
        // TLS 1.3: the server may reject our certificate only after the handshake completed on our side, so the
        // rejection arrives as its alert on the open connection; either way it names the certificate.
        assertThat(failure).containsAnyOf("bad_certificate", "unknown_ca", "certificate_unknown",
                "certificate_required", "TLS handshake failed");
        assertThat(failure).doesNotContain("connection closed by peer");
        assertThatThrownBy(() -> transport.connect("ssl:127.0.0.1:" + sslPort, ConnectionOptions.defaults())
                .get(10, TimeUnit.SECONDS)).hasMessageContaining("needs TLS");
    }

    /** Connects and sends an echo; the failure's message (a connection that works is a test failure). */
    private static String rejection(ConnectionOptions options) throws Exception {
        try {
            OvsdbConnection c = transport.connect("ssl:127.0.0.1:" + sslPort, options).get(10, TimeUnit.SECONDS);
            c.echo().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause().getMessage();
        }
        throw new AssertionError("ovsdb-server accepted a certificate its CA did not sign");
    }

    @Test
    void passiveTcpAcceptsAHostThatWasToldSetManagerTcp() throws Exception {
        OvsdbHost passive = OvsdbHost.passive("tls", transport);
        try (OvsdbManagerListener listener = OvsdbManagerListener.start(transport, "ptcp:0:127.0.0.1",
                ConnectionOptions.defaults(),
                PassiveHostLookup.knownHosts(id -> id.equals("tls") ? Optional.of(passive) : Optional.empty()))
                .get(10, TimeUnit.SECONDS)) {
            ovs.vsctl("set-manager", "tcp:127.0.0.1:" + listener.localPort());
            await().atMost(Duration.ofSeconds(20)).until(passive::isConnected);
            assertThat(passive.snapshot().systemId()).contains("tls");
            // The accepted connection monitors and transacts like an active one.
            DesiredBridge desired = new DesiredBridge("br-passive", DatapathType.NETDEV, List.of(), List.of());
            assertThat(passive.apply(desired).get(30, TimeUnit.SECONDS).transactions()).isEqualTo(1);
            assertThat(ovs.vsctl("list-br").lines()).contains("br-passive");
            assertThat(passive.snapshot().bridge("br-passive")).isPresent();
        } finally {
            ovs.vsctl("del-manager", "--", "--if-exists", "del-br", "br-passive");
            passive.close();
        }
    }
}
