package dev.asyncprod.server.transport;

import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.netty.handler.codec.http.HttpMethod;
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

    /**
     * The answer to {@code request}, or to a request the codec rejected ({@code null}). The one place
     * the wire's HEAD rule is decided; routing answers HEAD with the GET route ({@code Router}).
     */
    static OutboundResponse answering(Request request, Response answer, boolean close, HttpVersion version) {
        return request == null ? new OutboundResponse(answer, null, close, version, false)
                : new OutboundResponse(answer, request.id(), close, version, request.method().equals(HttpMethod.HEAD));
    }

    /** The body's length as written: 0 for a HEAD answer, whose Content-Length says what a GET would carry. */
    int bodyBytes() {
        return head ? 0 : response.body().length;
    }
}
