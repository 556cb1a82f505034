package dev.asyncprod.server.transport;

import dev.asyncprod.server.ops.Lifecycle;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of an HTTP/2 connection's own pipeline (its streams have pipelines of their own): what
 * {@link PipelinedExchanges} does for an HTTP/1.1 connection's lifetime. Idle with no stream open:
 * closed. Draining: closed gracefully, which in Netty's HTTP/2 handler means a GOAWAY naming the
 * last stream it took; streams already open finish, new ones are refused, and the connection closes
 * when the last one is done (or {@code --shutdown-timeout} passes).
 */
final class Http2ConnectionEvents extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(Http2ConnectionEvents.class);

    private final Http2FrameCodec codec;
    private final ProtocolMeters meters;
    private final ProtocolMeters.Protocol protocol;

    Http2ConnectionEvents(Http2FrameCodec codec, ProtocolMeters meters, ProtocolMeters.Protocol protocol) {
        this.codec = codec;
        this.meters = meters;
        this.protocol = protocol;
    }

    /** The connection is HTTP/2 from now on: what HTTP/1.1 left behind goes (after an upgrade), idleness is all that is timed. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        for (String name : HttpServerInitializer.HTTP1_HANDLERS) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
        if (p.get("time-limits") instanceof ConnectionTimeLimits limits) {
            limits.idleOnly();
        }
        meters.connection(protocol);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Lifecycle.DRAIN) {
            ctx.close(); // GOAWAY, then close once the open streams are done
        } else if (evt == ConnectionTimeLimits.IDLE) {
            if (codec.connection().numActiveStreams() == 0) {
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // connection frames (SETTINGS, PING, GOAWAY): the codec acted on them
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {} after I/O error", ctx.channel(), cause); // resets by peers are routine
        ctx.close();
    }
}
