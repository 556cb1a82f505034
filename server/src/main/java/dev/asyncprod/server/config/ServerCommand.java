package dev.asyncprod.server.config;

import dev.asyncprod.base.NettyTransport;
import dev.asyncprod.common.cli.ByteSizeConverter;
import dev.asyncprod.common.cli.DurationConverter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The server's command line. Every flag has an environment-variable twin (flag wins), so a
 * container can be configured without a custom entrypoint.
 */
@Command(name = "server.jar", mixinStandardHelpOptions = true, version = "asyncprod server 0.1.0", sortOptions = false,
        usageHelpAutoWidth = true, showDefaultValues = true,
        description = "HTTP service that serves the same API as an event loop (async), "
                + "a bounded platform-thread pool (blocking) or a virtual thread per request (virtual).")
public final class ServerCommand {

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ProtocolOptions protocol = new ProtocolOptions();

    @Option(names = "--host", defaultValue = "${env:HOST:-0.0.0.0}", description = "Address to listen on (env HOST).")
    String host;

    @Option(names = "--port", defaultValue = "${env:PORT:-8080}",
            description = "TCP port; 0 picks a free one; a range such as 9201-9203 takes the first free one,"
                    + " so scaled replicas can share a host network (env PORT).")
    String port;

    @Option(names = "--mode", defaultValue = "${env:MODE:-async}", converter = ModeConverter.class,
            description = "async | blocking | virtual (env MODE).")
    Mode mode;

    // Netty's own default is 2 x cores; one loop per core avoids two loops fighting for a core under load.
    @Option(names = "--event-loops", defaultValue = "${env:EVENT_LOOPS:-0}",
            description = "Worker event loops; 0 means one per core (env EVENT_LOOPS).")
    int eventLoops;

    @Option(names = "--transport", defaultValue = "${env:TRANSPORT:-auto}", converter = TransportConverter.class,
            description = "auto | epoll | io_uring | nio; auto is epoll where available, else nio (env TRANSPORT).")
    NettyTransport.Kind transport;

    // Tomcat's maxThreads default.
    @Option(names = "--blocking-threads", defaultValue = "${env:BLOCKING_THREADS:-200}",
            description = "Platform threads in blocking mode (env BLOCKING_THREADS).")
    int blockingThreads;

    // Tomcat's maxConnections (8192): requests beyond maxThreads wait rather than fail, up to this many.
    @Option(names = "--blocking-queue", defaultValue = "${env:BLOCKING_QUEUE:-8192}",
            description = "Requests that may wait for a blocking thread; beyond it, 503 (env BLOCKING_QUEUE).")
    int blockingQueue;

    // 1 MiB: nginx's client_max_body_size default.
    @Option(names = "--max-body", defaultValue = "${env:MAX_BODY:-1m}", converter = ByteSizeConverter.class,
            description = "Largest request body, e.g. 65536, 64k, 1m; larger is 413 (env MAX_BODY).")
    int maxBody;

    // 8 KiB: Netty's and Tomcat's maxHttpHeaderSize default.
    @Option(names = "--max-header", defaultValue = "${env:MAX_HEADER:-8k}", converter = ByteSizeConverter.class,
            description = "Largest request header block; larger is 431 (env MAX_HEADER).")
    int maxHeader;

    // 60 s: Tomcat's connectionTimeout as shipped in server.xml's Connector is 20 s, its code default 60 s.
    @Option(names = "--idle-timeout", defaultValue = "${env:IDLE_TIMEOUT:-60s}", converter = DurationConverter.class,
            description = "Close a connection with no request in flight after this long without traffic, e.g. 500ms, 60s, 2m (env IDLE_TIMEOUT).")
    Duration idleTimeout;

    @Option(names = "--log-level", defaultValue = "${env:LOG_LEVEL:-info}",
            description = "trace | debug | info | warn | error; warn silences the access log for benchmarks (env LOG_LEVEL).")
    String logLevel;

    @Option(names = "--upstream", defaultValue = "${env:UPSTREAM:-}",
            description = "Base URL that /fanout calls, e.g. http://10.0.0.5:8080 or https://api.internal; empty means this"
                    + " server itself (env UPSTREAM).")
    String upstream;

