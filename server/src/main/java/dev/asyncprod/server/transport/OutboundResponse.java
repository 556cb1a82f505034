package dev.asyncprod.server.transport;

import dev.asyncprod.server.http.Response;
import io.netty.handler.codec.http.HttpVersion;

/**
 * An answer on its way to the wire.
 *
 * @param requestId echoed as {@code X-Request-Id}; null for a request that never got one (rejected by the codec)
 * @param close     the connection closes after this answer, and the answer says so
 * @param version   the request's version: an HTTP/1.0 client that kept the connection is told it stays open
 * @param head      the answer to a HEAD request: the headers a GET would get, and no body (RFC 9110 §9.3.2)
 */
record OutboundResponse(Response response, String requestId, boolean close, HttpVersion version, boolean head) {
}
