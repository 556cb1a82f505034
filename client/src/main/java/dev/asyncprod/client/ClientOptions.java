package dev.asyncprod.client;

import java.time.Duration;

/**
 * The client's limits. Defaults follow common production clients (Reactor Netty, Armeria, the
 * JDK client), as noted on each.
 *
 * @param maxConnectionsPerHost connections one host may have open at once
 * @param maxWaitingPerHost     callers that may wait for a busy host's connection; beyond it, fail fast
 * @param connectTimeout        default time to get a usable connection (connect, or wait in the pool)
 * @param responseTimeout       default time from sending a request to its last byte
 * @param idleTimeout           an unused pooled connection is closed after this long
 * @param maxResponseBody       larger bodies fail with {@link HttpClientException.Kind#BODY_TOO_LARGE}
 * @param eventLoops            loops of the client's own group, when none is shared with it; 0 = one per core
 * @param tls                   whom {@code https} connections trust
 * @param http2                 speak HTTP/2: one connection per host carrying every request as a stream
 *                              (ALPN {@code h2} over TLS, prior knowledge over plain {@code http})
 */
public record ClientOptions(int maxConnectionsPerHost, int maxWaitingPerHost, Duration connectTimeout,
                            Duration responseTimeout, Duration idleTimeout, int maxResponseBody, int eventLoops,
                            ClientTls tls, boolean http2) {

    public static ClientOptions defaults() {
        return new ClientOptions(
                500,                      // Reactor Netty's ConnectionProvider default max connections
                1000,                     // Reactor Netty's default pending-acquire queue: 2 x max connections
                Duration.ofSeconds(10),   // Armeria's connect timeout default
                Duration.ofSeconds(30),   // between Armeria's 10 s and a typical gateway's 60 s
                Duration.ofSeconds(60),   // nginx keepalive_timeout is 75 s; close first, before servers do
                8 * 1024 * 1024,
                0,
                ClientTls.defaults(),     // the JDK's trust store, hostname verification on
                false);                   // HTTP/1.1: what every server speaks
    }

    public ClientOptions withMaxConnectionsPerHost(int max) {
        return new ClientOptions(max, maxWaitingPerHost, connectTimeout, responseTimeout, idleTimeout, maxResponseBody, eventLoops, tls, http2);
    }

    public ClientOptions withMaxWaitingPerHost(int max) {
        return new ClientOptions(maxConnectionsPerHost, max, connectTimeout, responseTimeout, idleTimeout, maxResponseBody, eventLoops, tls, http2);
    }

    public ClientOptions withConnectTimeout(Duration timeout) {
        return new ClientOptions(maxConnectionsPerHost, maxWaitingPerHost, timeout, responseTimeout, idleTimeout, maxResponseBody, eventLoops, tls, http2);
    }

    public ClientOptions withResponseTimeout(Duration timeout) {
        return new ClientOptions(maxConnectionsPerHost, maxWaitingPerHost, connectTimeout, timeout, idleTimeout, maxResponseBody, eventLoops, tls, http2);
    }

    public ClientOptions withIdleTimeout(Duration timeout) {
        return new ClientOptions(maxConnectionsPerHost, maxWaitingPerHost, connectTimeout, responseTimeout, timeout, maxResponseBody, eventLoops, tls, http2);
    }

    public ClientOptions withMaxResponseBody(int bytes) {
        return new ClientOptions(maxConnectionsPerHost, maxWaitingPerHost, connectTimeout, responseTimeout, idleTimeout, bytes, eventLoops, tls, http2);
    }

    public ClientOptions withEventLoops(int loops) {
        return new ClientOptions(maxConnectionsPerHost, maxWaitingPerHost, connectTimeout, responseTimeout, idleTimeout, maxResponseBody, loops, tls, http2);
    }

    public ClientOptions withTls(ClientTls trust) {
        return new ClientOptions(maxConnectionsPerHost, maxWaitingPerHost, connectTimeout, responseTimeout, idleTimeout, maxResponseBody, eventLoops, trust, http2);
    }

    public ClientOptions withHttp2(boolean on) {
        return new ClientOptions(maxConnectionsPerHost, maxWaitingPerHost, connectTimeout, responseTimeout, idleTimeout, maxResponseBody, eventLoops, tls, on);
    }
}
