package io.weft.southbound;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-peer detection: after one idle interval without anything read, ask for an echo; if the next interval also
 * passes in silence, the switch is declared dead and its connection closed.
 */
final class EchoKeepAlive extends ChannelInboundHandlerAdapter {

    /** Set once the version is negotiated; echoes before that would be in an unknown version. */
    static final AttributeKey<OFFactory> FACTORY = AttributeKey.valueOf("weft.of.factory");

    private static final Logger LOG = LoggerFactory.getLogger(EchoKeepAlive.class);

    private boolean echoOutstanding;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        echoOutstanding = false;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            OFFactory factory = ctx.channel().attr(FACTORY).get();
            if (factory == null) {
                return;
            }
            if (echoOutstanding) {
                LOG.warn("switch at {} did not answer an echo request: declaring it dead", ctx.channel().remoteAddress());
                ctx.close();
                return;
            }
            echoOutstanding = true;
            ctx.writeAndFlush(factory.buildEchoRequest().setXid(0xecc0L).setData(new byte[0]).build(),
                    ctx.voidPromise());
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
