package dev.asyncprod.client;

import io.netty.channel.Channel;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** Builds a new pooled connection's pipeline: idle eviction, the codec, aggregation, the exchange handler. */
final class PooledConnection extends AbstractChannelPoolHandler {

    private final ClientOptions options;
    private final LongAdder opened;

    PooledConnection(ClientOptions options, LongAdder opened) {
        this.options = options;
        this.opened = opened;
    }

    @Override
    public void channelCreated(Channel ch) {
        opened.increment();
        ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("codec", new HttpClientCodec())
                .addLast("aggregator", new HttpObjectAggregator(options.maxResponseBody()))
                .addLast("exchange", new ExchangeHandler(options.maxResponseBody()));
    }
}
