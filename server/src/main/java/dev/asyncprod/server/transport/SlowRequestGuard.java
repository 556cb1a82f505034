package dev.asyncprod.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that trickles a request too slowly (slowloris): once the bytes of a request
 * start to arrive, the whole request must be decoded within the limit. Idleness alone is the idle
 * handler's job; this catches the client that keeps a connection busy with a byte now and then
 * but never finishes. One check per connection every half limit, whatever the request rate (a
 * timer per request would cost more than the requests). Sits before the codec;
 * {@link #requestDecoded()} is called by the exchange handler.
 */
final class SlowRequestGuard extends ChannelInboundHandlerAdapter {

    private final long limitNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> check;
    private long partialSince; // nanoTime the bytes of an undecoded request began arriving, 0 if none

    SlowRequestGuard(long limitMillis) {
        this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long period = Math.max(1, limitNanos / 2);
        check = ctx.executor().scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (partialSince == 0 && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            partialSince = System.nanoTime(); // reset below if these bytes complete a request
        }
        ctx.fireChannelRead(msg);
    }

    /** A whole request came through the codec; on the event loop. */
    void requestDecoded() {
        partialSince = 0;
    }

    private void check() {
        if (partialSince != 0 && System.nanoTime() - partialSince > limitNanos) {
            ctx.close(); // a request has been arriving for longer than the limit
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
