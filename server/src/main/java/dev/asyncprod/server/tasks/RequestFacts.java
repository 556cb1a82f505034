package dev.asyncprod.server.tasks;

import java.util.function.Supplier;

/**
 * What the view shows of a request task: never a header value or a body.
 *
 * @param id         the request id (the caller's {@code X-Request-Id}, or one of ours)
 * @param traceId    its W3C trace id, formatted only when the view asks (hex formatting costs more than the task)
 * @param method     the method
 * @param target     the request target, as the access log shows it
 * @param protocol   {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}
 * @param connection the connection: the client's address, and the channel (an HTTP/2 stream's is its own)
 */
public record RequestFacts(String id, Supplier<String> traceId, String method, String target, String protocol, String connection) {
}
