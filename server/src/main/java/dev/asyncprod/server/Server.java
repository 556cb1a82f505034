package dev.asyncprod.server;

import dev.asyncprod.base.Causes;
import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.BlockingHttpClient;
import dev.asyncprod.client.ClientOptions;
import dev.asyncprod.client.ClientTls;
import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.db.Database;
import dev.asyncprod.server.email.EmailService;
import dev.asyncprod.server.email.JobStore;
import dev.asyncprod.server.email.MailboxMailer;
import dev.asyncprod.server.email.Mailer;
import dev.asyncprod.server.email.smtp.SmtpMailer;
import dev.asyncprod.server.endpoints.HealthCheckEndpoint;
import dev.asyncprod.server.endpoints.Upstream;
import dev.asyncprod.server.exec.BackgroundWork;
import dev.asyncprod.server.exec.ExecutionModel;
import dev.asyncprod.server.http.AdminAuth;
import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.Router;
import dev.asyncprod.server.ops.AccessLog;
import dev.asyncprod.server.ops.Closer;
import dev.asyncprod.server.ops.DataDirectory;
import dev.asyncprod.server.ops.EventLoopWatchdog;
import dev.asyncprod.server.ops.Lifecycle;
import dev.asyncprod.server.ops.LogSetup;
import dev.asyncprod.server.ops.ServerMetrics;
import dev.asyncprod.server.store.PostgresJobStore;
import dev.asyncprod.server.tasks.PinnedThreads;
import dev.asyncprod.server.tasks.TaskRegistry;
import dev.asyncprod.server.tasks.TaskView;
import dev.asyncprod.server.store.SqliteJobStore;
import dev.asyncprod.server.transport.HttpServer;
import java.io.IOException;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
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
    /** Ten seconds: three missed Kubernetes probes at its 10 s default period is the earliest it would act anyway. */
    static final Duration LIVENESS_LIMIT = Duration.ofSeconds(10);

    private final ServerConfig config;
    private final Closer closer = new Closer();
    private final Lifecycle lifecycle = new Lifecycle();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long startedAt = System.currentTimeMillis();
    private ExecutionModel model;
    private HttpServer http;
    private EmailService email;
    private Database database;
    private ServerMetrics metrics;
    private TaskRegistry tasks;

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
        DataDirectory data = closer.add("data directory", DataDirectory.lock(config.process().dataDir()));
        // Closed after the event loops (joined before them): the last answers still finish their tasks.
        tasks = closer.add("task registry", Boolean.getBoolean("asyncprod.tasks.off") ? TaskRegistry.off()
                : TaskRegistry.create(TaskRegistry.DEFAULT_FINISHED, config.logging().blockedThreshold(),
                        config.limits().requestTimeout()));
        model = closer.add("execution model",
                ExecutionModel.forMode(config.execution().mode(), config.execution().blockingThreads(),
                        config.execution().blockingQueue()));
        ExchangeListener accessLog = AccessLog.start(config.logging().accessLog(),
                config.logging().format().equals("json") ? AccessLog.Format.JSON : AccessLog.Format.TEXT, model.name());
        if (accessLog instanceof AccessLog log) {
            closer.add("access log", log); // before the loops, so closed after them: it writes what they answered last
        }
        try {
            http = closer.add("http server", HttpServer.create(config));
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS: " + Causes.rootMessage(e), e);
        }
        // The downstream client runs on the server's own event loops: a call's answer arrives on a loop already awake.
        AsyncHttpClient upstreamClient = closer.add("upstream client", AsyncHttpClient.create(ClientOptions.defaults()
                .withMaxConnectionsPerHost(config.upstream().connections())
                .withMaxWaitingPerHost(config.upstream().connections() * 2)
                .withTls(upstreamTls()), http.workers(), http.transport()));
        Upstream upstream = new Upstream(upstreamClient, new BlockingHttpClient(upstreamClient),
                () -> config.upstreamOrSelf(port()), config.upstream().callTimeout(), config.upstream().fanoutDeadline());
        JobStore store = closer.add("job store", config.email().jobStore() == null
                ? SqliteJobStore.open(data.resolve("jobs.db"))
                : PostgresJobStore.open(config.email().jobStore(), config.email().jobLease()));
        Mailer mailer = closer.add("mailer", config.email().smtp() != null
                ? SmtpMailer.to(config.email(), http.workers(), http.transport().socketChannel())
                : new MailboxMailer(config.email().mailboxLatency(), http.workers()));
        database = closer.add("database", Database.open(config.db(), model.runsBlockingBodies(), config.listen().eventLoops()));
        BackgroundWork senders = closer.add("email senders", model.background("email-sender", config.email().concurrency()));
        email = closer.add("email", EmailService.start(config.email(), store, mailer, senders, http.workers(), tasks,
                model.name()));
        EventLoopWatchdog watchdog = closer.add("watchdog",
                new EventLoopWatchdog(http.workers(), config.logging().blockedThreshold(), tasks::blockedBy));
        TaskView view = closer.add("task view", new TaskView(tasks, model.name()));
        if (model.name().startsWith("virtual")) { // virtual, virtual-loop
            closer.add("pinned-thread events", PinnedThreads.watch(tasks, config.logging().blockedThreshold()));
        }

        Router<Route> routes = RouteTable.build(new RouteTable.Services(model.name(), this::facts, this::scrapeMetrics,
                upstream, email, database, lifecycle::isShuttingDown, () -> liveness(watchdog), () -> readiness(store)));
        List<MeterBinder> components = new ArrayList<>(List.of(lifecycle, http.protocolMeters(), model, watchdog, email,
                tasks));
        if (accessLog instanceof AccessLog log) {
            components.add(log);
        }
        components.addAll(ServerMetrics.jvm(closer));
        metrics = new ServerMetrics(model.name(), routes::routeOf, components);
        Dispatcher dispatcher = new Dispatcher(routes, model, ExecutionModel.async(), lifecycle, config.limits().maxInflight());
        // Loaded on this thread, not on an event loop by the first requests; timed into a scratch registry.
        try (TaskRegistry scratch = TaskRegistry.create(TaskRegistry.DEFAULT_FINISHED, config.logging().blockedThreshold(),
                config.limits().requestTimeout())) { // the warm-up's requests are no one's: not in the view
            LogSetup.quietly(() -> http.warmUp(dispatcher, new ServerMetrics(model.name(), routes::routeOf, List.of()),
                    scratch, RouteTable.warmUpTour()));
        }
        http.bind(dispatcher, lifecycle, metrics.andThen(accessLog), tasks);
        if (config.admin().enabled()) {
            Router<Route> admin = RouteTable.admin(model.name(), view, config.logging().debugEndpoints());
            http.bindAdmin(AdminAuth.guard(config.admin().token(),
                    new Dispatcher(admin, ExecutionModel.async(), ExecutionModel.async(), lifecycle, Integer.MAX_VALUE)), tasks);
        }
        data.writePort(port()); // for a container's HEALTHCHECK when --port is a range
    }

    public int port() {
        return http.port();
    }

    /** The admin listener's port ({@code /debug/tasks}), or 0 when it is off. */
    public int adminPort() {
        return http.adminPort();
    }

    /**
     * Whom {@code /fanout}'s client trusts: calling itself over TLS, exactly its own certificate
     * (pinned, so the name it was issued for need not be 127.0.0.1); else the configured CA, or the JDK's store.
     */
    private ClientTls upstreamTls() {
        if (config.upstream().url() == null && http.certificateFile().isPresent()) {
            return ClientTls.trusting(http.certificateFile().get()).withoutHostnameVerification();
        }
        return config.upstream().ca() != null ? ClientTls.trusting(config.upstream().ca()) : ClientTls.defaults();
    }

    /** {@code https} when the port speaks TLS, else {@code http}. */
    public String scheme() {
        return http.scheme();
    }

    /** The certificate and engine of the TLS port, if it is one. */
    public Optional<String> tlsDescription() {
        return http.tlsDescription();
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

    /** Where {@code GET /db} reads, in one line: for the start-up banner. */
    public String databaseDescription() {
        return database.describe();
    }

    /** {@code /info}'s body: what this process is, then its live numbers by component. Built per call, never stale. */
    Map<String, Object> facts() {
        Map<String, Map<String, Object>> readings = metrics.readings();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("mode", model.name());
        info.put("transport", transportName());
        info.put("event_loops", config.listen().eventLoops());
        info.put("upstream", config.upstreamOrSelf(port()).toString());
        info.putAll(model.facts());
        Map<String, Object> emailInfo = new LinkedHashMap<>(email.facts());
        emailInfo.putAll(readings.getOrDefault("email", Map.of()));
        readings.remove("email");
        info.put("email", emailInfo);
        info.put("db", database.describe());
        info.put("db_pool", config.db().pool());
        info.put("java_version", Runtime.version().toString());
        info.put("pid", ProcessHandle.current().pid());
        info.put("uptime_ms", System.currentTimeMillis() - startedAt);
        info.putAll(readings);
        return info;
    }

    /**
     * Liveness: every event loop has run within {@link #LIVENESS_LIMIT}. A loop stuck that long is
     * not coming back by itself, and a restart is the cure; a slower loop is the watchdog's to warn of.
     */
    private static Map<String, String> liveness(EventLoopWatchdog watchdog) {
        Duration silence = watchdog.longestSilence();
        return Map.of("event_loops", silence.compareTo(LIVENESS_LIMIT) < 0 ? HealthCheckEndpoint.UP
                : "an event loop has not run for " + silence.toSeconds() + " s");
    }

    /** Readiness: not shutting down, and each dependency can take work. */
    private Map<String, String> readiness(JobStore store) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("accepting", lifecycle.isShuttingDown() ? "shutting down" : HealthCheckEndpoint.UP);
        checks.put("job_store", store.unavailable().orElse(HealthCheckEndpoint.UP));
        if (database.configured()) {
            checks.put("database", database.unreachable().orElse(HealthCheckEndpoint.UP));
        }
        return checks;
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
     * Graceful shutdown: readiness and {@code /health} answer 503 at once, while the server goes on
     * accepting for {@code --drain-delay}, so a load balancer takes it out of rotation first; then
     * refuse new connections, close idle ones, let requests in flight finish and keep delivering
     * due email jobs, all within {@code timeout}; then stop. Jobs not delivered by then stay stored
     * for the next start.
     *
     * @return true if nothing in flight was cut off
     */
    public boolean drainAndClose(Duration timeout) throws InterruptedException {
        lifecycle.beginShutdown();
        Thread.sleep(config.process().drainDelay().toMillis());
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
