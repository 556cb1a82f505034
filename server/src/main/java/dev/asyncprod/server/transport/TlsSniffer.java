package dev.asyncprod.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;

/**
 * The TLS port's first bytes: a TLS record gets the TLS handler and ALPN; plain text (a client that
 * said {@code http://} to the {@code https} port) gets HTTP/1.1, whose every request is answered
 * 400 {@code https_required} and the connection closed, as nginx answers "The plain HTTP request was
 * sent to HTTPS port": a clear error instead of a handshake failure the client cannot read.
 */
final class TlsSniffer extends ProtocolSniffer {

    /** A TLS record header's length: what {@link SslHandler#isEncrypted(ByteBuf, boolean)} needs. */
    private static final int RECORD_HEADER = 5;

    TlsSniffer(HttpServerInitializer protocols) {
        super(protocols);
    }

    @Override
    boolean decided(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < RECORD_HEADER) {
            return false;
        }
        if (SslHandler.isEncrypted(in, false)) {
            protocols.tls(ctx.pipeline(), ctx.channel());
        } else {
            protocols.plainTextOnTlsPort(ctx.pipeline());
        }
        return true;
    }
}
