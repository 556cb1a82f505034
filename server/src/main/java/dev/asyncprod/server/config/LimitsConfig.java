package dev.asyncprod.server.config;

import java.time.Duration;

/**
 * What clients may ask of the server. From {@link LimitOptions}, where the defaults and their
 * sources are.
 *
 * @param maxInflight    requests in progress at once, HTTP/2 streams included; beyond it, 503
 * @param maxConnections open client connections; beyond it, closed at accept
 * @param maxStreams     HTTP/2 streams one connection may have open at once
 * @param maxBody        the largest request body in bytes; larger is 413
 * @param maxHeader      the largest request line, and header block, in bytes
 * @param idleTimeout    a connection with nothing in flight and no traffic this long is closed
 * @param requestTimeout a request not answered by then gets 504
 */
public record LimitsConfig(int maxInflight, int maxConnections, int maxStreams, int maxBody, int maxHeader,
                           Duration idleTimeout, Duration requestTimeout) {
}
