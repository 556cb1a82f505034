package dev.asyncprod.server.config;

import java.net.URI;

/**
 * Everything the server is started with: one record per group of flags, each built and validated
 * by its mixin of {@link ServerCommand}, where the defaults and their sources are. No two
 * components share a type, so none can be passed in another's place.
 */
public record ServerConfig(
        ExecutionConfig execution,
        ListenConfig listen,
        TlsConfig tls,
        LimitsConfig limits,
        ProcessConfig process,
        UpstreamConfig upstream,
        EmailConfig email,
        DbConfig db,
        LoggingConfig logging,
        AdminConfig admin) {

    /** The upstream {@code /fanout} calls: the configured one, else this server itself on loopback. */
    public URI upstreamOrSelf(int boundPort) {
        return upstream.url() != null ? upstream.url()
                : URI.create((tls.enabled() ? "https" : "http") + "://127.0.0.1:" + boundPort);
    }
}
