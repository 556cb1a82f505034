package dev.asyncprod.client;

import dev.asyncprod.base.Causes;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.pool.ChannelPool;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP/2's "pool": one connection to the origin, each exchange a stream of its own on it
 * (multiplexing). Acquiring opens a stream, connecting first if no live connection is there;
 * releasing closes the stream, which after a whole answer is already over, and otherwise resets it.
 * Streams beyond the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} wait in the codec until one
 * ends. A connection that dies is replaced on the next acquire; a server that answers ALPN with
 * anything but {@code h2} is refused, not spoken to in HTTP/1.1.
 */
final class Http2Streams implements ChannelPool {

    private final Bootstrap toOrigin;
    private final SslContext tls; // null: prior knowledge on plain http
    private final AsyncHttpClient.Origin origin;
    private final ClientOptions options;
    private final LongAdder opened;
    private final ChannelInitializer<Http2StreamChannel> streamPipeline;
    private Future<Channel> connection; // guarded by this; the live or coming connection

    Http2Streams(Bootstrap toOrigin, SslContext tls, AsyncHttpClient.Origin origin, ClientOptions options, LongAdder opened) {
        this.toOrigin = toOrigin;
        this.tls = tls;
        this.origin = origin;
        this.options = options;
        this.opened = opened;
        this.streamPipeline = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline()
                        .addLast("codec", new Http2StreamFrameToHttpObjectCodec(false))
                        .addLast("aggregator", new HttpObjectAggregator(options.maxResponseBody()))
                        .addLast("exchange", new ExchangeHandler(options.maxResponseBody()));
            }
        };
    }

    @Override
    public Future<Channel> acquire() {
        return acquire(GlobalEventExecutor.INSTANCE.newPromise());
    }

    @Override
    public Future<Channel> acquire(Promise<Channel> promise) {
        connection().addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            Channel parent = (Channel) f.getNow();
            new Http2StreamChannelBootstrap(parent).handler(streamPipeline).open().addListener(s -> {
                if (s.isSuccess()) {
                    if (!promise.trySuccess((Channel) s.getNow())) {
                        ((Channel) s.getNow()).close();
                    }
                } else {
                    promise.tryFailure(s.cause());
                }
            });
        });
        return promise;
    }

    /** The live connection, or a new one on its way. */
    private synchronized Future<Channel> connection() {
        if (connection != null && (!connection.isDone() || (connection.isSuccess() && connection.getNow().isActive()))) {
            return connection;
        }
        connection = connect();
        return connection;
    }

    private Future<Channel> connect() {
        opened.increment();
        ChannelFuture connecting = toOrigin.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (tls != null) {
                    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), origin.host(), origin.port()));
                }
                Http2FrameCodec codec = Http2FrameCodecBuilder.forClient()
                        .encoderEnforceMaxConcurrentStreams(true) // past the server's cap, streams wait their turn
                        .build();
                ch.pipeline().addLast("h2", codec)
                        .addLast("h2-streams", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
                        .addLast("h2-connection", new ConnectionEvents(ch.eventLoop().newPromise()));
            }
        }).connect();
        Promise<Channel> ready = connecting.channel().eventLoop().newPromise();
        connecting.addListener(c -> {
            if (!c.isSuccess()) {
                ready.tryFailure(c.cause());
                return;
            }
            Channel ch = connecting.channel();
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (ssl == null) {
                whenSettled(ch, ready);
                return;
            }
            ssl.handshakeFuture().addListener(h -> {
                if (!h.isSuccess()) {
                    ready.tryFailure(new HttpClientException(HttpClientException.Kind.TLS_FAILED, origin.authority(),
                            "TLS handshake failed: " + Causes.rootMessage(h.cause()), h.cause()));
                } else if (!ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
                    ch.close();
                    ready.tryFailure(new HttpClientException(HttpClientException.Kind.TLS_FAILED, origin.authority(),
                            "the server does not speak HTTP/2 (ALPN gave " + ssl.applicationProtocol() + ")", null));
                } else {
                    whenSettled(ch, ready);
                }
            });
        });
        return ready;
    }

    /**
     * Ready once the server's first SETTINGS are in: until then its stream cap is unknown (RFC 9113
     * §6.5.2 lets a client assume 100), and streams sent past a smaller one would be refused.
     */
    private void whenSettled(Channel ch, Promise<Channel> ready) {
        Promise<Void> settings = ch.pipeline().get(ConnectionEvents.class).settings;
        settings.addListener(s -> {
            if (s.isSuccess()) {
                ready.trySuccess(ch);
            } else {
                ready.tryFailure(new HttpClientException(HttpClientException.Kind.CLOSED_MID_RESPONSE, origin.authority(),
                        "the connection closed before the server's HTTP/2 SETTINGS arrived", s.cause()));
            }
        });
        ch.closeFuture().addListener(c -> settings.tryFailure(new java.nio.channels.ClosedChannelException()));
    }

    @Override
    public Future<Void> release(Channel stream) {
        return release(stream, GlobalEventExecutor.INSTANCE.newPromise());
    }

    @Override
    public Future<Void> release(Channel stream, Promise<Void> promise) {
        stream.close(); // a whole answer ended the stream already; otherwise this resets it
        return promise.setSuccess(null);
    }

    @Override
    public synchronized void close() {
        if (connection != null && connection.isSuccess()) {
            connection.getNow().close();
        }
    }

    /** The server's first SETTINGS, and the connection's own failures, which end it (its streams hear as they close). */
    private static final class ConnectionEvents extends ChannelInboundHandlerAdapter {
        final Promise<Void> settings;

        ConnectionEvents(Promise<Void> settings) {
            this.settings = settings;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2SettingsFrame) {
                settings.trySuccess(null);
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
