package dev.asyncprod.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;

/**
 * {@code Upgrade: h2c} is looked for on a connection's first request only, as curl sends it: the
 * first request that comes through the upgrade handler was not an upgrade, so both leave the
 * pipeline, and every later request skips a handler it would never need.
 */
final class H2cUpgradeWindow extends ChannelInboundHandlerAdapter {

    static final String UPGRADE_HANDLER = "h2c-upgrade";

    private final ProtocolMeters meters;

    H2cUpgradeWindow(ProtocolMeters meters) {
        this.meters = meters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            meters.connection(ProtocolMeters.Protocol.HTTP1); // it stays HTTP/1.1
            if (ctx.pipeline().get(UPGRADE_HANDLER) != null) {
                ctx.pipeline().remove(UPGRADE_HANDLER);
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
