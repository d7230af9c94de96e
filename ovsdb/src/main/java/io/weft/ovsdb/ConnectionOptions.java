package io.weft.ovsdb;

import java.time.Duration;
import java.util.Optional;

/**
 * Per-connection settings.
 *
 * @param maxFrameBytes     largest JSON message accepted; a larger one fails the connection
 * @param inactivityProbe   after this long without a message we send an echo; after twice as long we close
 * @param connectTimeout    TCP/unix connect timeout
 * @param tls               the controller's TLS contexts, for {@code ssl:} targets and {@code pssl:} listeners
 */
public record ConnectionOptions(int maxFrameBytes, Duration inactivityProbe, Duration connectTimeout,
                                Optional<TlsContexts> tls) {

    /**
     * 16 MiB: the largest message is the initial monitor reply, about 440 bytes per port (MonitorReplySize: 0.43 MiB
     * for a host with 1000 ports), so this holds some 38,000 ports; beyond it the peer is broken or hostile.
     */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    public static ConnectionOptions defaults() {
        return new ConnectionOptions(DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Optional.empty());
    }

    public ConnectionOptions withTls(TlsContexts contexts) {
        return new ConnectionOptions(maxFrameBytes, inactivityProbe, connectTimeout, Optional.of(contexts));
    }

    /** Reads the PEM files now: better built once and shared ({@link #withTls}). */
    public ConnectionOptions withSsl(SslConfig config) {
        return withTls(TlsContexts.load(config));
    }

    public ConnectionOptions withMaxFrameBytes(int bytes) {
        return new ConnectionOptions(bytes, inactivityProbe, connectTimeout, tls);
    }

    public ConnectionOptions withInactivityProbe(Duration probe) {
        return new ConnectionOptions(maxFrameBytes, probe, connectTimeout, tls);
    }
}
