package io.weft.ovsdb;

import java.nio.file.Path;

/**
 * PEM files for {@code ssl:} connections, as ovs-vsctl's {@code --private-key/--certificate/--ca-cert}:
 * our key and certificate, and the CA that must have signed the server's certificate.
 */
public record SslConfig(Path privateKey, Path certificate, Path caCertificate) {
}
