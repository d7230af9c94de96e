package io.weft.southbound;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes a connection that has not finished the OpenFlow handshake (and initial flow read) in time. */
final class HandshakeTimeout extends ChannelInboundHandlerAdapter {

    /** Fired by the handler when the switch is ready; removes this stage. */
    static final Object DONE = new Object();

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeTimeout.class);

    private final Duration timeout;
    private ScheduledFuture<?> timer;

    HandshakeTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            LOG.debug("handshake with {} timed out after {}", ctx.channel().remoteAddress(), timeout);
            ctx.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DONE) {
            cancel();
            ctx.pipeline().remove(this);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
