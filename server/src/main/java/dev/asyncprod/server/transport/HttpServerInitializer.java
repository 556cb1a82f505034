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

/**
 * Each connection's pipeline, one capability per handler, in the order bytes meet them:
 * admission, idleness, slow requests, the HTTP codec, the body limit, the adapter to the
 * server's own request and response types, and the exchanges kept in order.
 */
final class HttpServerInitializer extends ChannelInitializer<SocketChannel> {

    private final ServerConfig config;
    private final RequestHandler handler;
    private final Lifecycle lifecycle;
    private final ExchangeListener listener;
    private final ConnectionLimit connectionLimit;

    HttpServerInitializer(ServerConfig config, RequestHandler handler, Lifecycle lifecycle, ExchangeListener listener) {
        this.config = config;
        this.handler = handler;
        this.lifecycle = lifecycle;
        this.listener = listener;
        this.connectionLimit = new ConnectionLimit(lifecycle, config.maxConnections());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxHeader())
                .setMaxHeaderSize(config.maxHeader());
        ChannelPipeline p = ch.pipeline();
        p.addLast("connection-limit", connectionLimit);
        p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("slow-request", new SlowRequestGuard(config.idleTimeout().toMillis()));
        p.addLast("codec", new HttpServerCodec(decoder));
        p.addLast("aggregator", new JsonErrorAggregator(config.maxBody()));
        p.addLast("adapter", new HttpMessageAdapter(config.maxHeader()));
        p.addLast("exchanges", new PipelinedExchanges(handler, lifecycle, listener, config.requestTimeout().toMillis()));
    }
}
