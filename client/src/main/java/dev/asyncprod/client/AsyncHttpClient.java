package dev.asyncprod.client;

import dev.asyncprod.client.HttpClientException.Kind;
import dev.asyncprod.base.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolMap;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.ChannelPool;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;

/**
 * A non-blocking HTTP client: one connection pool per origin (keep-alive reuse, a cap on
 * connections, a bounded queue of waiting callers, idle eviction) and a {@link CompletableFuture}
 * per exchange; {@code https} as {@link ClientTls} says; with {@link ClientOptions#http2()}, one
 * HTTP/2 connection per origin carrying every exchange as a stream ({@link Http2Streams}). Cancelling that future aborts the exchange and closes its connection, so a
 * half-read connection never goes back to the pool.
 *
 * <pre>{@code
 * try (AsyncHttpClient client = AsyncHttpClient.create()) {
 *     client.send(ClientRequest.get(URI.create("http://127.0.0.1:8080/hello")).build())
 *           .thenAccept(r -> System.out.println(r.bodyAsString()));
 * }
 * }</pre>
 */
public final class AsyncHttpClient implements AutoCloseable {

    private final ClientOptions options;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Pools pools;
    private final LongAdder connectionsOpened = new LongAdder();
    private final SslContext tls; // for https origins; ALPN offers h2 or http/1.1 as the options say

    private AsyncHttpClient(ClientOptions options, EventLoopGroup group, NettyTransport transport, boolean ownsGroup) {
        this.options = options;
        this.group = group;
        this.ownsGroup = ownsGroup;
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
        this.pools = new Pools(bootstrap);
        try {
            this.tls = options.tls().newContext(options.http2() ? ClientTls.h2() : ClientTls.http11());
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** A client with default options and its own event loops. */
    public static AsyncHttpClient create() {
        return create(ClientOptions.defaults());
    }

    public static AsyncHttpClient create(ClientOptions options) {
        NettyTransport transport = NettyTransport.select(NettyTransport.Kind.AUTO);
        int loops = options.eventLoops() > 0 ? options.eventLoops() : Runtime.getRuntime().availableProcessors();
        return new AsyncHttpClient(options, transport.newGroup(loops, "http-client"), transport, true);
    }

    /** A client on a caller's event loops (a server shares its own); the group stays the caller's to close. */
    public static AsyncHttpClient create(ClientOptions options, EventLoopGroup group, NettyTransport transport) {
        return new AsyncHttpClient(options, group, transport, false);
    }

    public ClientOptions options() {
        return options;
    }

    /** Connections opened since the client started: with keep-alive, far fewer than requests. */
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    /** Sends the request; the future completes with the whole answer or an {@link HttpClientException}. */
    public CompletableFuture<ClientResponse> send(ClientRequest request) {
        CompletableFuture<ClientResponse> result = new CompletableFuture<>();
        Origin origin = new Origin(request.secure(), request.uri().getHost(), request.port());
        ChannelPool pool;
        try {
            pool = pools.get(origin);
        } catch (IllegalStateException closed) {
            result.completeExceptionally(closed);
            return result;
        }
        Duration connectTimeout = request.connectTimeout() != null ? request.connectTimeout() : options.connectTimeout();
        ScheduledFuture<?> connectTimer = group.next().schedule(() -> {
            result.completeExceptionally(new HttpClientException(Kind.CONNECT_TIMEOUT, request.authority(),
                    "no connection within " + connectTimeout.toMillis() + " ms", null));
        }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);

        Future<Channel> acquired = pool.acquire();
        acquired.addListener(f -> {
            connectTimer.cancel(false);
            if (!f.isSuccess()) {
                result.completeExceptionally(acquireFailure(request.authority(), f.cause()));
                return;
            }
            Channel channel = (Channel) f.getNow();
            if (result.isDone()) { // cancelled or timed out while waiting: hand the connection back unused
                pool.release(channel);
                return;
            }
            Duration responseTimeout = request.responseTimeout() != null ? request.responseTimeout() : options.responseTimeout();
            Exchange exchange = new Exchange(request, result, pool, channel, responseTimeout);
            if (channel.eventLoop().inEventLoop()) {
                exchange.begin();
            } else {
                channel.eventLoop().execute(exchange::begin);
            }
        });
        return result;
    }

    private static HttpClientException acquireFailure(String authority, Throwable cause) {
        if (cause instanceof HttpClientException known) {
            return known;
        }
        if (cause instanceof ConnectTimeoutException) {
            return new HttpClientException(Kind.CONNECT_TIMEOUT, authority, "connect timed out", cause);
        }
        if (cause instanceof ConnectException) {
            return new HttpClientException(Kind.CONNECT_FAILED, authority, "connection refused", cause);
        }
        if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("Too many outstanding")) {
            return new HttpClientException(Kind.POOL_EXHAUSTED, authority,
                    "all connections busy and the wait queue is full", cause);
        }
        return new HttpClientException(Kind.CONNECT_FAILED, authority, "cannot connect: " + cause, cause);
    }

    @Override
    public void close() {
        pools.close();
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Where a request goes: one pool each. */
    record Origin(boolean secure, String host, int port) {
        String authority() {
            return host + ":" + port;
        }
    }

    private final class Pools extends AbstractChannelPoolMap<Origin, ChannelPool> {
        private final Bootstrap bootstrap;

        Pools(Bootstrap bootstrap) {
            this.bootstrap = bootstrap;
        }

        @Override
        protected ChannelPool newPool(Origin origin) {
            Bootstrap toOrigin = bootstrap.clone().remoteAddress(origin.host(), origin.port());
            SslContext originTls = origin.secure() ? tls : null;
            if (options.http2()) {
                return new Http2Streams(toOrigin, originTls, origin, options, connectionsOpened);
            }
            return new FixedChannelPool(toOrigin, new PooledConnection(options, connectionsOpened, originTls, origin),
                    ChannelHealthChecker.ACTIVE, null, -1,
                    options.maxConnectionsPerHost(), options.maxWaitingPerHost(),
                    true,   // check health on release: a closed connection leaves the pool
                    true);  // most recently used first: keeps the warm connections warm, lets the rest idle out
        }
    }
}
