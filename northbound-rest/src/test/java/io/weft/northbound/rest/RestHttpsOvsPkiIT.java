package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.ovsdb.SslConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with the key and certificate ovs-pki makes for a controller (the same files the OpenFlow and OVSDB channels
 * use): the certificate file starts with openssl's text dump, and names no host, so the client here checks the chain
 * against ovs-pki's controller CA but not the name.
 */
class RestHttpsOvsPkiIT {

    @TempDir
    Path dir;

    @Test
    void serves_https_with_an_ovs_pki_controller_certificate() throws IOException {
        Certificates.run(dir, List.of("ovs-pki", "--dir=" + dir.resolve("pki"), "init"));
        Certificates.run(dir, List.of("ovs-pki", "--dir=" + dir.resolve("pki"), "req+sign", "ctl", "controller"));
        Path ca = dir.resolve("pki/controllerca/cacert.pem");
        assertThat(Files.readString(dir.resolve("ctl-cert.pem"))).startsWith("Certificate:");

        SslConfig files = new SslConfig(dir.resolve("ctl-privkey.pem"), dir.resolve("ctl-cert.pem"), ca);
        try (TestServer bed = new TestServer(c -> c.withTls(files));
             SSLSocket s = (SSLSocket) Certificates.trusting(ca).getSocketFactory()
                     .createSocket("127.0.0.1", bed.server.port())) {
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 200").contains("\"status\":\"UP\"");
        }
    }
}
