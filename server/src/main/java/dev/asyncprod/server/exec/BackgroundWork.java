package dev.asyncprod.server.exec;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Work that is not a request (an email delivery, say), run the way the execution model runs
 * requests, so that a mode's comparison covers its background work too: the async body on the
 * caller's thread ({@code async}), the blocking body on a bounded pool of platform threads
 * ({@code blocking}) or on a virtual thread of its own ({@code virtual}).
 */
public interface BackgroundWork extends AutoCloseable {

    /** Runs one piece of work written twice, like an endpoint. Never throws: failures fail the future. */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> async, Callable<T> blocking);

    /** Interrupts what is still running: a forced shutdown. */
    @Override
    void close();
}
