package dev.asyncprod.server.transport;

import dev.asyncprod.server.ops.Lifecycle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * The TLS port's first bytes: a TLS record gets the TLS handler and ALPN; plain text (a client that
 * said {@code http://} to the {@code https} port) gets HTTP/1.1, whose every request is answered
 * 400 {@code https_required} and the connection closed, as nginx answers "The plain HTTP request was
 * sent to HTTPS port": a clear error instead of a handshake failure the client cannot read.
 */
final class TlsSniffer extends ByteToMessageDecoder {

    /** A TLS record header's length: what {@link SslHandler#isEncrypted(ByteBuf, boolean)} needs. */
    private static final int RECORD_HEADER = 5;

    private final HttpServerInitializer protocols;

    TlsSniffer(HttpServerInitializer protocols) {
        this.protocols = protocols;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < RECORD_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            protocols.tls(ctx.pipeline(), ctx.channel());
        } else {
            protocols.plainTextOnTlsPort(ctx.pipeline());
        }
        ctx.pipeline().remove(this);
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
