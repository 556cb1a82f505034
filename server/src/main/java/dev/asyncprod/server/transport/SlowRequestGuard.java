package dev.asyncprod.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that trickles a request too slowly (slowloris): once bytes arrive, a whole
 * request must be decoded within the time limit. Idleness alone is the idle handler's job; this
 * catches the client that keeps a connection busy with a byte now and then but never finishes.
 * Sits before the codec; {@link #requestDecoded()} is called by the exchange handler.
 */
final class SlowRequestGuard extends ChannelInboundHandlerAdapter {

    private final long limitMillis;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> deadline;
    private long decoded;
    private long decodedAtStart;

    SlowRequestGuard(long limitMillis) {
        this.limitMillis = limitMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (deadline == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            decodedAtStart = decoded;
            deadline = ctx.executor().schedule(this::check, limitMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** A whole request came through the codec; on the event loop. */
    void requestDecoded() {
        decoded++;
    }

    private void check() {
        deadline = null;
        if (decoded == decodedAtStart) {
            ctx.close(); // bytes for the whole window and not one complete request
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
