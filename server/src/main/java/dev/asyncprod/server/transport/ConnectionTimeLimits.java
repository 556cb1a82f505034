package dev.asyncprod.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection's two time limits, both {@code --idle-timeout}, checked by one periodic task per
 * connection every half limit, whatever the request rate (a timer per request, or Netty's
 * {@code IdleStateHandler}, which turns every write's void promise into a listened one, would cost
 * the cheapest request more than the check is worth):
 * <ul>
 *   <li><b>idle</b>: no byte read or written for the limit; {@link #IDLE} is fired for the
 *       exchanges, which close the connection if nothing is in flight (a long {@code /sleep} is
 *       not idleness);</li>
 *   <li><b>slow request</b> (slowloris): the bytes of a request began arriving longer ago than the
 *       limit and it is still not decoded whole: the connection is closed at once.</li>
 * </ul>
 * Sits before the codec, so it sees the first bytes; it hears that a request was decoded whole
 * from the {@link #REQUEST_DECODED} user event, which the adapter after the codec fires from the
 * head of the pipeline.
 */
final class ConnectionTimeLimits extends ChannelDuplexHandler {

    /** Fired through the pipeline once a whole request has come through the codec. */
    static final Object REQUEST_DECODED = new Object() {
        @Override
        public String toString() {
            return "REQUEST_DECODED";
        }
    };

    /** Fired when nothing was read or written for the limit. */
    static final Object IDLE = new Object() {
        @Override
        public String toString() {
            return "IDLE";
        }
    };

    private final long limitNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> check;
    private long partialSince; // nanoTime the bytes of an undecoded request began arriving, 0 if none
    private long lastActivity;
    private boolean idleTold; // IDLE fired for the current stretch of silence
    private boolean wrote; // an answer went out since the last check
    private boolean slowRequests = true; // HTTP/1.1 only: over HTTP/2, streams interleave and are their own

    ConnectionTimeLimits(long limitMillis) {
        this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lastActivity = System.nanoTime();
        long period = Math.max(1, limitNanos / 2);
        check = ctx.executor().scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            long now = System.nanoTime();
            lastActivity = now;
            idleTold = false;
            if (partialSince == 0 && slowRequests) {
                partialSince = now; // reset below if these bytes complete a request
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // The answer is going out: the connection is in use. A mark, not a clock reading (29 ns, on
        // every answer): the next check counts it as activity at its own time, so an idle close
        // after a write comes at most one check period (half the limit) later than after a read.
        wrote = true;
        idleTold = false;
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == REQUEST_DECODED) {
            partialSince = 0; // consumed here: nothing after this handler needs it
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /**
     * The connection now speaks HTTP/2: its requests are streams, decoded in their own channels, so
     * only idleness is checked here from now on (a slow stream is ended by its request timeout).
     */
    void idleOnly() {
        slowRequests = false;
        partialSince = 0;
    }

    private void check() {
        long now = System.nanoTime();
        if (wrote) {
            wrote = false;
            lastActivity = now; // written since the last check: as late as it can have been, never closed early
        }
        if (partialSince != 0 && now - partialSince > limitNanos) {
            ctx.close(); // a request has been arriving for longer than the limit
        } else if (!idleTold && now - lastActivity > limitNanos) {
            idleTold = true;
            ctx.fireUserEventTriggered(IDLE);
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
