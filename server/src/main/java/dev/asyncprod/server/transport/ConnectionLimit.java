package dev.asyncprod.server.transport;

import dev.asyncprod.server.ops.Lifecycle;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Admits a new connection or closes it at once ({@code --max-connections}), before any byte is
 * decoded; an admitted one joins the lifecycle's connections, which the drain and {@code /info}
 * see. One instance serves every connection of a server.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private final Lifecycle lifecycle;
    private final int maxConnections;

    ConnectionLimit(Lifecycle lifecycle, int maxConnections) {
        this.lifecycle = lifecycle;
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (lifecycle.openConnections() >= maxConnections) {
            lifecycle.stats().refusedConnection();
            ctx.close(); // shed at accept, before any work
            return;
        }
        lifecycle.connectionOpened(ctx.channel());
        ctx.fireChannelActive();
    }
}
