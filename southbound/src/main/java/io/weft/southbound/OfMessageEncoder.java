package io.weft.southbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** Writes one OpenFlow message, or a whole {@link Batch} into a single buffer (100k flow-mods, one write). */
@ChannelHandler.Sharable
final class OfMessageEncoder extends MessageToByteEncoder<Object> {

    static final OfMessageEncoder INSTANCE = new OfMessageEncoder();

    /** Messages written back to back with one buffer and one flush. */
    record Batch(List<OFMessage> messages) {
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof OFMessage || msg instanceof Batch;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Object msg, boolean preferDirect) {
        int size = msg instanceof Batch b ? Math.min(b.messages().size() * 128, 64 << 20) : 256;
        return ctx.alloc().ioBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        if (msg instanceof Batch b) {
            for (OFMessage m : b.messages()) {
                m.writeTo(out);
            }
        } else {
            ((OFMessage) msg).writeTo(out);
        }
    }
}
