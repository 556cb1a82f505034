package dev.asyncprod.server.http;

import dev.asyncprod.server.tasks.Task;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * A decoded request as the endpoints see it: no Netty buffers, safe to hand to any thread.
 *
 * @param uri           the origin-form target, path and query as sent (an absolute-form target is reduced to it)
 * @param path          the decoded path
 * @param startNanos    {@link System#nanoTime()} when the request was decoded; endpoints report offsets from it
 * @param cancellation  set when the answer is no longer wanted; the work it started stops
 * @param remoteAddress the client's address, as the access log shows it
 * @param trace         the request's span in its distributed trace
 * @param protocol      {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}, as the access log names it
 * @param task          the request's root task in the live task view; live once the transport registers it
 */
public record Request(String id, HttpMethod method, String uri, String path, QueryParams query,
                      HttpHeaders headers, byte[] body, long startNanos, Cancellation cancellation,
                      String remoteAddress, TraceContext trace, String protocol, Task task) {

    /** Milliseconds since this request was decoded. */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
