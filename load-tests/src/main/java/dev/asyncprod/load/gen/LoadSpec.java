package dev.asyncprod.load.gen;

import dev.asyncprod.base.HttpUris;
import dev.asyncprod.client.ClientTls;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What to run.
 *
 * @param body every request's body (empty for none); sent with a Content-Length
 * @param rate   requests per second across all connections in the open model; 0 for the closed model
 * @param warmup load first, on the same connections, before the measured {@code duration}; not recorded
 * @param tls        whom an {@code https} target is trusted by; ignored for {@code http}
 * @param http2      HTTP/2: ALPN {@code h2} over TLS, prior knowledge over plain {@code http}
 * @param maxStreams with HTTP/2, requests each connection keeps in flight at once (h2load's {@code -m}); 1 otherwise
 */
public record LoadSpec(URI url, String method, Map<String, String> headers, byte[] body, int connections, int threads,
                       Duration duration, Duration timeout, double rate, Duration warmup, ClientTls tls, boolean http2,
                       int maxStreams) {

    /** An HTTP/1.1 spec over plain TCP or TLS with default trust: what tests and {@code compare} run. */
    public LoadSpec(URI url, String method, Map<String, String> headers, byte[] body, int connections, int threads,
                    Duration duration, Duration timeout, double rate, Duration warmup) {
        this(url, method, headers, body, connections, threads, duration, timeout, rate, warmup, ClientTls.defaults(),
                false, 1);
    }

    public boolean secure() {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    public int port() {
        return HttpUris.portOf(url);
    }

    /** Requests in flight at once across the run in the closed model: connections, times streams with HTTP/2. */
    public int concurrency() {
        return connections * maxStreams;
    }

    public boolean openModel() {
        return rate > 0;
    }

    public String describe() {
        String protocol = (http2 ? "HTTP/2" + (secure() ? " (TLS, ALPN h2)" : " (h2c, prior knowledge)") + ", " + maxStreams
                + (maxStreams == 1 ? " stream" : " streams") + " per connection, " : secure() ? "HTTP/1.1 over TLS, " : "");
        return protocol + connections + " connections, " + threads + (threads == 1 ? " thread, " : " threads, ")
                + (openModel() ? "open model at " + (long) rate + " req/s" : "closed model")
                + (warmup.isZero() ? "" : ", after " + warmup.toMillis() / 1000.0 + "s of warm-up on the same connections");
    }
}
