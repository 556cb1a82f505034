package dev.asyncprod.server.transport;

import dev.asyncprod.client.transport.NettyTransport;
import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.http.RequestHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The bootstrap: one acceptor loop, {@code eventLoops} worker loops on the chosen transport, and
 * the pipeline from {@link HttpServerInitializer}. Knows nothing about routes or modes.
 */
public final class HttpServer implements AutoCloseable {

    private final NettyTransport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;

    private HttpServer(NettyTransport transport, EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel) {
        this.transport = transport;
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
    }

    /** Binds and starts serving; throws if the address cannot be bound. */
    public static HttpServer start(ServerConfig config, RequestHandler handler, String modeName) throws InterruptedException {
        NettyTransport transport = NettyTransport.select(config.transport());
        EventLoopGroup boss = transport.newGroup(1, "acceptor");
        EventLoopGroup workers = transport.newGroup(config.eventLoops(), "event-loop");
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096) // capped by net.core.somaxconn; survives connection bursts
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new HttpServerInitializer(config, handler, modeName))
                    .bind(config.host(), config.port())
                    .sync()
                    .channel();
            return new HttpServer(transport, boss, workers, channel);
        } catch (Throwable t) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
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

    /** Completes when the listening socket closes. */
    public void awaitClose() throws InterruptedException {
        serverChannel.closeFuture().sync();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
