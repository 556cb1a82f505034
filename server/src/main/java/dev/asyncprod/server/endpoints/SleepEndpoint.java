package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Json;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /sleep?ms=N}: the seed's sleeper. Async: a timer on the event loop, no thread held.
 * Blocking: {@code Thread.sleep}, the thread held for the whole wait.
 */
public final class SleepEndpoint implements Endpoint<Long> {

    /** Upper bound of one wait: a minute keeps a single request from pinning a connection for long. */
    public static final long MAX_MS = 60_000;

    @Override
    public Long parse(Request request) {
        return request.query().requiredLong("ms", 0, MAX_MS);
    }

    @Override
    public CompletableFuture<Response> handleAsync(Long ms, AsyncContext ctx) {
        return ctx.delay(ms).thenApply(done -> answer(ms, ctx.mode()));
    }

    @Override
    public Response handleBlocking(Long ms, BlockingContext ctx) throws InterruptedException {
        Thread.sleep(ms);
        return answer(ms, ctx.mode());
    }

    private static Response answer(long ms, String mode) {
        return Response.json(Json.object()
                .put("slept_ms", ms)
                .put("mode", mode)
                .put("thread", Thread.currentThread().getName()));
    }
}
