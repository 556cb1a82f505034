package dev.asyncprod.server.exec;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How an endpoint's body is run: the only thing that differs between the four modes, and the
 * only reader of the mode. Whatever thread finishes the work, the transport writes the response
 * on the channel's event loop. Its live state (pool size, busy, queued) is published as meters.
 */
public interface ExecutionModel extends MeterBinder, AutoCloseable {

    /**
     * The model for {@code mode}.
     *
     * @param blockingThreads most platform threads of the blocking pool (Tomcat's maxThreads)
     * @param blockingQueue   requests that may wait for one of them; beyond it, rejection (503)
     * @throws IllegalStateException with one line saying what is missing, when this JVM cannot run the mode
     */
    static ExecutionModel forMode(Mode mode, int blockingThreads, int blockingQueue) {
        return switch (mode) {
            case ASYNC -> async();
            case BLOCKING -> ThreadedModel.platformPool(blockingThreads, blockingQueue);
            case VIRTUAL -> ThreadedModel.virtualThreads();
            case VIRTUAL_LOOP -> ThreadedModel.loopCarried();
        };
    }

    /** The event loop runs the async body directly; waiting is timers and callbacks. */
    static ExecutionModel async() {
        return new AsyncModel();
    }

    /** The mode's {@link Mode#label()}: what responses and logs call it. */
    String name();

    /**
     * Runs the endpoint. Never throws: a failure, including rejection, completes the future exceptionally.
     * Called on {@code eventLoop}.
     */
    <P> CompletableFuture<Response> execute(Endpoint<P> endpoint, P params, Request request, EventLoop eventLoop);

    /**
     * Runs background work in this model's style, at most {@code concurrency} at once on threads
     * named {@code <threadName>-N}; closing it is the caller's.
     */
    BackgroundWork background(String threadName, int concurrency);

    /**
     * Whether handlers run their blocking body, on threads of their own (blocking, virtual), or
     * their async body on the event loop (async): what a dependency with a driver for each style
     * (the database) opens.
     */
    boolean runsBlockingBodies();

    /** One line for the start-up banner: what runs the handlers. */
    String describe();

    /** What the model was configured with, for {@code /info}: {@code blocking_threads} (0 without a pool), the queue. */
    Map<String, Object> facts();

    /** Stops accepting work; work already running is left to finish. */
    @Override
    void close();
}
