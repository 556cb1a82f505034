package dev.asyncprod.load.gen;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback server in the test's JVM answering every request with 200 at once (or all but the
 * first, to make a timeout), over HTTP/1.1 or HTTP/2 with prior knowledge (h2c); it notes when each connection closed, so a test can tell
 * whether the generator left before its run ended.
 */
final class TestServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listening;
    /** {@link System#nanoTime()} of each connection's close, as the server saw it. */
    final ConcurrentLinkedQueue<Long> closedAt = new ConcurrentLinkedQueue<>();

    /** Whether the next request the server sees, on any connection, goes unanswered. */
    private final AtomicBoolean ignoreNext;

    private TestServer(boolean http2, boolean ignoreFirst) throws InterruptedException {
        ignoreNext = new AtomicBoolean(ignoreFirst);
        listening = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.closeFuture().addListener(f -> closedAt.add(System.nanoTime()));
                        if (http2) {
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new H2Hello(ignoreNext));
                        } else {
                            ch.pipeline().addLast(new HttpServerCodec(), new H1Hello(ignoreNext));
                        }
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    static TestServer http1() throws InterruptedException {
        return new TestServer(false, false);
    }

    static TestServer http2() throws InterruptedException {
        return new TestServer(true, false);
    }

    /** The very first request, on whichever connection, is never answered; every other one is. */
    static TestServer ignoringTheFirstRequest(boolean http2) throws InterruptedException {
        return new TestServer(http2, true);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) listening.localAddress()).getPort() + path);
    }

    @Override
    public void close() {
        listening.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class H1Hello extends ChannelInboundHandlerAdapter {
        private final AtomicBoolean ignoreNext;

        H1Hello(AtomicBoolean ignoreNext) {
            this.ignoreNext = ignoreNext;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean answer = msg instanceof LastHttpContent; // the request is whole
            ReferenceCountUtil.release(msg);
            if (answer && !ignoreNext.compareAndSet(true, false)) {
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(new byte[] {'h', 'i'}));
                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 2);
                ctx.writeAndFlush(r);
            }
        }
    }

    private static final class H2Hello extends ChannelInboundHandlerAdapter {
        private final AtomicBoolean ignoreNext;

        H2Hello(AtomicBoolean ignoreNext) {
            this.ignoreNext = ignoreNext;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame headers && headers.isEndStream() && !ignoreNext.compareAndSet(true, false)) {
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), true)
                        .stream(headers.stream()));
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
