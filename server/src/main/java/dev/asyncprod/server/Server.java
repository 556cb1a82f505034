package dev.asyncprod.server;

import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.BlockingHttpClient;
import dev.asyncprod.client.ClientOptions;
import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.email.EmailService;
import dev.asyncprod.server.email.JobStore;
import dev.asyncprod.server.email.MailboxMailer;
import dev.asyncprod.server.email.Mailer;
import dev.asyncprod.server.email.smtp.SmtpMailer;
import dev.asyncprod.server.endpoints.Upstream;
import dev.asyncprod.server.exec.BackgroundWork;
import dev.asyncprod.server.exec.ExecutionModel;
import dev.asyncprod.server.http.Router;
import dev.asyncprod.server.ops.AccessLog;
import dev.asyncprod.server.ops.Closer;
import dev.asyncprod.server.ops.DataDirectory;
import dev.asyncprod.server.ops.EventLoopWatchdog;
import dev.asyncprod.server.ops.Lifecycle;
import dev.asyncprod.server.ops.ServerMetrics;
import dev.asyncprod.server.store.SqliteJobStore;
import dev.asyncprod.server.transport.HttpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every room from the configuration, wires them together and starts
 * the transport. Tests start it in-process; {@link Main} starts it from the command line. Each
 * resource joins one {@link Closer} as it is created, so a failed start and a stop unwind the same
 * way: last created, first closed.
 */
public final class Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Server.class);

    private final ServerConfig config;
    private final Closer closer = new Closer();
    private final Lifecycle lifecycle = new Lifecycle();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long startedAt = System.currentTimeMillis();
    private ExecutionModel model;
    private HttpServer http;
    private EmailService email;
    private ServerMetrics metrics;

    private Server(ServerConfig config) {
        this.config = config;
    }

    public static Server start(ServerConfig config) throws InterruptedException, IOException {
        Server server = new Server(config);
        try {
            server.build();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.closer.close();
            throw e;
        }
        return server;
    }

    private void build() throws IOException, InterruptedException {
        DataDirectory data = closer.add("data directory", DataDirectory.lock(config.dataDir()));
        model = closer.add("execution model",
                ExecutionModel.forMode(config.mode(), config.blockingThreads(), config.blockingQueue()));
        http = closer.add("http server", HttpServer.create(config));
        // The downstream client runs on the server's own event loops: a call's answer arrives on a loop already awake.
        AsyncHttpClient upstreamClient = closer.add("upstream client", AsyncHttpClient.create(ClientOptions.defaults()
                .withMaxConnectionsPerHost(config.upstreamConnections())
                .withMaxWaitingPerHost(config.upstreamConnections() * 2), http.workers(), http.transport()));
        Upstream upstream = new Upstream(upstreamClient, new BlockingHttpClient(upstreamClient),
                () -> config.upstreamOrSelf(port()), config.upstreamTimeout(), config.fanoutDeadline());
        JobStore store = closer.add("job store", SqliteJobStore.open(data.resolve("jobs.db")));
        Mailer mailer = closer.add("mailer", config.email().smtp() != null
                ? SmtpMailer.to(config.email(), http.workers(), http.transport().socketChannel())
                : new MailboxMailer(config.email().mailboxLatency(), http.workers()));
        BackgroundWork senders = closer.add("email senders", model.background("email-sender", config.email().concurrency()));
        email = closer.add("email", EmailService.start(config.email(), store, mailer, senders));
        EventLoopWatchdog watchdog = closer.add("watchdog", new EventLoopWatchdog(http.workers(), config.blockedThreshold()));

        Router<Route> routes = RouteTable.build(new RouteTable.Services(this::facts, this::scrapeMetrics,
                upstream, email, lifecycle::isDraining, config.debugEndpoints()));
        metrics = new ServerMetrics(model.name(), routes::routeOf, List.of(lifecycle, model, watchdog, email));
        Dispatcher dispatcher = new Dispatcher(routes, model, ExecutionModel.async(), lifecycle, config.maxInflight());
        http.bind(dispatcher, lifecycle, metrics.andThen(new AccessLog(model.name())));
        data.writePort(port()); // for a container's HEALTHCHECK when --port is a range
    }

    public int port() {
        return http.port();
    }

    public ServerConfig config() {
        return config;
    }

    /** {@code async}, {@code blocking} or {@code virtual}. */
    public String modeName() {
        return model.name();
    }

    public String transportName() {
        return http.transport().name();
    }

    /** What runs the handlers, in one line: for the start-up banner. */
    public String poolDescription() {
        return model.describe();
    }

    /** What delivers POST /email and where its jobs are, in one line: for the start-up banner. */
    public String emailDescription() {
        return email.describe() + "; jobs: " + email.facts().get("store");
    }

    /** {@code /info}'s body: what this process is, then its live numbers by component. Built per call, never stale. */
    Map<String, Object> facts() {
        Map<String, Map<String, Object>> readings = metrics.readings();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("mode", model.name());
        info.put("transport", transportName());
        info.put("event_loops", config.eventLoops());
        info.put("upstream", config.upstreamOrSelf(port()).toString());
        info.putAll(model.facts());
        Map<String, Object> emailInfo = new LinkedHashMap<>(email.facts());
        emailInfo.putAll(readings.getOrDefault("email", Map.of()));
        readings.remove("email");
        info.put("email", emailInfo);
        info.put("java_version", Runtime.version().toString());
        info.put("pid", ProcessHandle.current().pid());
        info.put("uptime_ms", System.currentTimeMillis() - startedAt);
        info.putAll(readings);
        return info;
    }

    /** {@code /metrics}'s body. */
    String scrapeMetrics() {
        return metrics.scrape();
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
        if (closed.compareAndSet(false, true)) {
            closer.close();
        }
    }
}
