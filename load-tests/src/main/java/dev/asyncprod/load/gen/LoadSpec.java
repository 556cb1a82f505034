package dev.asyncprod.load.gen;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What to run.
 *
 * @param body every request's body (empty for none); sent with a Content-Length
 * @param rate requests per second across all connections in the open model; 0 for the closed model
 */
public record LoadSpec(URI url, String method, Map<String, String> headers, byte[] body, int connections, int threads,
                       Duration duration, Duration timeout, double rate) {

    public LoadSpec withDuration(Duration other) {
        return new LoadSpec(url, method, headers, body, connections, threads, other, timeout, rate);
    }

    public boolean openModel() {
        return rate > 0;
    }

    public String describe() {
        return connections + " connections, " + threads + (threads == 1 ? " thread, " : " threads, ")
                + (openModel() ? "open model at " + (long) rate + " req/s" : "closed model");
    }
}
