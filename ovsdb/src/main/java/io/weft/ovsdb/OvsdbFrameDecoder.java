package io.weft.ovsdb;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.json.JsonObjectDecoder;
import io.netty.util.ReferenceCountUtil;
import io.weft.model.ByteBudget;

/**
 * Netty's JSON framing, plus two things: the bytes of an unfinished message are held against the transport's
 * shared {@link ByteBudget} (a connection whose next read would exceed it fails), and a clear error when the peer
 * closes in the middle of a message. Complete messages are handed on at once and cost the budget nothing.
 */
final class OvsdbFrameDecoder extends JsonObjectDecoder {

    private final ByteBudget budget;
    /** Bytes of unfinished messages this connection holds against the budget. */
    private long held;
    private boolean overBudget;

    OvsdbFrameDecoder(int maxFrameBytes, ByteBudget budget) {
        super(maxFrameBytes);
        this.budget = budget;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (overBudget) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            super.channelRead(ctx, msg);
        } finally {
            account(ctx);
        }
    }

    private void account(ChannelHandlerContext ctx) {
        long now = internalBuffer().readableBytes();
        if (now > held) {
            if (!budget.tryReserve(now - held)) {
                overBudget = true;
                ctx.fireExceptionCaught(new BufferBudgetExceededException(now, budget.capacity()));
                return;
            }
        } else if (now < held) {
            budget.release(held - now);
        }
        held = now;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        int unparsed = overBudget ? 0 : unparsedBytes();
        if (unparsed > 0) {
            ctx.fireExceptionCaught(new CorruptedFrameException(
                    "connection closed in the middle of a message (" + unparsed + " bytes never completed)"));
        }
        releaseHeld();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        releaseHeld();
        super.handlerRemoved0(ctx);
    }

    private void releaseHeld() {
        if (held > 0) {
            budget.release(held);
            held = 0;
        }
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

    /** Raised when this connection's unfinished message would push all connections past the shared budget. */
    static final class BufferBudgetExceededException extends RuntimeException {
        BufferBudgetExceededException(long holding, long capacity) {
            super("an unfinished message of " + holding + " bytes would take the OVSDB connections' buffers past "
                    + "their shared limit of " + capacity + " bytes (--ovsdb-buffer-budget)");
        }
    }
}
