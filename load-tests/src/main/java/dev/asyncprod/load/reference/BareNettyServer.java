package dev.asyncprod.load.reference;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The yardstick: a bare Netty server in the shape of Netty's hello-world example, with nothing
 * but the codec. {@code /hello} answers at once; {@code /sleep?ms=N} answers after a timer; with
 * {@code --db}, {@code /db} answers one random row through the service's own async driver. The
 * service is measured against it in the same run, so a ratio, not an absolute figure, is reported.
 */
@Command(name = "reference-server", mixinStandardHelpOptions = true,
        description = "Bare Netty server (/hello, /sleep?ms=N, /db with --db) to measure the service against.")
public final class BareNettyServer implements java.util.concurrent.Callable<Integer> {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on.")
    String host;

    @Option(names = "--port", defaultValue = "9090", description = "TCP port; 0 picks a free one.")
    int port;

    @Option(names = "--event-loops", defaultValue = "0", description = "Worker loops; 0 means one per core.")
    int eventLoops;

    @Option(names = "--db", description = "postgresql://user@host:port/database for /db (Vert.x's client, as the service's async mode).")
    java.net.URI db;

    // The service's --db-pool default (HikariCP's 10), so the two are held to the same pool.
    @Option(names = "--db-pool", defaultValue = "10", description = "Database connections. Default: ${DEFAULT-VALUE}")
    int dbPool;

    @Override
    public Integer call() throws Exception {
        int loops = eventLoops == 0 ? Runtime.getRuntime().availableProcessors() : eventLoops;
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(loops, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ReferenceDb database = db == null ? null : new ReferenceDb(db, dbPool, loops);
        try {
            Channel ch = new ServerBootstrap().group(boss, workers)
                    .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(), new Handler(database));
                        }
                    })
                    .bind(host, port).sync().channel();
            int bound = ((java.net.InetSocketAddress) ch.localAddress()).getPort();
            // The second line has the server's banner shape, so whatever starts this one finds its port alike.
            System.out.println("reference server (bare Netty, " + (epoll ? "epoll" : "nio") + ", " + loops + " loops)");
            System.out.println("listening:   " + host + ":" + bound);
            ch.closeFuture().sync();
        } finally {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            if (database != null) {
                database.close();
            }
        }
        return 0;
    }

    private static final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private final ReferenceDb db;

        Handler(ReferenceDb db) {
            this.db = db;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest req)) {
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            List<String> ms = uri.parameters().get("ms");
            if (uri.path().equals("/sleep") && ms != null) {
                long delay = Long.parseLong(ms.get(0));
                ctx.channel().eventLoop().schedule(() -> {
                    byte[] body = ("{\"slept_ms\":" + delay + "}").getBytes(StandardCharsets.US_ASCII);
                    ctx.writeAndFlush(response(body, HttpHeaderValues.APPLICATION_JSON, keepAlive))
                            .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
                }, delay, TimeUnit.MILLISECONDS);
                return;
            }
            if (uri.path().equals("/db") && db != null) {
                db.randomRow().onComplete(body -> ctx.writeAndFlush(response(body, HttpHeaderValues.APPLICATION_JSON, keepAlive))
                                .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE),
                        failure -> ctx.close());
                return;
            }
            ctx.write(response(HELLO, HttpHeaderValues.TEXT_PLAIN, keepAlive))
                    .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        }

        private static FullHttpResponse response(byte[] body, CharSequence type, boolean keepAlive) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
