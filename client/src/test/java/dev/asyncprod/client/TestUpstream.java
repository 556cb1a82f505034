package dev.asyncprod.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server that misbehaves on purpose, for client and fan-out tests. It counts the
 * connections it accepted and closed, so a test can see pool reuse and aborted exchanges.
 *
 * <ul>
 *   <li>{@code /hello}: 200 {@code hello}</li>
 *   <li>{@code /sleep?ms=N}: 200 after N ms; with {@link #failSleepsInThrees()}, call 1 of every three
 *       hangs, call 3 answers 503</li>
 *   <li>{@code /close-mid}: promises 100 bytes, sends 10, closes</li>
 *   <li>{@code /garbage}: answers bytes that are not HTTP</li>
 *   <li>{@code /big?bytes=N}: a body of N bytes</li>
 *   <li>{@code /close}: 200 with {@code Connection: close}</li>
 * </ul>
 */
public final class TestUpstream implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger sleeps = new AtomicInteger();
    private volatile boolean failSleepsInThrees;

    public TestUpstream() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        ch.closeFuture().addListener(f -> closed.incrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public int connectionsAccepted() {
        return accepted.get();
    }

    public int connectionsClosed() {
        return closed.get();
    }

    public int requests() {
        return requests.get();
    }

    public TestUpstream failSleepsInThrees() {
        failSleepsInThrees = true;
        return this;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            requests.incrementAndGet();
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            switch (uri.path()) {
                case "/hello" -> ctx.writeAndFlush(ok("hello"));
                case "/sleep" -> sleep(ctx, Long.parseLong(uri.parameters().get("ms").get(0)));
                case "/close-mid" -> {
                    FullHttpResponse r = ok("0123456789");
                    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 100);
                    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                }
                // From the first context outbound bytes skip the HTTP encoder and go out raw.
                case "/garbage" -> ctx.pipeline().firstContext()
                        .writeAndFlush(Unpooled.copiedBuffer("NOT HTTP AT ALL\r\n\r\n", StandardCharsets.US_ASCII));
                case "/big" -> ctx.writeAndFlush(ok("x".repeat(Integer.parseInt(uri.parameters().get("bytes").get(0)))));
                case "/close" -> {
                    FullHttpResponse r = ok("bye");
                    r.headers().set(HttpHeaderNames.CONNECTION, "close");
                    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                }
                default -> ctx.writeAndFlush(status(HttpResponseStatus.NOT_FOUND, "no"));
            }
        }

        private void sleep(ChannelHandlerContext ctx, long ms) {
            int n = sleeps.incrementAndGet();
            if (failSleepsInThrees && n % 3 == 1) {
                return; // hang: never answer
            }
            HttpResponseStatus status = failSleepsInThrees && n % 3 == 0
                    ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK;
            ctx.executor().schedule(() -> ctx.writeAndFlush(status(status, "{\"slept_ms\":" + ms + "}")),
                    ms, TimeUnit.MILLISECONDS);
        }
    }

    private static FullHttpResponse ok(String body) {
        return status(HttpResponseStatus.OK, body);
    }

    private static FullHttpResponse status(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }
}
