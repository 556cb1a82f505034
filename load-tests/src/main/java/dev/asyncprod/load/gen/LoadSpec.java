package dev.asyncprod.load.gen;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What to run.
 *
 * @param body every request's body (empty for none); sent with a Content-Length
 * @param rate   requests per second across all connections in the open model; 0 for the closed model
 * @param warmup load first, on the same connections, before the measured {@code duration}; not recorded
 */
public record LoadSpec(URI url, String method, Map<String, String> headers, byte[] body, int connections, int threads,
                       Duration duration, Duration timeout, double rate, Duration warmup) {

    public boolean openModel() {
        return rate > 0;
    }

    public String describe() {
        return connections + " connections, " + threads + (threads == 1 ? " thread, " : " threads, ")
                + (openModel() ? "open model at " + (long) rate + " req/s" : "closed model")
                + (warmup.isZero() ? "" : ", after " + warmup.toMillis() / 1000.0 + "s of warm-up on the same connections");
    }
}
