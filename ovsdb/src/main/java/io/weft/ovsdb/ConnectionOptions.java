package io.weft.ovsdb;

import java.time.Duration;
import java.util.Optional;

/**
 * Per-connection settings.
 *
 * @param maxFrameBytes     largest JSON message accepted; a larger one fails the connection
 * @param inactivityProbe   after this long without a message we send an echo; after twice as long we close
 * @param connectTimeout    TCP/unix connect timeout
 * @param ssl               key, certificate and CA for {@code ssl:} targets
 */
public record ConnectionOptions(int maxFrameBytes, Duration inactivityProbe, Duration connectTimeout,
                                Optional<SslConfig> ssl) {

    /** 64 MiB: a full dump of a 20-host mesh is far below 1 MiB; beyond this the peer is broken. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

    public static ConnectionOptions defaults() {
        return new ConnectionOptions(DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Optional.empty());
    }

    public ConnectionOptions withSsl(SslConfig config) {
        return new ConnectionOptions(maxFrameBytes, inactivityProbe, connectTimeout, Optional.of(config));
    }

    public ConnectionOptions withMaxFrameBytes(int bytes) {
        return new ConnectionOptions(bytes, inactivityProbe, connectTimeout, ssl);
    }

    public ConnectionOptions withInactivityProbe(Duration probe) {
        return new ConnectionOptions(maxFrameBytes, probe, connectTimeout, ssl);
    }
}
