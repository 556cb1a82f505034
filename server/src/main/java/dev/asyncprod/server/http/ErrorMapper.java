package dev.asyncprod.server.http;

import dev.asyncprod.base.Causes;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where every request's chain ends: an outcome (a response or a failure) becomes
 * the answer. Expected failures ({@link HttpError}) map to their status; anything else is a bug,
 * logged here once with its stack trace and request id, and answered 500 with that id.
 */
public final class ErrorMapper {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    public static Response toResponse(Response response, Throwable failure, Request request) {
        if (failure == null) {
            return response != null ? response : internal(new IllegalStateException("endpoint answered null"), request);
        }
        Throwable cause = Causes.unwrap(failure);
        if (cause instanceof HttpError error) {
            return error.toResponse();
        }
        if (cause instanceof RejectedExecutionException) {
            return HttpError.overloaded("every worker is busy and the queue is full; retry later", 1).toResponse();
        }
        return internal(cause, request);
    }

    private static Response internal(Throwable cause, Request request) {
        log.error("request {} {} {} failed", request.id(), request.method(), request.uri(), cause);
        return Problems.response(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                "the server failed to answer this request; quote the request id when reporting it", request.id());
    }

    /** True for a failure that means "the server is full" (answered 503). */
    public static boolean isOverload(Throwable failure) {
        Throwable cause = Causes.unwrap(failure);
        return cause instanceof RejectedExecutionException
                || (cause instanceof HttpError e && e.status() == HttpResponseStatus.SERVICE_UNAVAILABLE);
    }

}
