package dev.asyncprod.server;

import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.BlockingHttpClient;
import dev.asyncprod.client.ClientOptions;
import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.endpoints.Upstream;
import dev.asyncprod.server.ops.EventLoopWatchdog;
import dev.asyncprod.server.ops.Lifecycle;
import dev.asyncprod.server.ops.ServerMetrics;
import dev.asyncprod.server.http.Router;
import dev.asyncprod.server.exec.ExecutionModel;
import dev.asyncprod.server.http.Json;
import dev.asyncprod.server.transport.HttpServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The composition root: picks the execution model, builds the route table and starts the
 * transport. Tests start it in-process; {@link Main} starts it from the command line.
 */
public final class Server implements AutoCloseable {

    private final ServerConfig config;
    private final ExecutionModel model;
    private final HttpServer http;
    private final AsyncHttpClient upstreamClient;
    private final Lifecycle lifecycle = new Lifecycle();
    private final EventLoopWatchdog watchdog;
    private final ServerMetrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long startedAt = System.currentTimeMillis();

    private Server(ServerConfig config) throws InterruptedException {
        this.config = config;
        this.model = switch (config.mode()) {
            case ASYNC -> ExecutionModel.async();
            case BLOCKING -> ExecutionModel.blocking(config.blockingThreads(), config.blockingQueue());
            case VIRTUAL -> ExecutionModel.virtual();
        };
        this.http = HttpServer.create(config);
        // The downstream client runs on the server's own event loops: a call's answer arrives on a loop already awake.
        this.upstreamClient = AsyncHttpClient.create(ClientOptions.defaults()
                .withMaxConnectionsPerHost(config.upstreamConnections())
                .withMaxWaitingPerHost(config.upstreamConnections() * 2), http.workers(), http.transport());
        Upstream upstream = new Upstream(upstreamClient, new BlockingHttpClient(upstreamClient),
                () -> config.upstreamOrSelf(port()), config.upstreamTimeout(), config.fanoutDeadline());
        this.watchdog = new EventLoopWatchdog(http.workers(), config.blockedThreshold());
        Router<Route> routes = RouteTable.build(new RouteTable.Services(this::facts, this::scrapeMetrics,
                upstream, lifecycle::isDraining, config.debugEndpoints()));
        this.metrics = new ServerMetrics(model.name(), routes.paths(), lifecycle, http.workers(), watchdog, model.gauges());
        Dispatcher dispatcher = new Dispatcher(routes, model, ExecutionModel.async(), lifecycle, config.maxInflight());
        try {
            http.bind(dispatcher, lifecycle, metrics, model.name());
        } catch (Throwable t) {
            watchdog.close();
            upstreamClient.close();
            model.close();
            throw t;
        }
    }

    public static Server start(ServerConfig config) throws InterruptedException {
        return new Server(config);
    }

    public int port() {
        return http.port();
    }

    public ServerConfig config() {
        return config;
    }

    public String transportName() {
        return http.transport().name();
    }

    /** What runs the handlers, in one line: for the start-up banner. */
    public String poolDescription() {
        return model.describe();
    }

    /** {@code /info}'s body. Built per call: cheap, and never stale. */
    Json facts() {
        Json facts = Json.object()
                .put("mode", model.name())
                .put("transport", transportName())
                .put("event_loops", config.eventLoops())
                .put("upstream", config.upstreamOrSelf(port()).toString());
        model.addFacts(facts);
        return facts
                .put("java_version", Runtime.version().toString())
                .put("pid", ProcessHandle.current().pid())
                .put("uptime_ms", System.currentTimeMillis() - startedAt)
                .put("in_flight", lifecycle.inFlight())
                .put("open_connections", lifecycle.openConnections())
                .put("draining", lifecycle.isDraining())
                .put("rejected", lifecycle.stats().rejectedCount())
                .put("timed_out", lifecycle.stats().timedOutCount())
                .put("cancelled", lifecycle.stats().cancelledCount())
                .put("refused_connections", lifecycle.stats().refusedConnectionCount())
                .putRaw("event_loop_lag_ms", watchdog.lastLagMillis().toString())
                .put("jvm_threads", ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /** Blocks until the server has shut down. */
    /** {@code /metrics}'s body. */
    String scrapeMetrics() {
        return metrics.scrape();
    }

    public void awaitTermination() throws InterruptedException {
        http.awaitTermination();
    }

    /**
     * Graceful shutdown: refuse new connections, answer {@code /health} with 503 DRAINING, close
     * idle connections, let requests in flight finish (up to {@code timeout}), then stop.
     *
     * @return true if nothing in flight was cut off
     */
    public boolean drainAndClose(Duration timeout) throws InterruptedException {
        http.stopAccepting();
        boolean drained = lifecycle.drain(timeout);
        close();
        return drained;
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Stops at once; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        watchdog.close();
        upstreamClient.close();
        http.close();
        model.close();
    }
}