    // 5 s per call, 10 s per fan-out: well inside the 30 s a gateway typically gives the whole request.
    @Option(names = "--upstream-timeout", defaultValue = "${env:UPSTREAM_TIMEOUT:-5s}", converter = DurationConverter.class,
            description = "Longest one /fanout call may take (env UPSTREAM_TIMEOUT).")
    Duration upstreamTimeout;

    @Option(names = "--fanout-deadline", defaultValue = "${env:FANOUT_DEADLINE:-10s}", converter = DurationConverter.class,
            description = "Longest a whole /fanout may take; then 504 with the calls that answered (env FANOUT_DEADLINE).")
    Duration fanoutDeadline;

    // Reactor Netty's ConnectionProvider default.
    @Option(names = "--upstream-connections", defaultValue = "${env:UPSTREAM_CONNECTIONS:-500}",
            description = "Most connections open to the upstream at once (env UPSTREAM_CONNECTIONS).")
    int upstreamConnections;

    // 30 s: Kubernetes' default terminationGracePeriodSeconds, so a drain fits inside the pod's grace.
    @Option(names = "--shutdown-timeout", defaultValue = "${env:SHUTDOWN_TIMEOUT:-30s}", converter = DurationConverter.class,
            description = "On SIGTERM or SIGINT, how long requests in flight may take to finish (env SHUTDOWN_TIMEOUT).")
    Duration shutdownTimeout;

    // 30 s: what a gateway in front typically allows (AWS ALB's idle timeout is 60 s, nginx's proxy_read_timeout 60 s).
    @Option(names = "--request-timeout", defaultValue = "${env:REQUEST_TIMEOUT:-30s}", converter = DurationConverter.class,
            description = "A request not answered by then gets 504 and its work is cancelled (env REQUEST_TIMEOUT).")
    Duration requestTimeout;

    // Above the blocking pool plus its queue (200 + 8192), so the pool's own 503 comes first in blocking mode.
    @Option(names = "--max-inflight", defaultValue = "${env:MAX_INFLIGHT:-10000}",
            description = "Requests in progress at once; beyond it, 503 with Retry-After at once (env MAX_INFLIGHT).")
    int maxInflight;

    // Half the usual `ulimit -n` of 20,000-65,536 here: room for the upstream client's sockets and files.
    @Option(names = "--max-connections", defaultValue = "${env:MAX_CONNECTIONS:-10000}",
            description = "Open client connections; beyond it, new ones are closed at accept (env MAX_CONNECTIONS).")
    int maxConnections;

    // 100 ms: asyncio's slow_callback_duration in debug mode.
    @Option(names = "--blocked-threshold", defaultValue = "${env:BLOCKED_THRESHOLD:-100ms}", converter = DurationConverter.class,
            description = "Warn, with the stack, when an event loop is blocked this long (env BLOCKED_THRESHOLD).")
    Duration blockedThreshold;

    @Option(names = "--debug-endpoints", defaultValue = "${env:DEBUG_ENDPOINTS:-false}",
            description = "Serve /debug/block?ms=N, which blocks an event loop on purpose (env DEBUG_ENDPOINTS).")
    boolean debugEndpoints;

    @Option(names = "--log-format", defaultValue = "${env:LOG_FORMAT:-text}",
            description = "text | json; json writes every line as one JSON object, its fields as fields (env LOG_FORMAT).")
    String logFormat;

    // stdout: where a container's logs are collected; nginx's access_log takes a path or off the same way.
    @Option(names = "--access-log", defaultValue = "${env:ACCESS_LOG:-stdout}",
            description = "Where the access log goes: stdout, off, or a file to append to; buffered off the event loop"
                    + " (env ACCESS_LOG).")
    String accessLog;

    // 0: no delay unless asked for; behind Kubernetes, a few seconds (its endpoints take that long to update).
    @Option(names = "--drain-delay", defaultValue = "${env:DRAIN_DELAY:-0s}", converter = DurationConverter.class,
            description = "On SIGTERM, how long readiness answers 503 while the server still accepts, before the drain"
                    + " (env DRAIN_DELAY).")
    Duration drainDelay;

