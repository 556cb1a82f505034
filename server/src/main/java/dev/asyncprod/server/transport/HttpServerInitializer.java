package dev.asyncprod.server.transport;

import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.RequestHandler;
import dev.asyncprod.server.ops.Lifecycle;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Builds each connection's pipeline: codec, limits, aggregation, idle detection, then the exchange handler. */
final class HttpServerInitializer extends ChannelInitializer<SocketChannel> {

    private final ServerConfig config;
    private final RequestHandler handler;
    private final Lifecycle lifecycle;
    private final ExchangeListener listener;
    private final String modeName;

    HttpServerInitializer(ServerConfig config, RequestHandler handler, Lifecycle lifecycle, ExchangeListener listener,
                          String modeName) {
        this.config = config;
        this.handler = handler;
        this.lifecycle = lifecycle;
        this.listener = listener;
        this.modeName = modeName;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxHeader())
                .setMaxHeaderSize(config.maxHeader());
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        SlowRequestGuard slowRequests = new SlowRequestGuard(config.idleTimeout().toMillis());
        p.addLast("slow-request", slowRequests);
        p.addLast("codec", new HttpServerCodec(decoder));
        p.addLast("aggregator", new JsonErrorAggregator(config.maxBody()));
        p.addLast("exchange", new HttpExchangeHandler(handler, lifecycle, listener, modeName, config, slowRequests));
    }
}
