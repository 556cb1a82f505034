package dev.asyncprod.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Turns every request of a plain-text connection to the TLS port into a 400 {@code https_required}. */
final class PlainTextOnTlsPort extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg instanceof InboundRequest ? new RejectedRequest(CodecErrors.plainTextOnTlsPort()) : msg);
    }
}
