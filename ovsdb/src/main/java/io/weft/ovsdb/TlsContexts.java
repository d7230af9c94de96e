package io.weft.ovsdb;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The controller's TLS identity as Netty contexts, built once from {@link SslConfig}'s PEM files and shared by every
 * TLS channel (OVSDB and OpenFlow, active and passive). Both sides verify the peer against the CA; listeners
 * require a client certificate. As in Open vSwitch, the peer's name is not checked: a certificate signed by the CA
 * is the credential.
 *
 * @param client for connections Weft opens ({@code ssl:} targets)
 * @param server for Weft's listeners ({@code pssl:}, {@code --openflow-listen ssl:})
 */
public record TlsContexts(SslContext client, SslContext server) {

    /** Reads the files; a file that cannot be used fails with a message naming it and what to do. */
    public static TlsContexts load(SslConfig files) {
        Path key = files.privateKey();
        String head = firstLine(key);
        if (head.contains("BEGIN RSA PRIVATE KEY") || head.contains("BEGIN EC PRIVATE KEY")
                || head.contains("BEGIN DSA PRIVATE KEY")) {
            throw new IllegalArgumentException("TLS key " + key + " is in the traditional (PKCS#1) format, which "
                    + "Weft does not read: convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in " + key
                    + " -out KEY.pk8.pem' and give that file");
        }
        if (head.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("TLS key " + key + " is encrypted: give an unencrypted PKCS#8 key "
                    + "('openssl pkcs8 -topk8 -nocrypt'), as ovs-pki makes, and protect it with file permissions");
        }
        try {
            SslContext client = SslContextBuilder.forClient()
                    .keyManager(files.certificate().toFile(), key.toFile())
                    .trustManager(files.caCertificate().toFile())
                    .build();
            SslContext server = SslContextBuilder.forServer(files.certificate().toFile(), key.toFile())
                    .trustManager(files.caCertificate().toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
            return new TlsContexts(client, server);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS files (certificate " + files.certificate() + ", key " + key
                    + ", CA " + files.caCertificate() + ") cannot be used: " + rootMessage(e), e);
        }
    }

    /** Why a handshake failed, in an operator's words, for the common causes; empty when unsure. */
    static String hint(Throwable cause) {
        String text = String.valueOf(cause);
        for (Throwable t = cause.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            text += " " + t;
        }
        if (text.contains("PKIX") || text.contains("unable to find valid certification path")) {
            return " (the peer's certificate is not signed by the CA Weft trusts, --tls-ca)";
        }
        if (text.contains("certificate_unknown") || text.contains("bad_certificate")
                || text.contains("unknown_ca")) {
            return " (the peer does not trust Weft's certificate: give it the CA that signed --tls-cert)";
        }
        if (text.contains("certificate_required")) {
            return " (the peer sent no certificate: a listener of Weft requires one)";
        }
        return "";
    }

    private static String firstLine(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> !l.isBlank()).findFirst().orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("TLS file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
