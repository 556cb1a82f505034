package dev.asyncprod.server.transport;

import dev.asyncprod.client.transport.NettyTransport;
import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.RequestHandler;
import dev.asyncprod.server.ops.Lifecycle;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The bootstrap: one acceptor loop, {@code eventLoops} worker loops on the chosen transport, and
 * the pipeline from {@link HttpServerInitializer}. Knows nothing about routes or modes: it hands
 * every request to a {@link RequestHandler} and tells an {@link ExchangeListener} of every answer.
 * Created first and bound second, so that components which share the worker loops (the
 * downstream client) exist before the first request.
 */
public final class HttpServer implements AutoCloseable {

    private final ServerConfig config;
    private final NettyTransport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private Channel serverChannel;

    private HttpServer(ServerConfig config) {
        this.config = config;
        this.transport = NettyTransport.select(config.transport());
        this.boss = transport.newGroup(1, "acceptor");
        this.workers = transport.newGroup(config.eventLoops(), "event-loop");
    }

    /** Creates the event loops; nothing listens until {@link #bind}. */
    public static HttpServer create(ServerConfig config) {
        return new HttpServer(config);
    }

    /** Creates and binds in one step. */
    public static HttpServer start(ServerConfig config, RequestHandler handler, Lifecycle lifecycle)
            throws InterruptedException {
        HttpServer server = create(config);
        server.bind(handler, lifecycle, ExchangeListener.NONE);
        return server;
    }

    /** Binds and starts serving; on failure the event loops are shut down and the cause rethrown. */
    public void bind(RequestHandler handler, Lifecycle lifecycle, ExchangeListener listener)
            throws InterruptedException {
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096) // capped by net.core.somaxconn; survives connection bursts
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new HttpServerInitializer(config, handler, lifecycle, listener));
            for (int port = config.port(); ; port++) {
                // A range: the first free port, so replicas scaled on one host network each find one.
                ChannelFuture bound = bootstrap.bind(config.host(), port).await();
                if (bound.isSuccess()) {
                    serverChannel = bound.channel();
                    break;
                }
                if (port >= config.lastPort()) {
                    bound.sync(); // rethrows why the last one failed
                }
            }
        } catch (Throwable t) {
            shutdownLoops();
            throw t;
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public NettyTransport transport() {
        return transport;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    /** Closes the listening socket: new connections are refused, open ones go on. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /** Completes when the event loops have shut down. */
    public void awaitTermination() throws InterruptedException {
        workers.terminationFuture().sync();
    }

    @Override
    public void close() {
        stopAccepting();
        shutdownLoops();
    }

    private void shutdownLoops() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
