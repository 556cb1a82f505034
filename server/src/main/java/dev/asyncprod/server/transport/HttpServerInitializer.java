package dev.asyncprod.server.transport;

import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.RequestHandler;
import dev.asyncprod.server.ops.Lifecycle;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.Timer;

/**
 * Each connection's pipeline, one capability per handler, in the order bytes meet them:
 * admission, the connection's time limits (idleness, slow requests), the HTTP codec, the body
 * limit, the adapter to the server's own request and response types, and the exchanges kept in order.
 */
final class HttpServerInitializer extends ChannelInitializer<Channel> {

    private final ServerConfig config;
    private final RequestHandler handler;
    private final Lifecycle lifecycle;
    private final ExchangeListener listener;
    private final ConnectionLimit connectionLimit;
    private final Timer timeouts;

    HttpServerInitializer(ServerConfig config, RequestHandler handler, Lifecycle lifecycle, ExchangeListener listener,
                          Timer timeouts) {
        this.config = config;
        this.handler = handler;
        this.lifecycle = lifecycle;
        this.listener = listener;
        this.connectionLimit = new ConnectionLimit(lifecycle, config.maxConnections());
        this.timeouts = timeouts;
    }

    @Override
    protected void initChannel(Channel ch) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxHeader())
                .setMaxHeaderSize(config.maxHeader());
        ChannelPipeline p = ch.pipeline();
        p.addLast("connection-limit", connectionLimit);
        p.addLast("time-limits", new ConnectionTimeLimits(config.idleTimeout().toMillis()));
        p.addLast("codec", new HttpServerCodec(decoder));
        p.addLast("aggregator", new BodyAggregator(config.maxBody()));
        p.addLast("adapter", new HttpMessageAdapter(config.maxHeader()));
        p.addLast("exchanges", new PipelinedExchanges(handler, lifecycle, listener, config.requestTimeout().toMillis(),
                timeouts));
    }
}
