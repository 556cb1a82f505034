package dev.asyncprod.server.transport;

import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.RequestHandler;
import dev.asyncprod.server.ops.Lifecycle;
import dev.asyncprod.server.tasks.TaskRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AsciiString;
import io.netty.util.Timer;

/**
 * Each connection's pipeline, one capability per handler, in the order bytes meet them: admission,
 * the connection's time limits, then a sniffer that reads the first bytes and builds the rest:
 * <pre>
 * plain port: h2c preface -> HTTP/2           else HTTP/1.1 (+ Upgrade: h2c on its first request)
 * TLS port:   TLS record  -> TLS, ALPN: h2 -> HTTP/2, http/1.1 -> HTTP/1.1
 *             plain text  -> HTTP/1.1 answering 400 https_required
 * HTTP/1.1:   codec, body limit, adapter, exchanges kept in order
 * HTTP/2:     frame codec, one child channel per stream (codec to HTTP/1.1 objects, body limit,
 *             adapter, exchanges), the connection's idle and drain events
 * </pre>
 * A stream runs the very handlers an HTTP/1.1 connection does, from the body limit on, so routes,
 * errors, request ids, timeouts, limits and metrics are the same over both.
 */
final class HttpServerInitializer extends ChannelInitializer<Channel> {

    /** What an HTTP/1.1 connection that became HTTP/2 no longer needs. */
    static final String[] HTTP1_HANDLERS = {"codec", "window", "aggregator", "adapter", "tls-required", "exchanges"};

    private final ServerConfig config;
    private final RequestHandler handler;
    private final Lifecycle lifecycle;
    private final ExchangeListener listener;
    private final ConnectionLimit connectionLimit;
    private final Timer timeouts;
    private final ServerTls tls; // null: a plain port
    private final ProtocolMeters meters;
    private final ChannelHandler streamInitializer;
    private final TaskRegistry tasks;

    HttpServerInitializer(ServerConfig config, RequestHandler handler, Lifecycle lifecycle, ExchangeListener listener,
                          Timer timeouts, ServerTls tls, ProtocolMeters meters, TaskRegistry tasks) {
        this.config = config;
        this.tasks = tasks;
        this.handler = handler;
        this.lifecycle = lifecycle;
        this.listener = listener;
        this.connectionLimit = new ConnectionLimit(lifecycle, config.limits().maxConnections());
        this.timeouts = timeouts;
        this.tls = tls;
        this.meters = meters;
        this.streamInitializer = new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("codec", new Http2StreamFrameToHttpObjectCodec(true, false));
                exchanges(stream.pipeline(), "HTTP/2");
            }
        };
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("connection-limit", connectionLimit);
        p.addLast("time-limits", new ConnectionTimeLimits(config.limits().idleTimeout().toMillis()));
        p.addLast("sniffer", tls != null ? new TlsSniffer(this) : new CleartextSniffer(this));
    }

    ProtocolMeters meters() {
        return meters;
    }

    /** A TLS record came in: the handshake, then ALPN picks the protocol. */
    void tls(ChannelPipeline p, Channel ch) {
        p.addLast("tls", tls.context().newHandler(ch.alloc()));
        p.addLast("alpn", new AlpnProtocols(this));
    }

    /** Plain text on the TLS port: decoded as HTTP/1.1 so that the client can read its 400. */
    void plainTextOnTlsPort(ChannelPipeline p) {
        meters.plainTextOnTlsPort();
        http1(p, false);
        p.addBefore("exchanges", "tls-required", new PlainTextOnTlsPort());
    }

    /** HTTP/1.1; on the plain port, its first request may upgrade the connection to HTTP/2. */
    void http1(ChannelPipeline p, boolean upgradable) {
        HttpServerCodec codec = new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(config.limits().maxHeader())
                .setMaxHeaderSize(config.limits().maxHeader()));
        p.addLast("codec", codec);
        if (upgradable) {
            p.addLast(H2cUpgradeWindow.UPGRADE_HANDLER, new HttpServerUpgradeHandler(codec, protocol ->
                    AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                            ? upgradeCodec() : null, config.limits().maxBody()));
            p.addLast("window", new H2cUpgradeWindow(meters));
        } else {
            meters.connection(ProtocolMeters.Protocol.HTTP1);
        }
        exchanges(p, null);
    }

    /** HTTP/2, by ALPN or prior knowledge. */
    void http2(ChannelPipeline p, ProtocolMeters.Protocol protocol) {
        Http2FrameCodec codec = frameCodec();
        p.addLast("h2", codec);
        p.addLast("h2-streams", new Http2MultiplexHandler(streamInitializer));
        p.addLast("h2-connection", new Http2ConnectionEvents(codec, meters, protocol));
    }

    private HttpServerUpgradeHandler.UpgradeCodec upgradeCodec() {
        Http2FrameCodec codec = frameCodec();
        return new Http2ServerUpgradeCodec(codec, new Http2MultiplexHandler(streamInitializer),
                new Http2ConnectionEvents(codec, meters, ProtocolMeters.Protocol.H2C));
    }

    /** Our limits as the connection's SETTINGS; a drain's GOAWAY waits for open streams up to the shutdown timeout. */
    private Http2FrameCodec frameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(config.limits().maxStreams())
                        .maxHeaderListSize(config.limits().maxHeader()))
                .gracefulShutdownTimeoutMillis(config.process().shutdownTimeout().toMillis())
                .build();
    }

    /** From the body limit on, the same for an HTTP/1.1 connection and an HTTP/2 stream. */
    private void exchanges(ChannelPipeline p, String protocol) {
        p.addLast("aggregator", new BodyAggregator(config.limits().maxBody()));
        p.addLast("adapter", new HttpMessageAdapter(config.limits().maxHeader(), protocol, tasks.isOn()));
        p.addLast("exchanges", new PipelinedExchanges(handler, lifecycle, listener, config.limits().requestTimeout().toMillis(),
                timeouts, tasks));
    }
}
