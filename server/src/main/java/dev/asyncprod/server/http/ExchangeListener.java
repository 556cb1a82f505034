package dev.asyncprod.server.http;

/**
 * Told of every answered request as it is written, on the connection's event loop: metrics and
 * the access log. Must be cheap and never block.
 */
@FunctionalInterface
public interface ExchangeListener {

    ExchangeListener NONE = (request, status, bytes, nanos) -> { };

    /**
     * @param bytes         the body's length as written (0 for HEAD)
     * @param durationNanos from the request being decoded to its answer being written: the request's
     *                      {@code startNanos} plus this is when it was written, on {@link System#nanoTime()}'s clock
     */
    void answered(Request request, int status, long bytes, long durationNanos);

    /** Tells this listener, then {@code next}. */
    default ExchangeListener andThen(ExchangeListener next) {
        return (request, status, bytes, nanos) -> {
            answered(request, status, bytes, nanos);
            next.answered(request, status, bytes, nanos);
        };
    }
}
