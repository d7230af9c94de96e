package io.weft.southbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;

/**
 * Frames OpenFlow messages on the header's 16-bit length and parses each frame with openflowj, except the parts of
 * an OpenFlow 1.3+ flow-stats reply, which {@link FlowStatsDecoder} reads straight into model flows (a
 * {@link FlowStat.Part}) unless they hold a flow the model cannot express. A frame that is
 * shorter than the header, carries an unknown version or does not parse is a protocol violation: the exception
 * reaches the handler, which closes this connection only.
 */
final class OfMessageDecoder extends LengthFieldBasedFrameDecoder {

    static final int HEADER_LENGTH = 8;
    static final int MAX_FRAME = 0xffff;
    private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();

    OfMessageDecoder() {
        super(MAX_FRAME, 2, 2, -4, 0);
    }

    /** Set by the first frame that does not parse: what follows it is dropped unread. */
    private boolean corrupted;

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        // The connection closes on the first bad frame, but frames behind it would still be decoded and handed on
        // (as the channel goes inactive, Netty decodes what it holds): the last part of a multipart reply whose
        // earlier part was bad would complete its request with parts missing.
        if (corrupted) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        try {
            return frame(ctx, in);
        } catch (Exception e) {
            corrupted = true;
            throw e;
        }
    }

    private Object frame(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (in.readableBytes() >= 4) {
            int length = in.getUnsignedShort(in.readerIndex() + 2);
            if (length < HEADER_LENGTH) {
                throw new CorruptedFrameException("OpenFlow length field " + length + " is shorter than the header");
            }
        }
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            return null;
        }
        try {
            if (FlowStatsDecoder.reads(frame)) {
                FlowStat.Part part = FlowStatsDecoder.decode(frame);
                if (part != null) {
                    return part;
                }
            }
            OFMessage msg = READER.readFrom(frame);
            if (msg == null) {
                throw new CorruptedFrameException("unparsable OpenFlow message of type " + frame.getUnsignedByte(1));
            }
            return msg;
        } catch (OFParseError | RuntimeException e) {
            throw new CorruptedFrameException("unparsable OpenFlow message: " + e.getMessage(), e);
        } finally {
            frame.release();
        }
    }
}
