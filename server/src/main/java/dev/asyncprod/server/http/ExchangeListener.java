package dev.asyncprod.server.http;

/** Told of every answered request, on the event loop that wrote it: for metrics. Must be cheap and never block. */
@FunctionalInterface
public interface ExchangeListener {

    ExchangeListener NONE = (request, status, nanos) -> { };

    void answered(Request request, int status, long durationNanos);
}
