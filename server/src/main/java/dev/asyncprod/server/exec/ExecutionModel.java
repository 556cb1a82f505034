package dev.asyncprod.server.exec;

import dev.asyncprod.server.endpoints.Endpoint;
import dev.asyncprod.server.http.Json;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * How an endpoint's body is run: the only thing that differs between the three modes.
 * Whatever thread finishes the work, the transport writes the response on the channel's event loop.
 */
public interface ExecutionModel extends AutoCloseable {

    /** The event loop runs the async body directly; waiting is timers and callbacks. */
    static ExecutionModel async() {
        return new AsyncModel();
    }

    /**
     * A bounded platform-thread pool runs the blocking body: at most {@code threads} at once,
     * then up to {@code queueCapacity} waiting, then rejection (503).
     */
    static ExecutionModel blocking(int threads, int queueCapacity) {
        return ThreadedModel.platformPool(threads, queueCapacity);
    }

    /** A new virtual thread per request runs the blocking body. */
    static ExecutionModel virtual() {
        return ThreadedModel.virtualThreads();
    }

    /** {@code async}, {@code blocking} or {@code virtual}: what responses and logs call this mode. */
    String name();

    /**
     * Runs the endpoint. Never throws: a failure, including rejection, completes the future exceptionally.
     * Called on {@code eventLoop}.
     */
    <P> CompletableFuture<Response> execute(Endpoint<P> endpoint, P params, Request request, EventLoop eventLoop);

    /** One line for the start-up banner: what runs the handlers. */
    String describe();

    /** Adds the model's live state (pool size, busy, queued) to {@code /info}. */
    void addFacts(Json facts);

    /** Live numbers for metrics, by name ({@code active}, {@code queued}, ...); empty if the model has no pool. */
    Map<String, Supplier<Number>> gauges();

    /** Stops accepting work; work already running is left to finish. */
    @Override
    void close();
}
