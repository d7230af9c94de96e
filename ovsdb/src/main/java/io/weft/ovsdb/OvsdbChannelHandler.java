package io.weft.ovsdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;

/**
 * The last pipeline stage: parses each frame cut by {@code JsonObjectDecoder}, hands it to the connection, answers
 * inactivity with an echo probe and turns every error into a failure of this one connection.
 */
final class OvsdbChannelHandler extends SimpleChannelInboundHandler<ByteBuf> {

    private final OvsdbConnection connection;
    private final int maxFrameBytes;
    private final long probeMillis;
    private boolean probeOutstanding;

    OvsdbChannelHandler(OvsdbConnection connection, int maxFrameBytes, long probeMillis) {
        this.connection = connection;
        this.maxFrameBytes = maxFrameBytes;
        this.probeMillis = probeMillis;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        probeOutstanding = false;
        JsonNode message;
        try {
            message = OvsdbCodec.MAPPER.readTree((java.io.InputStream) new ByteBufInputStream(frame));
        } catch (JsonProcessingException e) {
            connection.fail(new OvsdbConnectionException(connection.peer() + ": malformed JSON from peer: "
                    + e.getOriginalMessage(), e));
            return;
        } catch (IOException e) {
            connection.fail(new OvsdbConnectionException(connection.peer() + ": cannot read frame: " + e, e));
            return;
        }
        try {
            connection.received(message);
        } catch (OvsdbConnectionException e) {
            connection.fail(e);
        } catch (RuntimeException e) {
            connection.fail(new OvsdbConnectionException(connection.peer() + ": cannot handle message "
                    + OvsdbConnection.abbreviate(message) + ": " + e, e));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (probeOutstanding) {
                connection.fail(new OvsdbConnectionException(connection.peer() + ": peer silent for "
                        + 2 * probeMillis + " ms (no reply to our echo), closing"));
            } else {
                probeOutstanding = true;
                connection.echo();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.fail(new OvsdbConnectionException(connection.peer() + ": connection closed by peer"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String why;
        if (root instanceof TooLongFrameException) {
            why = "message larger than " + maxFrameBytes + " bytes (" + root.getMessage() + ")";
        } else if (root instanceof OvsdbFrameDecoder.BufferBudgetExceededException) {
            why = root.getMessage();
        } else if (root instanceof CorruptedFrameException) {
            why = "malformed JSON framing: " + root.getMessage();
        } else {
            why = root.toString();
        }
        connection.fail(new OvsdbConnectionException(connection.peer() + ": " + why, root));
    }
}
