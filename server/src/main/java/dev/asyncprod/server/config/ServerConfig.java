package dev.asyncprod.server.config;

import dev.asyncprod.base.NettyTransport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server is started with. Filled by {@link ServerCommand} from flags and
 * environment variables; the defaults and where they come from are documented there.
 *
 * @param lastPort the end of the port range to try (equal to {@code port} for a single port)
 * @param accessLog  {@code stdout}, {@code off} or a file
 * @param drainDelay on SIGTERM, how long readiness is 503 before the drain begins
 * @param dataDir    the process's own folder: its lock, the port it listens on, the SQLite job store
 * @param jobs       the PostgreSQL job store replicas share, or null for SQLite in {@code dataDir}
 * @param db         the database of the {@code /db} routes
 * @param tls        TLS on the listening port, or {@link TlsConfig#enabled() none}
 * @param maxStreams HTTP/2 streams one connection may have open at once
 */
public record ServerConfig(
        String host,
        int port,
        int lastPort,
        Mode mode,
        int eventLoops,
        NettyTransport.Kind transport,
        int blockingThreads,
        int blockingQueue,
        int maxBody,
        int maxHeader,
        Duration idleTimeout,
        String logLevel,
        URI upstream,
        Duration upstreamTimeout,
        Duration fanoutDeadline,
        int upstreamConnections,
        Duration shutdownTimeout,
        Duration requestTimeout,
        int maxInflight,
        int maxConnections,
        Duration blockedThreshold,
        boolean debugEndpoints,
        String logFormat,
        String accessLog,
        Duration drainDelay,
        Path dataDir,
        PostgresUrl jobs,
        DbConfig db,
        EmailConfig email,
        TlsConfig tls,
        int maxStreams) {

    /** The upstream {@code /fanout} calls: the configured one, else this server itself on loopback. */
    public URI upstreamOrSelf(int boundPort) {
        return upstream != null ? upstream : URI.create((tls.enabled() ? "https" : "http") + "://127.0.0.1:" + boundPort);
    }
}
