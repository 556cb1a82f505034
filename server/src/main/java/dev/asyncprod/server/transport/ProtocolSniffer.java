package dev.asyncprod.server.transport;

import dev.asyncprod.server.ops.Lifecycle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Reads a connection's first bytes until they tell which protocol it speaks, builds the pipeline
 * for it and leaves, handing on every byte read so far. Until it has decided, nothing is in
 * flight: idleness past the limit or a drain closes the connection.
 */
abstract class ProtocolSniffer extends ByteToMessageDecoder {

    final HttpServerInitializer protocols;

    ProtocolSniffer(HttpServerInitializer protocols) {
        this.protocols = protocols;
    }

    /** Builds the rest of the pipeline and returns true once {@code in} tells enough; false to wait for more. */
    abstract boolean decided(ChannelHandlerContext ctx, ByteBuf in);

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (decided(ctx, in)) {
            ctx.pipeline().remove(this); // the bytes read so far go on to the protocol's handlers
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ConnectionTimeLimits.IDLE || evt == Lifecycle.DRAIN) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }
}
