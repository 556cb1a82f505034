package dev.asyncprod.server.transport;

import dev.asyncprod.server.http.HttpError;
import dev.asyncprod.server.http.Response;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Map;

/** Maps what the HTTP codec rejected to the JSON error a client gets. */
final class CodecErrors {

    private CodecErrors() {
    }

    static Response decodeFailure(Throwable cause, int maxHeader) {
        if (cause instanceof TooLongHttpHeaderException) {
            return error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
                    "request headers exceed the limit of " + maxHeader + " bytes");
        }
        if (cause instanceof TooLongHttpLineException) {
            return error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long",
                    "request line exceeds the limit of " + maxHeader + " bytes");
        }
        String reason = cause == null || cause.getMessage() == null ? "malformed request" : cause.getMessage();
        return error(HttpResponseStatus.BAD_REQUEST, "bad_request", "could not decode the request: " + reason);
    }

    static Response missingHost() {
        return error(HttpResponseStatus.BAD_REQUEST, "bad_request", "an HTTP/1.1 request must carry a Host header");
    }

    static Response bodyTooLarge(int maxBody) {
        return error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                "request body exceeds the limit of " + maxBody + " bytes");
    }

    static Response plainTextOnTlsPort() {
        return error(HttpResponseStatus.BAD_REQUEST, "https_required",
                "this port speaks TLS: a plain-text HTTP request was sent to it; use https://");
    }

    private static Response error(HttpResponseStatus status, String code, String message) {
        return new HttpError(status, code, message, Map.of()).toResponse();
    }
}
