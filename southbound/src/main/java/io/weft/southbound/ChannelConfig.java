package io.weft.southbound;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Channel settings. A switch that sends nothing for {@code echoInterval} gets an echo request; if it is still silent
 * after another interval it is declared dead and disconnected (so within two intervals).
 *
 * @param maxVersion highest version offered: OF_14 (bundles) or OF_13 (pipelined flow-mods and one barrier)
 * @param sslContext used for {@code ssl:} targets; null when none are used
 */
public record ChannelConfig(Duration echoInterval, Duration handshakeTimeout, OFVersion maxVersion,
        SslContext sslContext, int eventLoopThreads) {

    public ChannelConfig {
        if (maxVersion != OFVersion.OF_13 && maxVersion != OFVersion.OF_14) {
            throw new IllegalArgumentException("max OpenFlow version must be OF_13 or OF_14, not " + maxVersion);
        }
        if (echoInterval.isNegative() || echoInterval.isZero() || handshakeTimeout.isNegative()
                || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("echo interval and handshake timeout must be positive");
        }
    }

    public static ChannelConfig defaults() {
        return new ChannelConfig(Duration.ofSeconds(5), Duration.ofSeconds(10), OFVersion.OF_14, null, 2);
    }

    public ChannelConfig withEchoInterval(Duration d) {
        return new ChannelConfig(d, handshakeTimeout, maxVersion, sslContext, eventLoopThreads);
    }

    public ChannelConfig withHandshakeTimeout(Duration d) {
        return new ChannelConfig(echoInterval, d, maxVersion, sslContext, eventLoopThreads);
    }

    public ChannelConfig withMaxVersion(OFVersion v) {
        return new ChannelConfig(echoInterval, handshakeTimeout, v, sslContext, eventLoopThreads);
    }

    public ChannelConfig withSslContext(SslContext ctx) {
        return new ChannelConfig(echoInterval, handshakeTimeout, maxVersion, ctx, eventLoopThreads);
    }
}
