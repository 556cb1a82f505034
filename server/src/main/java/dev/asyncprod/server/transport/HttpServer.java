package dev.asyncprod.server.transport;

import dev.asyncprod.base.NettyTransport;
import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.RequestHandler;
import dev.asyncprod.server.ops.Lifecycle;
import dev.asyncprod.server.tasks.TaskRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.HashedWheelTimer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
    /**
     * Every request's timeout waits here: a 30 s limit needs no millisecond precision, and a wheel
     * arms and cancels in constant time, where the event loops' own heap of timers, which also holds
     * every {@code /sleep}, would pay a logarithm twice per request.
     */
    private final HashedWheelTimer timeouts;
    private final ServerTls tls; // null: plain HTTP/1.1 and h2c
    private final ProtocolMeters meters = new ProtocolMeters();
    private Channel serverChannel;
    private volatile Channel adminChannel;

    private HttpServer(ServerConfig config) throws IOException, GeneralSecurityException {
        this.config = config;
        this.tls = config.tls().enabled() ? ServerTls.create(config.tls(), config.process().dataDir()) : null;
        this.transport = NettyTransport.select(config.listen().transport());
        this.boss = transport.newGroup(1, "acceptor");
        this.workers = transport.newGroup(config.listen().eventLoops(), "event-loop");
        HttpDate.tickOn(workers.next()); // the Date header's second, turned by a timer, not by each answer
        this.timeouts = new HashedWheelTimer(r -> {
            Thread t = new Thread(r, "request-timeouts");
            t.setDaemon(true);
            return t;
        }, 100, TimeUnit.MILLISECONDS, 512);
    }

    /**
     * Creates the event loops and the TLS context; nothing listens until {@link #bind}.
     *
     * @throws IOException              a certificate or key file that cannot be read, or keytool failing
     * @throws GeneralSecurityException a certificate or key that cannot be used
     */
    public static HttpServer create(ServerConfig config) throws IOException, GeneralSecurityException {
        return new HttpServer(config);
    }

    /** Creates and binds in one step. */
    public static HttpServer start(ServerConfig config, RequestHandler handler, Lifecycle lifecycle, TaskRegistry tasks)
            throws InterruptedException, IOException, GeneralSecurityException {
        HttpServer server = create(config);
        server.bind(handler, lifecycle, ExchangeListener.NONE, tasks);
        return server;
    }

    /** Binds and starts serving; on failure the event loops are shut down and the cause rethrown. */
    public void bind(RequestHandler handler, Lifecycle lifecycle, ExchangeListener listener, TaskRegistry tasks)
            throws InterruptedException {
        try {
            serverChannel = bindFirstFree(new HttpServerInitializer(config, handler, lifecycle, listener, timeouts, tls,
                    meters, tasks), config.listen().host(), config.listen().port(), config.listen().lastPort());
        } catch (Throwable t) {
            shutdownLoops();
            throw t;
        }
    }

    /**
     * Binds the admin listener ({@code --admin-port}) on the same event loops: plain HTTP/1.1 and
     * h2c, its own connections and in-flight count, so it neither counts in nor is limited by the
     * public port's, nor is it in the access log; it stays open while the public port drains.
     */
    public void bindAdmin(RequestHandler handler, TaskRegistry tasks) throws InterruptedException, IOException {
        try {
            adminChannel = bindFirstFree(new HttpServerInitializer(config, handler, new Lifecycle(), ExchangeListener.NONE,
                    timeouts, null, new ProtocolMeters(), tasks), config.admin().host(), config.admin().port(),
                    config.admin().lastPort());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // the usual cause: a second server on this host, on the same default port
            throw new IOException("admin listener on " + config.admin().host() + ":" + config.admin().ports() + ": "
                    + e.getMessage() + "; give each server on a host its own --admin-port (a range such as 8091-8099"
                    + " works), or 0 to turn it off", e);
        }
    }

    private Channel bindFirstFree(HttpServerInitializer initializer, String host, int first, int last)
            throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096) // capped by net.core.somaxconn; survives connection bursts
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer);
        for (int port = first; ; port++) {
            // A range: the first free port, so replicas scaled on one host network each find one.
            ChannelFuture bound = bootstrap.bind(host, port).await();
            if (bound.isSuccess()) {
                return bound.channel();
            }
            if (port >= last) {
                bound.sync(); // rethrows why the last one failed
            }
        }
    }

    /** The admin listener's port, or 0 when there is none. */
    public int adminPort() {
        Channel bound = adminChannel;
        return bound == null ? 0 : ((InetSocketAddress) bound.localAddress()).getPort();
    }

    /**
     * Answers {@code requests} through the pipeline on the calling thread before {@link #bind}, so
     * that the first real requests find the request path loaded (see {@link WarmUp}).
     */
    public void warmUp(RequestHandler handler, ExchangeListener listener, TaskRegistry tasks, List<String> requests) {
        WarmUp.run(config, handler, listener, timeouts, tasks, requests, Duration.ofSeconds(5));
    }

    /** The port it listens on; before {@link #bind}, the one it is configured to. */
    public int port() {
        Channel bound = serverChannel;
        return bound == null ? config.listen().port() : ((InetSocketAddress) bound.localAddress()).getPort();
    }

    /** Connections by protocol and TLS failures, as {@code http_server_connections} and friends. */
    public MeterBinder protocolMeters() {
        return meters;
    }

    /** {@code https} with TLS, else {@code http}: how clients must address this server. */
    public String scheme() {
        return tls != null ? "https" : "http";
    }

    /** What the banner says of TLS: the certificate and the engine; empty without TLS. */
    public Optional<String> tlsDescription() {
        return Optional.ofNullable(tls).map(ServerTls::description);
    }

    /** The PEM of the certificate this server presents, if it speaks TLS: what a client of its own may pin. */
    public Optional<Path> certificateFile() {
        return Optional.ofNullable(tls).map(ServerTls::certificateFile);
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
        Channel admin = adminChannel;
        if (admin != null) {
            admin.close().syncUninterruptibly();
        }
        shutdownLoops();
    }

    private void shutdownLoops() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        timeouts.stop();
    }
}
