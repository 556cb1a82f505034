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
 * timer per request would cost more than the requests). Sits before the codec, so it sees the
 * first bytes; it hears that a request was decoded whole from the {@link #REQUEST_DECODED} user
 * event, which the adapter after the codec fires from the head of the pipeline.
 */
final class SlowRequestGuard extends ChannelInboundHandlerAdapter {

    /** Fired through the pipeline once a whole request has come through the codec. */
    static final Object REQUEST_DECODED = new Object() {
        @Override
        public String toString() {
            return "REQUEST_DECODED";
        }
    };

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

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == REQUEST_DECODED) {
            partialSince = 0; // consumed here: nothing after the guard needs it
        } else {
            ctx.fireUserEventTriggered(evt);
        }
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
