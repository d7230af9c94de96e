package io.weft.southbound;

import io.netty.handler.ssl.SslContext;
import io.weft.model.ByteBudget;
import java.time.Duration;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Channel settings. A switch that sends nothing for {@code echoInterval} gets an echo request; if it is still silent
 * after another interval it is declared dead and disconnected (so within two intervals).
 *
 * @param maxVersion     highest version offered: OF_14 (bundles) or OF_13 (pipelined flow-mods and one barrier);
 *                       OpenFlow 1.0 is offered as well, for plain switches that speak nothing else
 * @param sslContext     used for {@code ssl:} targets; null when none are used
 * @param maxReplyParts  parts one multipart reply may have (each at most 64 KiB): 2048 hold flow stats of about
 *                       850,000 flows; a switch that sends more is disconnected
 * @param replyBudget    bytes that gathered multipart replies of every switch may hold together, counting each part
 *                       as the 64 KiB it may be; shared by a server and a connector
 */
public record ChannelConfig(Duration echoInterval, Duration handshakeTimeout, OFVersion maxVersion,
        SslContext sslContext, int eventLoopThreads, int maxReplyParts, ByteBudget replyBudget) {

    public static final int DEFAULT_MAX_REPLY_PARTS = 2048;
    public static final long DEFAULT_REPLY_BUDGET = 256L * 1024 * 1024;

    public ChannelConfig {
        if (maxVersion != OFVersion.OF_13 && maxVersion != OFVersion.OF_14) {
            throw new IllegalArgumentException("max OpenFlow version must be OF_13 or OF_14, not " + maxVersion);
        }
        if (echoInterval.isNegative() || echoInterval.isZero() || handshakeTimeout.isNegative()
                || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("echo interval and handshake timeout must be positive");
        }
        if (maxReplyParts < 1 || replyBudget == null) {
            throw new IllegalArgumentException("a multipart reply needs at least one part and a budget");
        }
    }

    public static ChannelConfig defaults() {
        return new ChannelConfig(Duration.ofSeconds(5), Duration.ofSeconds(10), OFVersion.OF_14, null, 2,
                DEFAULT_MAX_REPLY_PARTS, new ByteBudget(DEFAULT_REPLY_BUDGET));
    }

    public ChannelConfig withEchoInterval(Duration d) {
        return new ChannelConfig(d, handshakeTimeout, maxVersion, sslContext, eventLoopThreads, maxReplyParts,
                replyBudget);
    }

    public ChannelConfig withHandshakeTimeout(Duration d) {
        return new ChannelConfig(echoInterval, d, maxVersion, sslContext, eventLoopThreads, maxReplyParts,
                replyBudget);
    }

    public ChannelConfig withMaxVersion(OFVersion v) {
        return new ChannelConfig(echoInterval, handshakeTimeout, v, sslContext, eventLoopThreads, maxReplyParts,
                replyBudget);
    }

    public ChannelConfig withSslContext(SslContext ctx) {
        return new ChannelConfig(echoInterval, handshakeTimeout, maxVersion, ctx, eventLoopThreads, maxReplyParts,
                replyBudget);
    }

    public ChannelConfig withReplyLimits(int parts, ByteBudget budget) {
        return new ChannelConfig(echoInterval, handshakeTimeout, maxVersion, sslContext, eventLoopThreads, parts,
                budget);
    }
}
