package dev.asyncprod.client;

import io.netty.channel.Channel;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds a new pooled HTTP/1.1 connection's pipeline: TLS for an {@code https} origin (its host as
 * SNI and for hostname verification), idle eviction, the codec, aggregation, the exchange handler.
 */
final class PooledConnection extends AbstractChannelPoolHandler {

    private final ClientOptions options;
    private final LongAdder opened;
    private final SslContext tls; // null: plain http
    private final AsyncHttpClient.Origin origin;

    PooledConnection(ClientOptions options, LongAdder opened, SslContext tls, AsyncHttpClient.Origin origin) {
        this.options = options;
        this.opened = opened;
        this.tls = tls;
        this.origin = origin;
    }

    @Override
    public void channelCreated(Channel ch) {
        opened.increment();
        if (tls != null) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), origin.host(), origin.port()));
        }
        ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("codec", new HttpClientCodec())
                .addLast("aggregator", new HttpObjectAggregator(options.maxResponseBody()))
                .addLast("exchange", new ExchangeHandler(options.maxResponseBody()));
    }
}
