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
import dev.asyncprod.server.email.EmailService;
import java.io.IOException;
import java.nio.file.Files;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: picks the execution model, builds the route table and starts the
 * transport. Tests start it in-process; {@link Main} starts it from the command line.
 */
public final class Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Server.class);

    private final ServerConfig config;
    private final ExecutionModel model;
    private final HttpServer http;
    private final AsyncHttpClient upstreamClient;
    private final EmailService email;
    private final Lifecycle lifecycle = new Lifecycle();
    private final EventLoopWatchdog watchdog;
    private final ServerMetrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long startedAt = System.currentTimeMillis();

    private Server(ServerConfig config) throws InterruptedException, IOException {
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
        try {
            this.email = EmailService.start(config.email(), config.mode(), http.workers(), http.transport().socketChannel());
        } catch (IOException | RuntimeException e) {
            upstreamClient.close();
            http.close();
            model.close();
            throw e;
        }
        this.watchdog = new EventLoopWatchdog(http.workers(), config.blockedThreshold());
        Router<Route> routes = RouteTable.build(new RouteTable.Services(this::facts, this::scrapeMetrics,
                upstream, email, lifecycle::isDraining, config.debugEndpoints()));
        this.metrics = new ServerMetrics(model.name(), routes::routeOf, lifecycle, http.workers(), watchdog, model.gauges(),
                email.gauges());
        Dispatcher dispatcher = new Dispatcher(routes, model, ExecutionModel.async(), lifecycle, config.maxInflight());
        try {
            http.bind(dispatcher, lifecycle, metrics, model.name());
            // Where this process listens, for a container's HEALTHCHECK when --port is a range.
            Files.writeString(config.email().dataDir().resolve("http.port"), Integer.toString(port()));
        } catch (Throwable t) {
            watchdog.close();
            email.close();
            upstreamClient.close();
            model.close();
            throw t;
        }
    }

    public static Server start(ServerConfig config) throws InterruptedException, IOException {
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
                .putRaw("email", email.facts().toString())
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

    /** {@code /metrics}'s body. */
    String scrapeMetrics() {
        return metrics.scrape();
    }

    /** What delivers POST /email, in one line: for the start-up banner. */
    public String mailerDescription() {
        return email.describe();
    }

    /** Blocks until the server has shut down. */
    public void awaitTermination() throws InterruptedException {
        http.awaitTermination();
    }

    /**
     * Graceful shutdown: refuse new connections, answer {@code /health} with 503 DRAINING, close
     * idle connections, let requests in flight finish, keep delivering due email jobs, all within
     * {@code timeout}; then stop. Jobs not delivered by then stay stored for the next start.
     *
     * @return true if nothing in flight was cut off
     */
    public boolean drainAndClose(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        http.stopAccepting();
        boolean drained = lifecycle.drain(timeout);
        boolean delivered = email.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (!delivered) {
            log.info("shutdown timeout: email jobs not yet delivered stay queued for the next start");
        }
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
        email.close(); // after the loops: no delivery callback is left to write to a closed store
    }
}
