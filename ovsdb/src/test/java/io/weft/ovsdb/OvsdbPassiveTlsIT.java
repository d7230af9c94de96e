package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weft.testbed.OvsSandbox;
import io.weft.testbed.Pki;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 10, item 5: the passive OVSDB listener on {@code pssl:}, with a PKI made by {@code ovs-pki} as operators make
 * one. A real ovsdb-server told {@code set-manager ssl:} with a certificate the switch CA signed is accepted and
 * known by that certificate; one with a self-signed certificate is refused with a log line that says so.
 */
class OvsdbPassiveTlsIT {

    private static Pki pki;
    private static OvsdbTransport transport;
    private static OvsdbTransport.Listening listening;
    private static final List<OvsdbConnection> accepted = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void listen() throws Exception {
        pki = Pki.create();
        Pki.Identity weft = pki.controller("weft");
        transport = OvsdbTransport.create(1);
        ConnectionOptions options = ConnectionOptions.defaults().withSsl(new SslConfig(weft.key(), weft.certificate(),
                weft.trustedCa()));
        listening = transport.listen("pssl:0:127.0.0.1", options, accepted::add).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (listening != null) {
            listening.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (pki != null) {
            pki.close();
        }
    }

    /** An ovsdb-server in the root namespace (it dials Weft's pssl: listener on loopback) with these TLS files. */
    private static OvsSandbox ovsdbServer(Pki.Identity id) throws IOException {
        return OvsSandbox.start(OvsSandbox.Options.defaults().in(OvsSandbox.Placement.OVSDB_IN_ROOT)
                .withoutVswitchd().withTls(new OvsSandbox.Tls(id.key(), id.certificate(), id.trustedCa())));
    }

    @Test
    void aHostWithACertificateTheSwitchCaSignedIsAcceptedAndKnownByIt() throws Exception {
        try (OvsSandbox ovs = ovsdbServer(pki.host("pkihost"))) {
            ovs.vsctl("--no-wait", "set-manager", "ssl:127.0.0.1:" + listening.localPort());
            await().atMost(Duration.ofSeconds(20)).until(() -> accepted.stream().anyMatch(c -> c.isOpen()
                    && c.origin().certificateSubject().orElse("").contains("CN=pkihost")));
            OvsdbConnection c = accepted.stream().filter(OvsdbConnection::isOpen).findFirst().orElseThrow();
            assertThat(c.origin().certified()).isTrue();
            assertThat(c.echo().get(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void aHostWithASelfSignedCertificateIsRefusedAndTheLogSaysWhy() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(OvsdbConnection.class);
        logger.addAppender(log);
        int before = accepted.size();
        Pki.Identity stranger = pki.stranger("stranger");
        // It trusts Weft's CA, so the refusal is Weft's: its certificate is signed by no CA Weft trusts.
        try (OvsSandbox ovs = ovsdbServer(new Pki.Identity(stranger.key(), stranger.certificate(),
                pki.host("unused").trustedCa()))) {
            ovs.vsctl("--no-wait", "set-manager", "ssl:127.0.0.1:" + listening.localPort());
            await().atMost(Duration.ofSeconds(20)).until(() -> log.list.stream().anyMatch(e ->
                    e.getFormattedMessage().contains("TLS handshake failed")
                            && e.getFormattedMessage().contains("not signed by the CA Weft trusts")));
            assertThat(accepted).hasSize(before);
        } finally {
            logger.detachAppender(log);
        }
    }
}
