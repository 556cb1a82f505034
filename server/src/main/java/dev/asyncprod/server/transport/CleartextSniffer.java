package dev.asyncprod.server.transport;

import dev.asyncprod.server.ops.Lifecycle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * The plain port's first bytes decide its protocol: HTTP/2's client preface (RFC 9113 §3.4, "prior
 * knowledge", {@code curl --http2-prior-knowledge}, {@code h2load}) gives an HTTP/2 connection;
 * anything else is HTTP/1.1, which may still ask for HTTP/2 with {@code Upgrade: h2c}. Decides at
 * the first byte that differs from the preface and then leaves the pipeline, handing on every byte.
 */
final class CleartextSniffer extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final HttpServerInitializer protocols;

    CleartextSniffer(HttpServerInitializer protocols) {
        this.protocols = protocols;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int compared = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean prefaceSoFar = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, compared);
        if (prefaceSoFar && compared < PREFACE.readableBytes()) {
            return; // could still be either: wait for more
        }
        if (prefaceSoFar) {
            protocols.http2(ctx.pipeline(), ProtocolMeters.Protocol.H2C);
        } else {
            protocols.http1(ctx.pipeline(), true);
        }
        ctx.pipeline().remove(this); // the bytes read so far go on to the protocol's codec
    }

    /** Nothing decided is nothing in flight: idle past the limit, or a drain, closes the connection. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ConnectionTimeLimits.IDLE || evt == Lifecycle.DRAIN) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }
}
