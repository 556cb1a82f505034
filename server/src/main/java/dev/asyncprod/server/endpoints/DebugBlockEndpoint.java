package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /debug/block?ms=N}: blocks the event loop on purpose, the classic async mistake, so
 * the watchdog can be seen catching it. Exists only with {@code --debug-endpoints}. It is a control
 * route, so it runs on the event loop in every mode.
 */
public final class DebugBlockEndpoint implements Endpoint<Long> {

    /** Long enough to show the watchdog, short enough not to take a server down for good. */
    public static final long MAX_MS = 10_000;

    record Blocked(long blockedMs, String thread) {
    }

    @Override
    public Long parse(Request request) {
        return request.query().requiredLong("ms", 0, MAX_MS);
    }

    @Override
    public CompletableFuture<Response> handleAsync(Long ms, AsyncContext ctx) {
        return CompletableFuture.completedFuture(handleBlocking(ms, null));
    }

    @Override
    public Response handleBlocking(Long ms, BlockingContext ctx) {
        long start = System.nanoTime();
        try {
            Thread.sleep(ms); // deliberately on the event loop: every connection on this loop waits too
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Response.json(new Blocked((System.nanoTime() - start) / 1_000_000, Thread.currentThread().getName()));
    }
}
