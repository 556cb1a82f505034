package dev.asyncprod.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;

/**
 * The plain port's first bytes decide its protocol: HTTP/2's client preface (RFC 9113 §3.4, "prior
 * knowledge", {@code curl --http2-prior-knowledge}, {@code h2load}) gives an HTTP/2 connection;
 * anything else is HTTP/1.1, which may still ask for HTTP/2 with {@code Upgrade: h2c}. Decides at
 * the first byte that differs from the preface.
 */
final class CleartextSniffer extends ProtocolSniffer {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    CleartextSniffer(HttpServerInitializer protocols) {
        super(protocols);
    }

    @Override
    boolean decided(ChannelHandlerContext ctx, ByteBuf in) {
        int compared = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean prefaceSoFar = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, compared);
        if (prefaceSoFar && compared < PREFACE.readableBytes()) {
            return false; // could still be either
        }
        if (prefaceSoFar) {
            protocols.http2(ctx.pipeline(), ProtocolMeters.Protocol.H2C);
        } else {
            protocols.http1(ctx.pipeline(), true);
        }
        return true;
    }
}
