package dev.asyncprod.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * A failure that maps to a specific client-visible status, answered as a problem (see {@link Problems})
 * whose {@code error} is {@code code} and whose {@code detail} is the message.
 * Thrown (or completed exceptionally) anywhere in a chain; {@link ErrorMapper} turns it into the answer.
 */
public final class HttpError extends RuntimeException {

    private final HttpResponseStatus status;
    private final String code;
    private final Map<String, String> headers;

    public HttpError(HttpResponseStatus status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false); // expected outcomes: no stack trace to fill or log
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    public static HttpError badParameter(String message) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, "bad_parameter", message, Map.of());
    }

    public static HttpError notFound(String path) {
        return new HttpError(HttpResponseStatus.NOT_FOUND, "not_found", "no route for " + path, Map.of());
    }

    public static HttpError methodNotAllowed(String method, String path, String allow) {
        return new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                method + " is not allowed on " + path + "; allowed: " + allow, Map.of("Allow", allow));
    }

    /** The server is full: the caller may retry after the given number of seconds. */
    public static HttpError overloaded(String message, int retryAfterSeconds) {
        return new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded", message,
                Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The problem-details answer (see {@link Problems}), with this error's headers. */
    public Response toResponse() {
        return Problems.response(status, code, getMessage(), null).withHeaders(headers);
    }
}
