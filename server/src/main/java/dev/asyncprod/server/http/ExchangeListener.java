package dev.asyncprod.server.http;

/**
 * Told of every answered request as it is written, on the connection's event loop: metrics and
 * the access log. Must be cheap and never block.
 */
@FunctionalInterface
public interface ExchangeListener {

    ExchangeListener NONE = (request, status, nanos) -> { };

    void answered(Request request, int status, long durationNanos);

    /** Tells this listener, then {@code next}. */
    default ExchangeListener andThen(ExchangeListener next) {
        return (request, status, nanos) -> {
            answered(request, status, nanos);
            next.answered(request, status, nanos);
        };
    }
}
