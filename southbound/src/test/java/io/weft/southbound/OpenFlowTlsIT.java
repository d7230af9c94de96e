package io.weft.southbound;

import static io.weft.model.flow.Action.output;
import static io.weft.model.flow.Instruction.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Match;
import io.weft.testbed.OvsSandbox;
import io.weft.testbed.OvsSandboxExtension;
import io.weft.testbed.Pki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real ovs-vswitchd connects to Weft's {@code ssl:} OpenFlow listener with certificates on both sides, and Weft
 * programs it through that channel. The daemons run in the root namespace here (the bridge must reach a TCP
 * listener on loopback); the bridge has a unique name and is deleted afterwards.
 */
class OpenFlowTlsIT {

    private static final long DPID = TestBridge.DPID;

    @RegisterExtension
    final OvsSandboxExtension sandbox =
            OvsSandboxExtension.perTest(OvsSandbox.Options.defaults().in(OvsSandbox.Placement.ROOT_NAMESPACE));
    private OvsSandbox ovs;
    private OpenFlowServer server;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void start() {
        ovs = sandbox.ovs();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aBridgeConnectsOverTlsAndIsProgrammedThroughIt() throws Exception {
        // One self-signed certificate serves as both sides' identity and CA, as in a small private PKI.
        Path key = ovs.dir().resolve("key.pem");
        Path cert = ovs.dir().resolve("cert.pem");
        ovs.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=weft-test",
                "-keyout", key.toString(), "-out", cert.toString());
        SslContext ssl = SslContextBuilder.forServer(cert.toFile(), key.toFile())
                .trustManager(cert.toFile()).clientAuth(ClientAuth.REQUIRE).build();
        int port = freePort();
        server = new OpenFlowServer(listener, ChannelConfig.defaults().withSslContext(ssl));
        server.start(List.of("ssl:127.0.0.1:" + port));

        ovs.vsctl("set-ssl", key.toString(), cert.toString(), cert.toString());
        String bridge = ovs.name();
        TestBridge.create(ovs, bridge, "ssl:127.0.0.1:" + port, "OpenFlow13,OpenFlow14");

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.connected.containsKey(DPID));
        SwitchHandle sw = listener.connected.get(DPID);
        // What an operator sees: OVS publishes controller status to its database every few seconds.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ovs.vsctl("get", "Controller", bridge, "is_connected").contains("true"));

        FlowRule flow = new FlowRule(0, 100, Match.builder().exact(Field.IN_PORT, 1).build(),
                List.of(apply(output(2))), 0x5746L << 48);
        ApplyResult result = sw.send(List.of(new FlowMod.AddFlow(flow))).get(30, TimeUnit.SECONDS);
        assertThat(result.added()).isEqualTo(1);
        String dump = ovs.ofctl("-O", "OpenFlow13", "--no-names", "dump-flows", ovs.mgmt(bridge));
        assertThat(dump).contains("priority=100,in_port=1 actions=output:2");
    }

    @Test
    void withAnOvsPkiPkiABridgeSignedByTheSwitchCaIsServedAndASelfSignedOneRefused() throws Exception {
        try (Pki pki = Pki.create()) {
            Pki.Identity weft = pki.controller("weft");
            SslContext ssl = SslContextBuilder.forServer(weft.certificate().toFile(), weft.key().toFile())
                    .trustManager(weft.trustedCa().toFile()).clientAuth(ClientAuth.REQUIRE).build();
            int port = freePort();
            server = new OpenFlowServer(listener, ChannelConfig.defaults().withSslContext(ssl));
            server.start(List.of("ssl:127.0.0.1:" + port));

            // A bridge whose certificate no CA Weft trusts signed (it trusts Weft's CA): refused, never served.
            Pki.Identity stranger = pki.stranger("stranger");
            ovs.vsctl("set-ssl", stranger.key().toString(), stranger.certificate().toString(),
                    pki.host("unused").trustedCa().toString());
            String bridge = ovs.name();
            TestBridge.create(ovs, bridge, "ssl:127.0.0.1:" + port, "OpenFlow13,OpenFlow14");
            await().atMost(Duration.ofSeconds(30)).until(() -> ovs.vsctl("get", "Controller", bridge, "status")
                    .contains("last_error"));
            assertThat(listener.connected).doesNotContainKey(DPID);

            // The same bridge with a certificate the switch CA signed: served.
            Pki.Identity host = pki.host("bridge");
            ovs.vsctl("set-ssl", host.key().toString(), host.certificate().toString(), host.trustedCa().toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.connected.containsKey(DPID));
            assertThat(listener.connected.get(DPID).barrier()).succeedsWithin(Duration.ofSeconds(10));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