    @Option(names = "--data-dir", defaultValue = "${env:DATA_DIR:-data}",
            description = "The process's own folder: the durable email job store, its lock, the port it listens on;"
                    + " one server process per folder (env DATA_DIR).")
    Path dataDir;

    @Option(names = "--jobs", defaultValue = "${env:JOBS:-sqlite}",
            description = "Where email jobs are kept: sqlite (a file in --data-dir, for one process) or"
                    + " postgresql://user[:password]@host[:port]/database, shared by every replica (env JOBS).")
    String jobs;

    // Longer than --smtp-timeout's 30 s, so one slow SMTP step never loses a claim; renewed every third of it.
    @Option(names = "--job-lease", defaultValue = "${env:JOB_LEASE:-45s}", converter = DurationConverter.class,
            description = "With PostgreSQL: how long a replica's claim on a job holds without renewal; a replica that"
                    + " dies loses its jobs to the others after this (env JOB_LEASE).")
    Duration jobLease;

    // One day: Celery's result_expires default, and how long Stripe keeps an idempotency key.
    @Option(names = "--job-retention", defaultValue = "${env:JOB_RETENTION:-24h}", converter = DurationConverter.class,
            description = "How long sent and failed jobs, and their idempotency keys, are kept (env JOB_RETENTION).")
    Duration jobRetention;

    @Option(names = "--db", defaultValue = "${env:DB:-none}",
            description = "The database of GET /db: none (the routes answer 503), embedded (a throw-away PostgreSQL"
                    + " from the machine's binaries, started and stopped with the server; ./serve's default) or"
                    + " postgresql://user[:password]@host[:port]/database (env DB).")
    String db;

    // 10: HikariCP's default maximumPoolSize; the same bound in every mode, so a comparison is fair.
    @Option(names = "--db-pool", defaultValue = "${env:DB_POOL:-10}",
            description = "Database connections at most, in every mode (env DB_POOL).")
    int dbPool;

    // 2 s: HikariCP's own 30 s would hold a request far past any client's patience; 2 s is a fast 503.
    @Option(names = "--db-pool-wait", defaultValue = "${env:DB_POOL_WAIT:-2s}", converter = DurationConverter.class,
            description = "How long a request may wait for a free database connection; then 503 (env DB_POOL_WAIT).")
    Duration dbPoolWait;

    @Option(names = "--smtp", defaultValue = "${env:SMTP:-}",
            description = "host:port of the SMTP relay that delivers POST /email; empty means the built-in mailbox (env SMTP).")
    String smtp;

    // 1 s: "sending an email that will delay for a second", in the post this project grew from (README).
    @Option(names = "--email-latency", defaultValue = "${env:EMAIL_LATENCY:-1s}", converter = DurationConverter.class,
            description = "How long the built-in mailbox takes per message (env EMAIL_LATENCY).")
    Duration emailLatency;

    @Option(names = "--email-concurrency", defaultValue = "${env:EMAIL_CONCURRENCY:-100}",
            description = "Background deliveries at once (env EMAIL_CONCURRENCY).")
    int emailConcurrency;

    // 20: Postfix's default_destination_concurrency_limit, the connections it opens to one destination.
    @Option(names = "--smtp-connections", defaultValue = "${env:SMTP_CONNECTIONS:-20}",
            description = "SMTP connections open at once; more deliveries wait their turn (env SMTP_CONNECTIONS).")
    int smtpConnections;

    // 30 s: well under RFC 5321 section 4.5.3.2's minimum server timeouts (5 min), so a stuck relay is noticed.
    @Option(names = "--smtp-timeout", defaultValue = "${env:SMTP_TIMEOUT:-30s}", converter = DurationConverter.class,
            description = "Longest the SMTP connect or any one reply may take; then the attempt is retried (env SMTP_TIMEOUT).")
    Duration smtpTimeout;

