package io.weft.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a client of Weft's REST API reads to be let in, the same for these commands and the Docker agent: the bearer
 * token from a file, and HTTPS trust from the PEM CA that signed the controller's certificate.
 */
public final class ClientCredentials {

    private ClientCredentials() {
    }

    /**
     * The token in {@code file}: its first word, so that a line of the controller's own tokens file ({@code TOKEN
     * SCOPE NAME}) serves as well as a file holding the token alone.
     *
     * @throws IllegalArgumentException when the file cannot be read or is empty, saying which
     */
    public static String token(Path file) {
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + " cannot be read: " + e, e);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("--token-file " + file + " is empty: it holds the controller's bearer "
                    + "token");
        }
        return text.split("\\s+")[0];
    }

    /**
     * An SSL context trusting only the PEM CA certificates in {@code caFile}.
     *
     * @throws IllegalArgumentException when the file holds no certificate or cannot be read, saying which
     */
    public static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("--ca " + caFile + " holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("--ca " + caFile + " holds no PEM certificate: " + e.getMessage(), e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--ca " + caFile + ": " + e.getMessage(), e);
        }
    }
}
