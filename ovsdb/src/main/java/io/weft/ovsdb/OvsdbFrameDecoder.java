package io.weft.ovsdb;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.json.JsonObjectDecoder;

/** Netty's JSON framing, plus a clear error when the peer closes in the middle of a message. */
final class OvsdbFrameDecoder extends JsonObjectDecoder {

    OvsdbFrameDecoder(int maxFrameBytes) {
        super(maxFrameBytes);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        int unparsed = unparsedBytes();
        if (unparsed > 0) {
            ctx.fireExceptionCaught(new CorruptedFrameException(
                    "connection closed in the middle of a message (" + unparsed + " bytes never completed)"));
        }
        super.channelInactive(ctx);
    }

    private int unparsedBytes() {
        ByteBuf buf = internalBuffer();
        int count = 0;
        for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
            if (!Character.isWhitespace(buf.getByte(i))) {
                count++;
            }
        }
        return count;
    }
}