    @Option(names = "--email-max-attempts", defaultValue = "${env:EMAIL_MAX_ATTEMPTS:-8}",
            description = "Attempts per email before a transiently failing job is marked failed (env EMAIL_MAX_ATTEMPTS).")
    int emailMaxAttempts;

    @Option(names = "--email-retry-base", defaultValue = "${env:EMAIL_RETRY_BASE:-1s}", converter = DurationConverter.class,
            description = "Wait before the first retry; each later one doubles it, with jitter (env EMAIL_RETRY_BASE).")
    Duration emailRetryBase;

    @Option(names = "--email-from", defaultValue = "${env:EMAIL_FROM:-asyncprod@localhost}",
            description = "Sender address of every email (env EMAIL_FROM).")
    String emailFrom;

    /** Parses and validates {@code args}; throws {@link ParameterException} with a one-line reason. */
    public static ServerConfig parse(String... args) {
        ServerCommand command = new ServerCommand();
        CommandLine cli = newCommandLine(command);
        cli.parseArgs(args);
        return command.toConfig();
    }

    public static CommandLine newCommandLine(ServerCommand command) {
        return new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public ServerConfig toConfig() {
        String[] range = port.trim().split("-", 2);
        int firstPort = parsePort(range[0]);
        int lastPort = range.length == 2 ? parsePort(range[1]) : firstPort;
        require(firstPort <= lastPort && (firstPort > 0 || lastPort == 0), "--port range must run upwards from a port above 0, got " + port);
        require(eventLoops >= 0 && eventLoops <= 1024, "--event-loops must be from 0 to 1024, got " + eventLoops);
        require(blockingThreads >= 1 && blockingThreads <= 10_000,
                "--blocking-threads must be from 1 to 10000, got " + blockingThreads);
        require(blockingQueue >= 0 && blockingQueue <= 1_000_000,
                "--blocking-queue must be from 0 to 1000000, got " + blockingQueue);
        require(maxBody >= 0, "--max-body must not be negative");
        require(maxHeader >= 256, "--max-header must be at least 256 bytes");
        require(!idleTimeout.isNegative() && !idleTimeout.isZero(), "--idle-timeout must be positive");
        String level = logLevel.toLowerCase(Locale.ROOT);
        require(level.matches("trace|debug|info|warn|error|off"),
                "--log-level must be one of trace, debug, info, warn, error, off; got '" + logLevel + "'");
        URI upstreamUri = null;
        if (!upstream.isBlank()) {
            try {
                upstreamUri = URI.create(upstream.strip());
            } catch (IllegalArgumentException e) {
                upstreamUri = null;
            }
            require(upstreamUri != null && upstreamUri.getScheme() != null && upstreamUri.getScheme().matches("https?")
                    && upstreamUri.getHost() != null, "--upstream must be an http:// or https://host[:port] URL, got '" + upstream + "'");
        }
        require(upstreamTimeout.toMillis() > 0 && fanoutDeadline.toMillis() > 0,
                "--upstream-timeout and --fanout-deadline must be positive");
        require(upstreamConnections >= 1, "--upstream-connections must be at least 1");
        require(requestTimeout.toMillis() > 0, "--request-timeout must be positive");
        require(maxInflight >= 1, "--max-inflight must be at least 1");
        require(maxConnections >= 1, "--max-connections must be at least 1");
        require(blockedThreshold.toMillis() >= 10, "--blocked-threshold must be at least 10ms");
        String format = logFormat.toLowerCase(Locale.ROOT);
        require(format.equals("text") || format.equals("json"), "--log-format must be text or json, got '" + logFormat + "'");
        require(!accessLog.isBlank(), "--access-log must be stdout, off or a file");
        require(!drainDelay.isNegative(), "--drain-delay must not be negative");
        EmailConfig email = emailConfig();
        DbConfig database = dbConfig();
        PostgresUrl jobStore = null;
        if (!jobs.strip().equalsIgnoreCase("sqlite")) {
            try {
                jobStore = PostgresUrl.parse(jobs);
            } catch (IllegalArgumentException e) {
                require(false, "--jobs must be sqlite or postgresql://user[:password]@host[:port]/database: " + e.getMessage());
            }
        }
        TlsConfig tls = protocol.toTlsConfig(this::require);
        int maxStreams = protocol.maxStreams(this::require);
        int loops = eventLoops == 0 ? Runtime.getRuntime().availableProcessors() : eventLoops;
        return new ServerConfig(host, firstPort, lastPort, mode, loops, transport, blockingThreads, blockingQueue,
                maxBody, maxHeader, idleTimeout, level, upstreamUri, upstreamTimeout, fanoutDeadline, upstreamConnections,
                shutdownTimeout, requestTimeout, maxInflight, maxConnections, blockedThreshold, debugEndpoints, format,
                accessLog.strip(), drainDelay, dataDir, jobStore, database, email, tls, maxStreams);
    }

    private int parsePort(String text) {
        int value = portNumber(text);
        require(value >= 0, "--port must be from 0 to 65535 or a range like 9201-9203, got " + port);
        return value;
    }

    /** The TCP port {@code text} names, or -1 if it is not a whole number from 0 to 65535. */
    private static int portNumber(String text) {
        try {
            int value = Integer.parseInt(text.trim());
            return value <= 65535 && value >= 0 ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private EmailConfig emailConfig() {
        InetSocketAddress relay = null;
        if (!smtp.isBlank()) {
            int colon = smtp.lastIndexOf(':');
            int relayPort = colon > 0 ? portNumber(smtp.substring(colon + 1)) : -1;
            require(relayPort > 0, "--smtp must be host:port, got '" + smtp + "'");
            relay = InetSocketAddress.createUnresolved(smtp.substring(0, colon), relayPort);
        }
        require(emailLatency.toMillis() >= 0, "--email-latency must not be negative");
        require(emailConcurrency >= 1 && emailConcurrency <= 10_000, "--email-concurrency must be from 1 to 10000");
        require(smtpConnections >= 1, "--smtp-connections must be at least 1");
        require(smtpTimeout.toMillis() > 0, "--smtp-timeout must be positive");
        require(emailMaxAttempts >= 1, "--email-max-attempts must be at least 1");
        require(emailRetryBase.toMillis() > 0, "--email-retry-base must be positive");
        require(emailFrom.contains("@") && emailFrom.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>'),
                "--email-from must be an address, got '" + emailFrom + "'");
        require(jobLease.toSeconds() >= 1, "--job-lease must be at least 1s");
        require(jobRetention.toMillis() > 0, "--job-retention must be positive");
        return new EmailConfig(relay, emailLatency, emailConcurrency, smtpConnections, smtpTimeout,
                emailMaxAttempts, emailRetryBase, emailFrom, jobLease, jobRetention);
    }

    private DbConfig dbConfig() {
        require(dbPool >= 1 && dbPool <= 1_000, "--db-pool must be from 1 to 1000, got " + dbPool);
        require(dbPoolWait.toMillis() >= 250, "--db-pool-wait must be at least 250ms");
        String value = db.strip();
        if (value.equalsIgnoreCase("none") || value.isEmpty()) {
            return new DbConfig(null, false, dbPool, dbPoolWait);
        }
        if (value.equalsIgnoreCase("embedded")) {
            return new DbConfig(null, true, dbPool, dbPoolWait);
        }
        try {
            return new DbConfig(PostgresUrl.parse(value), false, dbPool, dbPoolWait);
        } catch (IllegalArgumentException e) {
            require(false, "--db must be none, embedded or postgresql://user[:password]@host[:port]/database: " + e.getMessage());
            return null;
        }
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec != null ? spec.commandLine() : new CommandLine(this), message);
        }
    }

    static final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            try {
                return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected async, blocking or virtual, got '" + value + "'");
            }
        }
    }

    static final class TransportConverter implements CommandLine.ITypeConverter<NettyTransport.Kind> {
        @Override
        public NettyTransport.Kind convert(String value) {
            try {
                return NettyTransport.Kind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected auto, epoll, io_uring or nio, got '" + value + "'");
            }
        }
    }
}
