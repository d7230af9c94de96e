package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS files that cannot be used stop the start with a message that names the file and what to do. */
class TlsContextsTest {

    @Test
    void aTraditionalKeyIsRefusedWithTheConversionCommand(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("old-privkey.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n"
                + "-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsContexts.load(new SslConfig(key, key, key)))
                .hasMessageContaining(key.toString()).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aMissingOrGarbledFileIsNamed(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nnot base64\n"
                + "-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsContexts.load(new SslConfig(key, dir.resolve("none.pem"), key)))
                .hasMessageContaining("cannot be used").hasMessageContaining("none.pem");
        assertThatThrownBy(() -> TlsContexts.load(new SslConfig(dir.resolve("nokey.pem"), key, key)))
                .hasMessageContaining("nokey.pem");
    }
}
